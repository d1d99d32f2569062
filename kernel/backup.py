"""``passerelle backup PATH`` and ``passerelle restore PATH``: the database and the instance folder
in one ``.tar.gz`` archive.

The archive holds ``manifest.json`` (what it holds, when it was taken), the database —
``database.sqlite`` made with SQLite's online backup API (a consistent copy taken while the
server keeps serving and writing), or ``database.dump`` made by ``pg_dump`` in its custom format —
and ``instance/``: the secret key, the config file, uploaded documents and import files, without
the live database files (copying them while they change would give a broken copy).

Restoring refuses to overwrite a database that holds tables unless ``force`` is given.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from kernel.config import PRIVATE_FILE, PRIVATE_FOLDER, private_folder, private_opener
from kernel.db import db

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite"
POSTGRESQL_FILE = "database.dump"
INSTANCE = "instance"
SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")


class BackupError(Exception):
    """The backup or the restore cannot be done; the message says why, for the administrator."""


@dataclass
class RestoreReport:
    database: str
    files: int
    taken_at: str


# -- where things are --------------------------------------------------------------------------
def database_url() -> str:
    return current_app.config["DATABASE_URL"]


def database_kind(url: str | None = None) -> str:
    backend = make_url(url or database_url()).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"backups handle SQLite and PostgreSQL, not {backend}")
    return backend


def sqlite_path(url: str | None = None) -> Path:
    database = make_url(url or database_url()).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database).resolve()


def libpq_url(url: str | None = None) -> str:
    """The URL as pg_dump and pg_restore read it (no SQLAlchemy driver name)."""
    parsed = make_url(url or database_url()).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


def instance_path() -> Path:
    return Path(current_app.instance_path).resolve()


def live_database_files() -> set[Path]:
    if database_kind() != "sqlite":
        return set()
    path = sqlite_path()
    return {path.with_name(path.name + suffix) for suffix in SQLITE_SUFFIXES}


# -- backup ------------------------------------------------------------------------------------
def backup(destination: Path) -> Path:
    """Write the archive to ``destination`` (``.tar.gz`` is added when missing); returns its path."""
    destination = Path(destination).resolve()
    if not destination.name.endswith((".tar.gz", ".tgz")):
        destination = destination.with_name(destination.name + ".tar.gz")
    if destination.exists():
        raise BackupError(f"{destination} already exists; choose another name")
    destination.parent.mkdir(parents=True, exist_ok=True)
    kind = database_kind()
    with tempfile.TemporaryDirectory(prefix="passerelle-backup-") as folder:
        work = Path(folder)
        database_file = work / (SQLITE_FILE if kind == "sqlite" else POSTGRESQL_FILE)
        taken_at = datetime.now(UTC).isoformat(timespec="seconds")
        if kind == "sqlite":
            copy_sqlite(sqlite_path(), database_file)
        else:
            dump_postgresql(database_file)
        manifest = {"format": FORMAT, "database": kind, "taken_at": taken_at}
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2))
        partial = destination.with_name(destination.name + ".partial")
        # personal data and the secret key: owner-only from its first byte, and so are its members
        with open(partial, "wb", opener=private_opener) as file, \
                tarfile.open(fileobj=file, mode="w:gz") as archive:
            archive.add(work / MANIFEST, MANIFEST, filter=private_member)
            archive.add(database_file, database_file.name, filter=private_member)
            add_instance_folder(archive, skip={*live_database_files(), destination, partial})
        os.replace(partial, destination)
    return destination


def copy_sqlite(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy while other connections keep writing."""
    with closing(sqlite3.connect(source)) as origin, closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)


def dump_postgresql(target: Path) -> None:
    run_tool(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target),
              "--dbname", libpq_url()])


def add_instance_folder(archive: tarfile.TarFile, skip: set[Path]) -> None:
    root = instance_path()
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.resolve() not in skip and not path.name.endswith(".partial"):
            archive.add(path, f"{INSTANCE}/{path.relative_to(root).as_posix()}", recursive=False,
                        filter=private_member)


def private_member(member: tarfile.TarInfo) -> tarfile.TarInfo:
    """Unpacked anywhere, a member is readable by its owner only (whatever the copied file was)."""
    member.mode = PRIVATE_FILE if member.isfile() else PRIVATE_FOLDER
    return member


def run_tool(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL's client programs are needed)")
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


# -- restore -----------------------------------------------------------------------------------
def restore(source: Path, *, force: bool = False) -> RestoreReport:
    """Put the archive's database and instance files in place of the configured ones."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} is not a file")
    with tempfile.TemporaryDirectory(prefix="passerelle-restore-") as folder:
        work = Path(folder)
        manifest = unpack(source, work)
        kind = database_kind()
        if manifest.get("database") != kind:
            raise BackupError(f"this backup holds a {manifest.get('database')} database; "
                              f"the configured database is {kind}")
        if not force and database_tables():
            raise BackupError("the database is not empty; restoring would replace its data "
                              "(give --force to replace it)")
        db.session.remove()
        db.engine.dispose()
        if kind == "sqlite":
            restore_sqlite(work / SQLITE_FILE)
        else:
            restore_postgresql(work / POSTGRESQL_FILE)
        files = restore_instance_files(work / INSTANCE)
    return RestoreReport(database=kind, files=files, taken_at=manifest.get("taken_at", "?"))


def unpack(source: Path, work: Path) -> dict:
    try:
        with tarfile.open(source, "r:*") as archive:
            archive.extractall(work, filter="data")
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"{source} is not a Passerelle backup: {error}") from error
    try:
        manifest = json.loads((work / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{source} is not a Passerelle backup (no manifest)") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source} was made by another version of Passerelle (format {manifest.get('format')})")
    return manifest


def database_tables() -> list[str]:
    with db.engine.connect() as connection:
        return inspect(connection).get_table_names()


def restore_sqlite(copy: Path) -> None:
    """Copied page by page into the configured file, through SQLite (its journal stays right)."""
    target = sqlite_path()
    target.parent.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)  # an existing one is the admin's
    os.close(private_opener(target, os.O_CREAT | os.O_RDWR))  # SQLite gives -wal and -shm its mode
    with closing(sqlite3.connect(copy)) as origin, closing(sqlite3.connect(target)) as destination:
        origin.backup(destination)


def restore_postgresql(dump: Path) -> None:
    """An emptied schema, then pg_restore in one transaction (all or nothing)."""
    from sqlalchemy import text

    with db.engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    db.engine.dispose()
    run_tool(["pg_restore", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
              "--dbname", libpq_url(), str(dump)])


def restore_instance_files(folder: Path) -> int:
    if not folder.is_dir():
        return 0
    root = instance_path()
    live = live_database_files()
    count = 0
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        target = root / path.relative_to(folder)
        if target.resolve() in live:
            continue
        private_folder(target.parent)
        with path.open("rb") as source, open(target, "wb", opener=private_opener) as copy:
            shutil.copyfileobj(source, copy)
        count += 1
    return count
