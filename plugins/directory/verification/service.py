"""The verification cycle: when a record is stale, marking it verified (through the normal save path,
so that it lands in the record's history), and the fields an agency may propose to change."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import and_, or_, select

from kernel.toolkit import db, entities, records, users_by_id, utcnow
from kernel.toolkit import lazy_gettext as _l
from plugins.directory.models import Agency, Resource

DEFAULT_MONTHS = 12
LINK_DAYS = 30
DEFAULT_REMINDER_DAYS = 7
MAX_REMINDERS = 2
BY_USER, BY_AGENCY = "user", "agency"
ENTITY_NAMES = {Agency: "agency", Resource: "resource"}

# What an agency may propose to change, per record; phones, hours, places and languages are said in
# the comment (they are rows of their own, changed by a resource manager on the resource form).
PROPOSABLE = {
    "agency": ("name", "email", "website", "description"),
    "resource": ("name", "description", "email", "url", "eligibility_description", "fees_description",
                 "application_process"),
}
LONG_FIELDS = {"description", "eligibility_description", "fees_description", "application_process"}
LONGEST_VALUE = 4000


def verify_months() -> int:
    """DIRECTORY_VERIFY_MONTHS: how long a verification holds (12 months unless configured)."""
    try:
        months = int(current_app.config.get("DIRECTORY_VERIFY_MONTHS") or DEFAULT_MONTHS)
    except (TypeError, ValueError):
        return DEFAULT_MONTHS
    return months if months > 0 else DEFAULT_MONTHS


def reminder_days() -> int:
    try:
        days = int(current_app.config.get("DIRECTORY_VERIFY_REMINDER_DAYS") or DEFAULT_REMINDER_DAYS)
    except (TypeError, ValueError):
        return DEFAULT_REMINDER_DAYS
    return days if days > 0 else DEFAULT_REMINDER_DAYS


def months_before(moment: datetime, months: int) -> datetime:
    """The same day ``months`` calendar months earlier (the month's last day when it has fewer)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = moment.day
    while True:
        try:
            return moment.replace(year=year, month=month + 1, day=day)
        except ValueError:
            day -= 1


def stale_before(now: datetime | None = None) -> datetime:
    return months_before(now or utcnow(), verify_months())


def verified_basis(record) -> datetime | None:
    """Since when the record is known current: its last verification, else its creation."""
    return record.last_verified_at or record.created_at


def is_stale(record, now: datetime | None = None) -> bool:
    basis = verified_basis(record)
    return basis is not None and basis < stale_before(now)


def stale_condition(model, before: datetime):
    """SQL: ``model``'s records not verified since ``before`` (never verified: created before it)."""
    return or_(model.last_verified_at < before, and_(model.last_verified_at.is_(None), model.created_at < before))


def verified_by_label(record) -> str:
    """Who verified the record last: a user's name, or the agency through its form."""
    if record.last_verified_via == BY_AGENCY:
        return str(_l("the agency, via the verification form"))
    if record.last_verified_by_id:
        user = users_by_id({record.last_verified_by_id}).get(record.last_verified_by_id)
        if user is not None:
            return user.name
    return ""


def _stamp(record, user, via: str, now: datetime) -> dict:
    old = record.last_verified_at
    record.last_verified_at = now
    record.last_verified_by_id = getattr(user, "id", None)
    record.last_verified_via = via
    return {"last_verified_at": (old, now)}


def save_verified(record, user, *, via: str = BY_USER, changes: dict | None = None,
                  now: datetime | None = None, sections=None) -> dict:
    """Apply ``changes`` (validated as a form's) and mark ``record`` verified, through the normal save
    path: both land in its history. ``sections(saved)``: the resource form's section saves of the
    accepted phones, hours or languages (their changes join the history too). Raises the save's
    ValidationError; the caller commits."""
    entity = entities().get(ENTITY_NAMES[type(record)])
    moment = now or utcnow()
    def children(saved) -> dict:
        written = sections(saved) if sections is not None else {}
        return {**(written or {}), **_stamp(saved, user, via, moment)}

    return records.update(entity, record, changes or {}, user, children=children)


def mark_agency_records_verified(agency: Agency, *, except_ids=(), now: datetime | None = None) -> int:
    """The agency confirmed its records through its form: each one verified, by the agency."""
    moment = now or utcnow()
    count = 0
    if ("agency", agency.id) not in except_ids:
        save_verified(agency, None, via=BY_AGENCY, now=moment)
        count += 1
    for service in services_of(agency.id):
        if ("resource", service.id) not in except_ids:
            save_verified(service, None, via=BY_AGENCY, now=moment)
            count += 1
    return count


def services_of(agency_id: int) -> list[Resource]:
    return list(db.session.scalars(select(Resource).where(
        Resource.organization_id == agency_id, Resource.deleted_at.is_(None)).order_by(Resource.name, Resource.id)))


def clean_value(raw) -> str | None:
    text = (raw or "").replace("\r\n", "\n").strip()
    return text[:LONGEST_VALUE] or None


def field_label(entity_name: str, name: str) -> str:
    entity = entities().get(entity_name)
    meta = entity.fields.get(name) if entity is not None else None
    return str(meta.label) if meta is not None else name
