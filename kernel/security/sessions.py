"""Server-side sessions: each signed-in browser is a row of ``user_sessions``.

The session cookie (Flask's, signed) carries a random secret; the table keeps its SHA-256. A
session ends on the server (``ended_at``): at logout, on a password change or reset, when the
account is deactivated, when its owner or an administrator signs it out, or after
``SESSION_IDLE_MINUTES`` without a request or ``SESSION_MAX_DAYS`` after login. A copied cookie
then stops working as well. ``last_seen_at`` is written at most once a minute, after the request
(``kernel.security.lastseen``): a page that only reads writes nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import cache

from flask import current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import bindparam, select, update

from kernel.db import db, utcnow
from kernel.onepass import OnePass
from kernel.request_state import keep_for_request
from kernel.security import lastseen
from kernel.security.events import client_address
from kernel.security.models import UserSession

COOKIE_KEY = "_session_secret"
TOUCH_SECONDS = 60


class SignedCookies(SecureCookieSessionInterface):
    """Flask's signed session cookie, its signer made once per set of keys. Flask makes a new one
    for every request, with a cookie or without (an API request): 1 to 2 % of its CPU time."""

    def __init__(self):
        self._signers: dict[tuple, object] = {}

    def get_signing_serializer(self, app):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        signer = self._signers.get(keys)
        if signer is None:
            signer = self._signers[keys] = super().get_signing_serializer(app)
        return signer


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def idle_limit() -> timedelta:
    return timedelta(minutes=int(current_app.config.get("SESSION_IDLE_MINUTES") or 480))


def age_limit_of(config) -> timedelta:
    return timedelta(days=int(config.get("SESSION_MAX_DAYS") or 7))


def age_limit() -> timedelta:
    return age_limit_of(current_app.config)


def is_alive(row: UserSession, now: datetime) -> bool:
    return (row.ended_at is None and now - row.last_seen_at < idle_limit()
            and now - row.created_at < age_limit())


def start(user) -> UserSession:
    """A new session for ``user`` in this browser (after ``login_user``); saved with the request."""
    secret = secrets.token_urlsafe(32)
    row = UserSession(id=_hash(secret), user_id=user.id, address=client_address(),
                      user_agent=(request.user_agent.string or "")[:255] or None)
    db.session.add(row)
    session[COOKIE_KEY] = secret
    session.permanent = True  # the cookie lasts SESSION_MAX_DAYS; the server decides before that
    g.user_session = row
    return row


def current() -> UserSession | None:
    """This browser's live session, if any."""
    if "user_session" not in g:
        secret = session.get(COOKIE_KEY)
        row = db.session.get(UserSession, _hash(secret)) if isinstance(secret, str) and secret else None
        g.user_session = row if row is not None and is_alive(row, utcnow()) else None
    return g.user_session


def _current_with_user(user_model):
    """``current()`` and its user, read with one statement when the session is not read yet
    (every signed-in request starts here)."""
    if "user_session" in g:
        row = g.user_session
        return row, (db.session.get(user_model, row.user_id) if row is not None else None)
    secret = session.get(COOKIE_KEY)
    found = None
    if isinstance(secret, str) and secret:
        found = _read_session_and_user(user_model, _hash(secret))
    row, user = found if found is not None else (None, None)
    g.user_session = row if row is not None and is_alive(row, utcnow()) else None
    return g.user_session, user


def _read_session_and_user(user_model, session_id: str) -> tuple | None:
    """The session and its user, and with them in the same statement the reads plugins declared
    (``passerelle_session_reads``), each kept for the request."""
    declared = current_app.extensions["passerelle.session_reads"]
    reads = OnePass()
    for read in declared:
        reads.rows(f"session:{read.key}", read.statement(), params={})
    found = reads.run(base=_session_and_user(user_model), base_params={"session_id": session_id})
    if found["base"] is None:
        return None
    for read in declared:
        keep_for_request(read.key, read.shape(found[f"session:{read.key}"]))
    return found["base"]


@cache  # built once, the session a parameter: every signed-in request reads it
def _session_and_user(user_model):
    return (select(UserSession, user_model).join(user_model, user_model.id == UserSession.user_id)
            .where(UserSession.id == bindparam("session_id")))


def user_for_session(user_id: str):
    """Flask-Login's user loader: the user of this browser's live session, or None."""
    from kernel.users import User

    row, user = _current_with_user(User)
    if row is None or str(row.user_id) != str(user_id):
        return None
    if user is None or not user.active:
        return None
    now = utcnow()
    if lastseen.is_due(row.last_seen_at, now, TOUCH_SECONDS):
        lastseen.note(UserSession.__table__, "last_seen_at", row.id, now)
    return user


def end_all(user, *, keep: UserSession | None = None) -> int:
    """End every live session of ``user`` (but ``keep``); returns how many were ended."""
    statement = update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if keep is not None:
        statement = statement.where(UserSession.id != keep.id)
    ended = db.session.execute(statement.values(ended_at=utcnow()).execution_options(synchronize_session=False))
    if keep is None and getattr(g, "user_session", None) is not None and g.user_session.user_id == user.id:
        g.user_session = None
    return ended.rowcount


def end_one(user, session_id: str) -> bool:
    """End one session of ``user`` (from the profile's list)."""
    ended = db.session.execute(
        update(UserSession)
        .where(UserSession.id == session_id, UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow()).execution_options(synchronize_session=False)
    )
    return ended.rowcount > 0


def live_sessions(user) -> list[UserSession]:
    now = utcnow()
    rows = db.session.scalars(
        select(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None),
               UserSession.last_seen_at > now - idle_limit(), UserSession.created_at > now - age_limit())
        .order_by(UserSession.last_seen_at.desc())
    )
    return list(rows)
