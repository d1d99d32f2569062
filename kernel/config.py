"""Settings: defaults, then the instance config file, then environment variables.

The instance config file is ``instance/passerelle.toml`` (or the file named by
``PASSERELLE_CONFIG``); its keys are the setting names below, e.g. ``DATABASE_URL = "..."``.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from pathlib import Path

DEFAULT_INSTANCE = Path(os.environ.get("PASSERELLE_INSTANCE", Path.cwd() / "instance"))

SETTINGS = {
    # name: (default, type)
    "DATABASE_URL": (None, str),
    "DATABASE_REPLICA_URL": ("", str),  # a read replica for reports and CSV exports; empty: the primary
    # connections each process keeps open (`passerelle serve` makes it at least its threads + 2):
    # a request beyond them opens a connection and closes it after (on SQLite with a cold cache)
    "DATABASE_POOL_SIZE": (10, int),
    "SECRET_KEY": (None, str),
    "PASSERELLE_PLUGINS": (None, str),
    "BASE_URL": ("http://127.0.0.1:5000", str),
    "SMTP_HOST": (None, str),
    "SMTP_PORT": (25, int),
    "SMTP_USER": (None, str),
    "SMTP_PASSWORD": (None, str),
    "SMTP_SECURITY": ("none", str),  # none, starttls or ssl
    "MAIL_FROM": ("passerelle@localhost", str),
    "SMS_PROVIDER": ("log", str),  # "log" (the kernel's) or a provider offered by a plugin
    "OUTBOX_MAX_ATTEMPTS": (6, int),  # then the message is marked failed
    "OUTBOX_LOCK_SECONDS": (300, int),  # a message claimed longer ago than this is sent again
    "SESSION_COOKIE_SECURE": (False, bool),
    "TRUSTED_PROXIES": (0, int),  # reverse proxies in front whose X-Forwarded-* headers are believed
    "RATELIMIT_STORAGE_URI": ("memory://", str),
    "LOGIN_RATE_LIMIT": ("10 per minute; 50 per hour", str),
    "PASSWORD_RESET_MAX_AGE": (3600, int),
    "SESSION_IDLE_MINUTES": (480, int),  # a session unused this long ends (kernel.security.sessions)
    "SESSION_MAX_DAYS": (7, int),  # a session ends this long after login, used or not
    "DEFAULT_TIMEZONE": ("America/Iqaluit", str),
    "DEFAULT_LANGUAGE": ("fr", str),
    "DEMO_DATA": (True, bool),
    "THEME": ("default", str),
    "IMPORT_CACHE_MB": (256, int),  # SQLite page cache of an import's connection (the usual one is 32 MB)
    "SECURITY_LOG_RETENTION_DAYS": (365, int),  # older security events are deleted by the worker (at least 30)
    "ACCESS_LOG_RETENTION_DAYS": (365, int),  # older reads of sensitive records are deleted (at least 30)
    # object storage (kernel.storage): documents and imports' files in an S3 bucket when one is named
    "STORAGE_S3_BUCKET": (None, str),
    "STORAGE_S3_ENDPOINT_URL": (None, str),  # an S3-compatible service's URL; none for Amazon S3
    "STORAGE_S3_REGION": (None, str),
    "STORAGE_S3_ACCESS_KEY_ID": (None, str),  # none: the standard AWS variables, files or roles
    "STORAGE_S3_SECRET_ACCESS_KEY": (None, str),
    "STORAGE_S3_PREFIX": ("", str),  # the keys' common beginning, e.g. "passerelle/"
}


def _coerce(value, kind):
    if kind is bool and isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if kind is int and isinstance(value, str):
        return int(value)
    return value


def read_config_file(instance_path: Path) -> dict:
    path = Path(os.environ.get("PASSERELLE_CONFIG", instance_path / "passerelle.toml"))
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        return tomllib.load(handle)


def load_settings(instance_path: Path, overrides: dict | None = None) -> dict:
    """Merge defaults, the config file, the environment and explicit overrides (tests)."""
    from_file = read_config_file(instance_path)
    settings = {}
    for name, (default, kind) in SETTINGS.items():
        value = default
        if name in from_file:
            value = from_file[name]
        if name in os.environ:
            value = os.environ[name]
        settings[name] = _coerce(value, kind)
    for name, value in from_file.items():
        settings.setdefault(name, value)
    settings.update(overrides or {})
    if not settings["DATABASE_URL"]:
        settings["DATABASE_URL"] = f"sqlite:///{instance_path / 'passerelle.db'}"
    if not settings["SECRET_KEY"]:
        settings["SECRET_KEY"] = _instance_secret(instance_path)
    return settings


def _instance_secret(instance_path: Path) -> str:
    """A random secret kept in the instance folder so sessions survive restarts."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    private_folder(instance_path)
    key = secrets.token_urlsafe(48)
    write_private(path, key)
    return key


# -- files only the application's user reads ------------------------------------------------------
# The instance folder holds personal data (the SQLite database, uploaded documents, imported
# files) and secrets: folders are created 0700 and files 0600 from the start (a chmod after
# writing would leave a moment when others could open them), whatever the process's umask.
PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def private_folder(path: Path) -> Path:
    """``path`` created if needed (with its missing parents), readable by the owner only."""
    path.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o777 != PRIVATE_FOLDER:
        path.chmod(PRIVATE_FOLDER)
    return path


def private_opener(path, flags: int) -> int:
    """``open(path, mode, opener=private_opener)``: a file created 0600 (an existing one made so)."""
    descriptor = os.open(path, flags, PRIVATE_FILE)
    os.fchmod(descriptor, PRIVATE_FILE)
    return descriptor


def write_private(path: Path, content: str | bytes) -> None:
    """Write ``content`` to a file only its owner can read."""
    if isinstance(content, str):
        with open(path, "w", encoding="utf-8", opener=private_opener) as handle:
            handle.write(content)
    else:
        with open(path, "wb", opener=private_opener) as handle:
            handle.write(content)
