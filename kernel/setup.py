"""First start of an installation: migrations, the administrator, demo data."""

from __future__ import annotations

import secrets
from contextlib import contextmanager
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select, text

from kernel import migrate
from kernel.config import write_private
from kernel.db import db
from kernel.security.passwords import password_matches
from kernel.users import User

ADMIN_EMAIL = "admin@passerelle.local"
DEMO_USERS = [
    # email, name, role
    ("superviseure@passerelle.local", "Calista Superviseure", "supervisor"),
    ("patrick@passerelle.local", "Patrick Intervenant", "staff"),
    ("lecture@passerelle.local", "Lecture Seule", "readonly"),
]


def password_file() -> Path:
    return Path(current_app.instance_path) / "initial-admin-password.txt"


def demo_passwords_file() -> Path:
    return Path(current_app.instance_path) / "demo-user-passwords.txt"


def _new_password() -> str:
    return secrets.token_urlsafe(12)


SETUP_LOCK = 7_108_101_116  # the PostgreSQL advisory lock key of the first start


def first_start(load_demo: bool = True) -> str | None:
    """Apply migrations; on an empty database create the administrator (and demo data).

    Returns the administrator's generated password when it was just created. Each demo user
    gets a password of their own (``demo-user-passwords.txt``): none shares the administrator's."""
    with one_setup_at_a_time():
        return _first_start(load_demo)


@contextmanager
def one_setup_at_a_time():
    """Several servers started together against one PostgreSQL (several machines, a restart of
    all of them) would apply the same migrations and create the administrator at the same time:
    they take turns under an advisory lock. SQLite is one machine's file: nothing to do."""
    if db.engine.dialect.name != "postgresql":
        yield
        return
    # Outside any transaction: an idle one would hold back other work (CREATE INDEX CONCURRENTLY).
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": SETUP_LOCK})
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": SETUP_LOCK})


def _first_start(load_demo: bool) -> str | None:
    migrate.upgrade()
    if db.session.scalar(select(func.count()).select_from(User)):
        return None
    password = _new_password()
    admin = User(email=ADMIN_EMAIL, name="Administrateur", role="administrator", language="fr")
    admin.set_password(password)
    db.session.add(admin)
    users = {"administrator": admin}
    demo_passwords = []
    if load_demo:
        for email, name, role in DEMO_USERS:
            user = User(email=email, name=name, role=role, language="fr")
            demo_password = _new_password()
            user.set_password(demo_password)
            db.session.add(user)
            users[role] = user
            demo_passwords.append(f"{email} {demo_password}")
        db.session.flush()
        current_app.extensions["passerelle.plugins"].hook.passerelle_demo_data(session=db.session, users=users)
    db.session.commit()
    write_private(password_file(), password + "\n")
    if demo_passwords:
        write_private(demo_passwords_file(), "\n".join(demo_passwords) + "\n")
    return password


def demo_password(email: str) -> str | None:
    """The generated password of a demo user (from ``demo-user-passwords.txt``)."""
    path = demo_passwords_file()
    lines = path.read_text().splitlines() if path.exists() else []
    return next((password for line in lines for found, _sep, password in [line.partition(" ")] if found == email),
                None)


def forget_generated_password(user: User) -> None:
    """Once the first administrator has chosen a password (profile, reset link, user
    administration), the file holding the generated one is deleted."""
    if user.email.lower() == ADMIN_EMAIL:
        password_file().unlink(missing_ok=True)


def _demo_logins() -> list[str]:
    """The "e-mail  password" line of each demo user whose generated password still works."""
    path = demo_passwords_file()
    if not path.exists():
        return []
    users = {user.email: user for user in db.session.scalars(select(User).where(User.email.in_(
        [email for email, _n, _r in DEMO_USERS])))}
    logins = []
    for line in path.read_text().splitlines():
        email, _sep, password = line.partition(" ")
        if email in users and password_matches(users[email], password):
            logins.append(f"    {email}  password: {password}")
    return logins


def login_banner() -> str:
    """How to log in, printed by ``passerelle serve`` (and so by ``make run``)."""
    path = password_file()
    admin = db.session.scalar(select(User).where(User.email == ADMIN_EMAIL))
    lines = ["", "Passerelle is ready."]
    if admin is not None and path.exists() and password_matches(admin, path.read_text().strip()):
        lines.append(f"  Administrator: {ADMIN_EMAIL}  password: {path.read_text().strip()}")
        lines.append(f"  (kept in {path}; the file is deleted once the administrator sets a password)")
    else:
        lines.append("  Log in with your account; create users with: passerelle users create --email E --role R")
    demo = _demo_logins()
    if demo:
        lines.append(f"  Demo users, each with a password of their own (kept in {demo_passwords_file()}):")
        lines.extend(demo)
    return "\n".join(lines)
