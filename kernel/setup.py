"""First start of an installation: migrations, the administrator, demo data."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from kernel import migrate
from kernel.config import write_private
from kernel.db import db
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


def first_start(load_demo: bool = True) -> str | None:
    """Apply migrations; on an empty database create the administrator (and demo data).

    Returns the administrator's generated password when it was just created."""
    migrate.upgrade()
    if db.session.scalar(select(func.count()).select_from(User)):
        return None
    password = secrets.token_urlsafe(12)
    admin = User(email=ADMIN_EMAIL, name="Administrateur", role="administrator", language="fr")
    admin.set_password(password)
    db.session.add(admin)
    users = {"administrator": admin}
    if load_demo:
        for email, name, role in DEMO_USERS:
            user = User(email=email, name=name, role=role, language="fr")
            user.set_password(password)
            db.session.add(user)
            users[role] = user
        db.session.flush()
        current_app.extensions["passerelle.plugins"].hook.passerelle_demo_data(session=db.session, users=users)
    db.session.commit()
    write_private(password_file(), password + "\n")
    return password


def login_banner() -> str:
    """How to log in, printed by ``passerelle serve``."""
    path = password_file()
    admin = db.session.scalar(select(User).where(User.email == ADMIN_EMAIL))
    lines = ["", "Passerelle is ready."]
    if admin is not None and path.exists() and admin.check_password(path.read_text().strip()):
        lines.append(f"  Administrator: {ADMIN_EMAIL}  password: {path.read_text().strip()}")
        if len(db.session.scalars(select(User)).all()) > 1:
            lines.append("  Demo users (same password): " + ", ".join(email for email, _n, _r in DEMO_USERS))
        lines.append(f"  (kept in {path} until the administrator changes the password)")
    else:
        lines.append("  Log in with your account; create users with: passerelle users create --email E --role R")
    return "\n".join(lines)
