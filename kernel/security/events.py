"""The security event log: ``record_event`` adds one row (who, when, from where, what).

An event joins the request's transaction: an action and its record are saved together, or
neither is. Where nothing else is saved (a failed login, a refused password), pass
``commit=True`` so that the event is saved all the same. (A second connection of its own would
wait behind the request's write lock on SQLite.)
"""

from __future__ import annotations

from flask import has_request_context, request
from flask_login import current_user

from kernel.db import db
from kernel.security.models import SecurityEvent

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


def client_address() -> str | None:
    # At most the columns' 64 characters: a misconfigured proxy may pass on any X-Forwarded-For.
    if not has_request_context():
        return None
    return (request.remote_addr or "")[:64] or None


def record_event(event: str, *, user=None, email: str | None = None, target_type: str | None = None,
                 target_id=None, commit: bool = False, **details) -> SecurityEvent:
    """Add one event. ``user`` defaults to the signed-in user; ``email`` names an account when
    there is no user (a failed login for an unknown address)."""
    if user is None and has_request_context() and getattr(current_user, "is_authenticated", False):
        user = current_user
    row = SecurityEvent(
        event=event[:40],
        user_id=getattr(user, "id", None),
        user_email=(email or getattr(user, "email", None) or None),
        address=client_address(),
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
