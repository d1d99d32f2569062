"""The security event log: ``record_event`` adds one row (who, when, from where, what).

An event joins the request's transaction: an action and its record are saved together, or
neither is. Where nothing else is saved (a failed login, a refused password), pass
``commit=True`` so that the event is saved all the same. (A second connection of its own would
wait behind the request's write lock on SQLite.)
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app, has_request_context, request
from flask_login import current_user
from sqlalchemy import delete, func, select

from kernel.db import db, utcnow
from kernel.security.models import SecurityEvent

log = logging.getLogger("passerelle.security")

# The events the kernel records; plugins may record their own kinds (``<plugin>.<what>``).
LOGIN_SUCCEEDED = "login.succeeded"
LOGIN_FAILED = "login.failed"
LOGOUT = "logout"
PASSWORD_CHANGED = "password.changed"
PASSWORD_RESET_REQUESTED = "password.reset_requested"
PASSWORD_RESET = "password.reset"
PASSWORD_CHECK_FAILED = "password.check_failed"
ROLE_CHANGED = "user.role_changed"
PERMISSIONS_CHANGED = "user.permissions_changed"
USER_CREATED = "user.created"
USER_ACTIVATED = "user.activated"
USER_DEACTIVATED = "user.deactivated"
SESSIONS_ENDED = "sessions.ended"
TOKEN_CREATED = "token.created"
TOKEN_REVOKED = "token.revoked"
FORCE_CLOSE_APPROVED = "force_close.approved"
EXPORTED = "data.exported"
IMPORTED = "data.imported"
MERGED = "record.merged"
DELETED = "record.deleted"
THROTTLED = "throttled"
LOG_PURGED = "security_log.purged"

# The database refuses to delete events younger than this (triggers of migration 3b9d5f7a1c2e):
# a retention setting below it is refused.
APPEND_ONLY_DAYS = 30
DEFAULT_RETENTION_DAYS = 365
PURGE_EVERY = timedelta(hours=24)


def client_address() -> str | None:
    # At most the columns' 64 characters: a misconfigured proxy may pass on any X-Forwarded-For.
    if not has_request_context():
        return None
    return (request.remote_addr or "")[:64] or None


def record_event(event: str, *, user=None, email: str | None = None, target_type: str | None = None,
                 target_id=None, commit: bool = False, address: str | None = None, **details) -> SecurityEvent:
    """Add one event. ``user`` defaults to the signed-in user; ``email`` names an account when
    there is no user (a failed login for an unknown address); ``address`` defaults to the
    request's client (a background job passes the address of the request that started it)."""
    if user is None and has_request_context() and getattr(current_user, "is_authenticated", False):
        user = current_user
    row = SecurityEvent(
        event=event[:40],
        user_id=getattr(user, "id", None),
        user_email=(email or getattr(user, "email", None) or None),
        address=(address or client_address() or None),
        target_type=target_type,
        target_id=None if target_id is None else str(target_id)[:64],
        details={key: value for key, value in details.items() if value is not None},
    )
    if row.user_email:
        row.user_email = row.user_email[:255]
    db.session.add(row)
    if commit:
        db.session.commit()
    return row


MAX_IDS = 500  # ids named in one event; a larger mass deletion gives its count and its filters


def record_export(what: str, *, entity: str | None = None, user=None, **details) -> SecurityEvent:
    """An export of personal data (``what``: "list", "report", "hsds"), committed at once: the
    file is streamed after the request's transaction, and an export that fails half-way was
    still asked for."""
    return record_event(EXPORTED, user=user, target_type=entity, what=what, commit=True, **details)


def record_deletion(entity: str, how: str, ids: list, *, count: int | None = None, user=None,
                    **details) -> SecurityEvent:
    """Records moved to the trash (``how``: "trash", "mass", "api"), in the request's
    transaction: the event and the deletion are saved together."""
    return record_event(DELETED, user=user, target_type=entity, target_id=ids[0] if len(ids) == 1 else None,
                        how=how, count=len(ids) if count is None else count, ids=list(ids[:MAX_IDS]), **details)


# -- retention -----------------------------------------------------------------------------------
class RetentionTooShort(ValueError):
    """SECURITY_LOG_RETENTION_DAYS below the days the database keeps events whatever happens."""


def retention_days(config=None) -> int:
    """``SECURITY_LOG_RETENTION_DAYS`` (default 365), refused below ``APPEND_ONLY_DAYS``."""
    config = current_app.config if config is None else config
    value = config.get("SECURITY_LOG_RETENTION_DAYS") or DEFAULT_RETENTION_DAYS
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise RetentionTooShort(f"SECURITY_LOG_RETENTION_DAYS must be a number of days, not {value!r}") from None
    if days < APPEND_ONLY_DAYS:
        raise RetentionTooShort(f"SECURITY_LOG_RETENTION_DAYS is {days}: the security log is kept at least "
                                f"{APPEND_ONLY_DAYS} days (the database refuses to delete younger events)")
    return days


def last_purge() -> datetime | None:
    return db.session.scalar(select(func.max(SecurityEvent.occurred_at)).where(SecurityEvent.event == LOG_PURGED))


def purge_expired_events(now: datetime | None = None) -> int | None:
    """The worker's job: once a day (the last run is read from the log itself, so several
    workers agree), delete the events older than the retention time and record the run as an
    event. Returns how many were deleted, or None when a run was done less than a day ago."""
    now = now or utcnow()
    last = last_purge()
    if last is not None and now - last < PURGE_EVERY:
        return None
    days = retention_days()
    cutoff = now - timedelta(days=days)
    result = db.session.execute(
        delete(SecurityEvent).where(SecurityEvent.occurred_at < cutoff).execution_options(synchronize_session=False)
    )
    deleted = result.rowcount or 0
    row = record_event(LOG_PURGED, user=None, deleted=deleted, retention_days=days,
                       older_than=cutoff.isoformat(timespec="seconds"))
    row.occurred_at = now
    db.session.commit()
    if deleted:
        log.info("security log: %s events older than %s days deleted", deleted, days)
    return deleted
