"""Users, their preferences, password hashes and personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from functools import cache

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, bindparam, func, select
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship

from kernel.db import Base, db, utcnow
from kernel.security import lastseen

LANGUAGES = ("fr", "en")
THEMES = ("light", "dark")
DENSITIES = ("normal", "compact")


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="staff")
    language: Mapped[str] = mapped_column(String(5), default="fr")
    theme: Mapped[str] = mapped_column(String(10), default="light")
    density: Mapped[str] = mapped_column(String(10), default="normal")
    timezone: Mapped[str | None] = mapped_column(String(64))
    workspace: Mapped[str | None] = mapped_column(String(40))  # sidebar section shown first; None: the role's
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return bool(self.active)

    def set_password(self, password: str) -> None:
        """Hash and keep ``password`` (checked against the policy by the caller). Checking a
        password is ``kernel.security.passwords.verify_password``'s job, with its throttle."""
        from kernel.security.passwords import hash_password

        self.password_hash = hash_password(password)

    def can(self, permission: str) -> bool:
        registry = current_app.extensions["passerelle.permissions"]
        if not self.active:
            return False
        if registry.role_has(self.role, permission):
            return True
        from kernel.permissions import granted_permissions

        return permission in granted_permissions(self)

    @property
    def is_admin(self) -> bool:
        return self.role == "administrator"

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class ApiToken(Base):
    """A personal API token; only its SHA-256 is stored, the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="tokens")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


TOKEN_TOUCH_SECONDS = 300  # last_used_at is written at most this often per token


def create_token(user: User, name: str, expires_at: datetime | None = None) -> str:
    """Create a token for ``user`` and return it in clear (the only time it is known)."""
    token = "psl_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, name=name[:255], token_hash=hash_token(token), prefix=token[:10],
                            expires_at=expires_at))
    return token


def user_for_token(token: str) -> User | None:
    """The active user of a live token. Reads only: the time of use is written after the request,
    at most every few minutes (``kernel.security.lastseen``). The custom fields' definitions, which
    the records' API reads next, ride on the token's statement (``kernel.onepass``)."""
    return _read_token(token, _token_and_user(), {})[0]


def user_and_record_for_token(token: str, model, record_id: int) -> tuple[User | None, object | None]:
    """``user_for_token``, and the record of ``model`` numbered ``record_id`` read in the same
    statement (None when there is none) into the session: ``db.session.get`` then finds it without
    a statement of its own, as long as the caller holds it (the session's references are weak).
    It is read whoever asks: the caller checks the user's permissions before showing it."""
    return _read_token(token, _token_user_and_record(model), {"record_id": record_id})


def _read_token(token: str, base, params: dict) -> tuple[User | None, object | None]:
    from kernel.custom_fields import add_definitions_read, keep_definitions_read
    from kernel.onepass import OnePass

    reads = OnePass()
    add_definitions_read(reads)
    found = reads.run(base=base, base_params={**params, "token_hash": hash_token(token)})
    if found["base"] is None:
        return None, None
    api_token, user, *record = found["base"]
    now = utcnow()
    if not user.active or (api_token.expires_at is not None and api_token.expires_at <= now):
        return None, None
    keep_definitions_read(found)
    if lastseen.is_due(api_token.last_used_at, now, TOKEN_TOUCH_SECONDS):
        lastseen.note(ApiToken.__table__, "last_used_at", api_token.id, now)
    return user, (record[0] if record else None)


@cache  # built once, the token a parameter: every API request reads it
def _token_and_user():
    return (select(ApiToken, User).join(User, User.id == ApiToken.user_id)  # one statement, not two
            .where(ApiToken.token_hash == bindparam("token_hash")))


@cache  # one per model, the record's id a parameter
def _token_user_and_record(model):
    record = aliased(model, name="named_record")  # whatever the model, even a user or a token
    return _token_and_user().add_columns(record).outerjoin_from(User, record, record.id == bindparam("record_id"))


def revoke_tokens(user: User) -> int:
    """Delete every API token of ``user``; returns how many there were."""
    tokens = list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)))
    for api_token in tokens:
        db.session.delete(api_token)
    return len(tokens)


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == (email or "").strip().lower()))


def users_by_id(ids) -> dict[int, User]:
    """Load the users behind a page of records in one query."""
    ids = {user_id for user_id in ids if user_id}
    if not ids:
        return {}
    return {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(ids)))}


def active_users() -> list[User]:
    return list(db.session.scalars(active_users_statement()))


@cache  # built once: a list page reads it with its other settings (kernel.onepass)
def active_users_statement():
    return select(User).where(User.active.is_(True)).order_by(User.name)
