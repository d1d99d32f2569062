"""The organisation's clock: "now" and "today" where the user is.

Dates are stored in UTC; what a person calls *today* is the date in their time zone (the
profile's, else the organisation's ``DEFAULT_TIMEZONE``). At 20:00 in Iqaluit it is already
tomorrow in UTC, so every default date, due date, report period and dashlet asks ``today()``
here, never ``date.today()`` (the server's date). Tests freeze the clock by replacing
``utc_now``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask import current_app, has_app_context, has_request_context


def utc_now() -> datetime:
    """Aware UTC now: the one place the application reads the wall clock for local dates."""
    return datetime.now(UTC)


def _zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        return None


def organisation_zone() -> ZoneInfo:
    name = current_app.config.get("DEFAULT_TIMEZONE") if has_app_context() else None
    return _zone(name) or ZoneInfo("UTC")


def local_zone(user=None) -> ZoneInfo:
    """The zone of ``user`` (default: the signed-in user), else the organisation's."""
    if user is None and has_request_context():
        from flask_login import current_user

        user = current_user if getattr(current_user, "is_authenticated", False) else None
    return _zone(getattr(user, "timezone", None)) or organisation_zone()


def local_now(user=None) -> datetime:
    """Aware now in the user's (or the organisation's) zone."""
    return utc_now().astimezone(local_zone(user))


def today(user=None) -> date:
    """The user's (or the organisation's) date, not the server's."""
    return local_now(user).date()


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """The time zones a user may choose ("America/Iqaluit"…), sorted."""
    return tuple(sorted(name for name in available_timezones() if "/" in name and not name.startswith("Etc/")))
