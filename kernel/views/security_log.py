"""The security log for administrators: events newest first, filtered by kind, user, address and
period, a page at a time, and the filtered events as a streamed CSV file.

The log is append-only: this blueprint only reads it (the database refuses changes, see
``kernel.security.events``). Exporting it is itself an export of personal data, and is logged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import Blueprint, Response, render_template, request, stream_with_context
from flask_babel import to_user_timezone
from sqlalchemy import func, select

from kernel.clock import local_zone
from kernel.db import db, stream_all
from kernel.export import stream_csv
from kernel.i18n import gettext as _
from kernel.i18n import lazy_gettext as _l
from kernel.listing import Page
from kernel.permissions import require
from kernel.security import events
from kernel.security.models import SecurityEvent
from kernel.users import User

bp = Blueprint("security_log", __name__, url_prefix="/admin/security-log")

PER_PAGE = 50
COUNT_CAP = 10_000  # counting millions of filtered events would cost more than the page
EXPORT_BATCH = 2000

EVENT_LABELS = {
    events.LOGIN_SUCCEEDED: _l("Signed in"),
    events.LOGIN_FAILED: _l("Failed sign-in"),
    events.LOGOUT: _l("Signed out"),
    events.PASSWORD_CHANGED: _l("Password changed"),
    events.PASSWORD_RESET_REQUESTED: _l("Password reset asked for"),
    events.PASSWORD_RESET: _l("Password reset by link"),
    events.PASSWORD_CHECK_FAILED: _l("Wrong password given to confirm an action"),
    events.THROTTLED: _l("Attempts slowed down (too many)"),
    events.ROLE_CHANGED: _l("Role changed"),
    events.PERMISSIONS_CHANGED: _l("Permissions changed"),
    events.USER_CREATED: _l("User account created"),
    events.USER_ACTIVATED: _l("User account activated"),
    events.USER_DEACTIVATED: _l("User account deactivated"),
    events.SESSIONS_ENDED: _l("Sessions ended"),
    events.TOKEN_CREATED: _l("API token created"),
    events.TOKEN_REVOKED: _l("API token revoked"),
    events.FORCE_CLOSE_APPROVED: _l("Forced closing approved"),
    events.EXPORTED: _l("Data exported"),
    events.IMPORTED: _l("Data imported"),
    events.MERGED: _l("Records merged"),
    events.DELETED: _l("Records moved to the trash"),
    events.LOG_PURGED: _l("Old security events deleted"),
    "access_log.purged": _l("Old reads of the access log deleted"),
    "retention_run": _l("Retention rules applied"),  # the privacy plugin's runs (docs/privacy.md)
    "person_erased": _l("A person's data erased on request"),
}


class FilterError(ValueError):
    """A filter value that cannot be used; the message is for the administrator."""


@dataclass
class Filters:
    event: str | None = None
    user_id: int | None = None
    address: str | None = None
    start: date | None = None
    end: date | None = None

    @classmethod
    def from_args(cls, args) -> Filters:
        return cls(
            event=_text(args, "event", 40), user_id=_user_id(args.get("user")), address=_text(args, "address", 64),
            start=_date(args.get("from")), end=_date(args.get("to")),
        )

    def where(self, statement):
        if self.event:
            statement = statement.where(SecurityEvent.event == self.event)
        if self.user_id is not None:
            statement = statement.where(SecurityEvent.user_id == self.user_id)
        if self.address:
            statement = statement.where(SecurityEvent.address == self.address)
        if self.start:
            statement = statement.where(SecurityEvent.occurred_at >= utc_midnight(self.start))
        if self.end:
            statement = statement.where(SecurityEvent.occurred_at < utc_midnight(self.end + timedelta(days=1)))
        return statement

    def query_items(self) -> dict:
        """The filters as URL arguments (for pages and the export)."""
        values = {"event": self.event, "user": self.user_id, "address": self.address,
                  "from": self.start and self.start.isoformat(), "to": self.end and self.end.isoformat()}
        return {name: value for name, value in values.items() if value not in (None, "")}


def _text(args, name: str, limit: int) -> str | None:
    value = (args.get(name) or "").strip()
    if len(value) > limit:
        raise FilterError(_("At most %(count)d characters.", count=limit))
    return value or None


def _user_id(value: str | None) -> int | None:
    if not value:
        return None
    if not value.isdigit() or len(value) > 12:
        raise FilterError(_("Choose one of the options offered."))
    return int(value)


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FilterError(_("Enter a date such as 2026-03-31.")) from None


def utc_midnight(day: date) -> datetime:
    """The start of ``day`` where the administrator is, as the naive UTC the log stores."""
    local = datetime.combine(day, time.min, tzinfo=local_zone())
    return local.astimezone(UTC).replace(tzinfo=None)


def events_page(filters: Filters, page: int) -> Page:
    """One page, newest first (two queries whatever the page size: a capped count, the rows)."""
    matching = filters.where(select(SecurityEvent.id))
    total = db.session.scalar(select(func.count()).select_from(matching.limit(COUNT_CAP + 1).subquery()))
    rows = db.session.scalars(
        filters.where(select(SecurityEvent)).order_by(SecurityEvent.occurred_at.desc(), SecurityEvent.id.desc())
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    )
    return Page(records=list(rows), total=min(total, COUNT_CAP), page=page, per_page=PER_PAGE,
                total_is_exact=total <= COUNT_CAP)


def label_of(event: str) -> str:
    return str(EVENT_LABELS.get(event, event))


def details_text(details: dict | None) -> str:
    """``name: value`` pairs, lists and objects as JSON, for the page and the CSV file."""
    parts = []
    for name, value in (details or {}).items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
        parts.append(f"{name}: {shown}")
    return "; ".join(parts)


def page_number() -> int:
    number = request.args.get("page", 1, type=int) or 1
    return min(max(1, number), 1_000_000)


@bp.route("")
@require("kernel.security_log")
def index():
    users = db.session.execute(select(User.id, User.email).order_by(User.email)).all()
    context = {"labels": EVENT_LABELS, "users": users, "label_of": label_of, "details_text": details_text}
    try:
        filters = Filters.from_args(request.args)
    except FilterError as error:
        return render_template("admin/security_log.html", filters=Filters(), error=str(error), page=None,
                               **context), 400
    page = events_page(filters, page_number())
    return render_template("admin/security_log.html", filters=filters, error=None, page=page, **context)


@bp.route("/export.csv")
@require("kernel.security_log")
def export_csv():
    try:
        filters = Filters.from_args(request.args)
    except FilterError as error:
        return Response(str(error), status=400, mimetype="text/plain")
    events.record_export("security_log", filters=filters.query_items())
    header = [_("Date and time"), _("Event"), _("Code"), _("User"), _("User id"), _("Address"),
              _("Record type"), _("Record id"), _("Details")]
    return Response(
        stream_with_context(stream_csv(header, export_batches(filters), bom=request.args.get("bom") == "1")),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="security-log.csv"', "X-Accel-Buffering": "no"},
    )


def export_batches(filters: Filters):
    """The filtered events, newest first, as CSV rows, a batch at a time (flat memory)."""
    columns = (SecurityEvent.occurred_at, SecurityEvent.event, SecurityEvent.user_email, SecurityEvent.user_id,
               SecurityEvent.address, SecurityEvent.target_type, SecurityEvent.target_id, SecurityEvent.details)
    statement = filters.where(select(*columns)).order_by(SecurityEvent.occurred_at.desc(), SecurityEvent.id.desc())
    for partition in stream_all(statement).partitions(EXPORT_BATCH):
        yield [
            [to_user_timezone(when.replace(tzinfo=UTC)).strftime("%Y-%m-%d %H:%M:%S"), label_of(event), event,
             email, user_id, address, target_type, target_id, details_text(details)]
            for when, event, email, user_id, address, target_type, target_id, details in partition
        ]
