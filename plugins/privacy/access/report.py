"""The access report: reads of sensitive records newest first, filtered by user, record type,
record and period, a page at a time, and the same reads as a streamed CSV file.

Each filter and the sort have an index (``kernel.access_log.RecordRead``); a page costs three
queries whatever its size (a capped count, the rows, their users) plus one per record type for
the records' titles.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from flask_babel import to_user_timezone
from sqlalchemy import func, select

from kernel.toolkit import COUNT_CAP, RecordRead, User, clock, db, entities, gettext, stream_all, users_by_id
from kernel.toolkit import lazy_gettext as _l

PER_PAGE = 50
DEFAULT_RETENTION_DAYS = 365  # as the kernel's ACCESS_LOG_RETENTION_DAYS
SQL_INTEGER_MAX = 2_147_483_647  # ids and user ids are SQL integers
EXPORT_BATCH = 2000

VIA_LABELS = {
    "records.show_record": _l("Record page"),
    "api": _l("API"),
    "export": _l("List export (CSV)"),
    "records.edit_record": _l("Edit form"),
    "contactcenter.contact_screen": _l("Contact screen"),
    "activities.download": _l("Document download"),
    "report_export": _l("Report export (CSV)"),
    "person_export": _l("Export of everything held about the person"),
    "erasure": _l("Erasure of the person's data"),
}


class FilterError(ValueError):
    """A filter value that cannot be used; the message is for the administrator."""


@dataclass
class Filters:
    user_id: int | None = None
    entity: str | None = None
    record_id: int | None = None
    start: date | None = None
    end: date | None = None

    @classmethod
    def from_args(cls, args) -> Filters:
        filters = cls(user_id=_number(args.get("user")), entity=_entity_name(args.get("entity")),
                      record_id=_number(args.get("record")), start=_date(args.get("from")),
                      end=_date(args.get("to")))
        if filters.start and filters.end and filters.end < filters.start:
            raise FilterError(gettext("The end of the period is before its start."))
        return filters

    def where(self, statement):
        if self.user_id is not None:
            statement = statement.where(RecordRead.user_id == self.user_id)
        if self.entity:
            statement = statement.where(RecordRead.entity == self.entity)
        if self.record_id is not None:
            statement = statement.where(RecordRead.record_id == self.record_id)
        if self.start:
            statement = statement.where(RecordRead.read_at >= utc_midnight(self.start))
        if self.end:
            statement = statement.where(RecordRead.read_at < utc_midnight(self.end + timedelta(days=1)))
        return statement

    def query_items(self) -> dict:
        """The filters as URL arguments (for pages and the export)."""
        values = {"user": self.user_id, "entity": self.entity, "record": self.record_id,
                  "from": self.start and self.start.isoformat(), "to": self.end and self.end.isoformat()}
        return {name: value for name, value in values.items() if value not in (None, "")}


def _number(value: str | None) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 10 or int(value) > SQL_INTEGER_MAX:
        raise FilterError(gettext("Enter a whole number."))
    return int(value)


def _entity_name(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if value not in sensitive_entities():
        raise FilterError(gettext("Choose one of the options offered."))
    return value


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FilterError(gettext("Enter a date such as 2026-03-31.")) from None


def utc_midnight(day: date) -> datetime:
    """The start of ``day`` where the administrator is, as the naive UTC the log stores."""
    local = datetime.combine(day, time.min, tzinfo=clock.local_zone())
    return local.astimezone(UTC).replace(tzinfo=None)


def sensitive_entities() -> dict:
    return {entity.name: entity for entity in entities() if entity.sensitive}


def page_number(args) -> int:
    number = args.get("page", 1, type=int) or 1
    return min(max(1, number), 1_000_000)


@dataclass
class Page:
    rows: list
    total: int
    page: int
    per_page: int = PER_PAGE
    total_is_exact: bool = True

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def reads_page(filters: Filters, page: int) -> Page:
    matching = filters.where(select(RecordRead.id))
    total = db.session.scalar(select(func.count()).select_from(matching.limit(COUNT_CAP + 1).subquery()))
    reads = list(db.session.scalars(
        filters.where(select(RecordRead)).order_by(RecordRead.read_at.desc(), RecordRead.id.desc())
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ))
    users = users_by_id(read.user_id for read in reads)
    titles = record_titles((read.entity, read.record_id) for read in reads)
    rows = [{"read": read, "user": users.get(read.user_id), "title": titles.get((read.entity, read.record_id))}
            for read in reads]
    return Page(rows=rows, total=min(total, COUNT_CAP), page=page, total_is_exact=total <= COUNT_CAP)


def record_titles(pairs) -> dict[tuple[str, int], str]:
    """The titles of the records read, one query per record type (records in the trash included)."""
    by_entity: dict[str, set[int]] = {}
    for name, record_id in pairs:
        if record_id is not None:
            by_entity.setdefault(name, set()).add(record_id)
    known = sensitive_entities()
    titles = {}
    for name, ids in by_entity.items():
        entity = known.get(name)
        if entity is None:
            continue
        for record in db.session.scalars(select(entity.model).where(entity.model.id.in_(ids))):
            titles[(name, record.id)] = entity.title_of(record)
    return titles


def via_label(via: str) -> str:
    label = VIA_LABELS.get(via)
    return str(label) if label is not None else via


def entity_label(name: str) -> str:
    entity = sensitive_entities().get(name) or entities().get(name)
    return str(entity.label) if entity is not None else name


def context(filters: Filters) -> dict:
    users = db.session.execute(select(User.id, User.name, User.email).order_by(User.name)).all()
    choices = sorted(((name, str(entity.label_plural)) for name, entity in sensitive_entities().items()),
                     key=lambda pair: pair[1])
    return {"filters": filters, "users": users, "entity_choices": choices, "via_label": via_label,
            "entity_label": entity_label, "plural_of": _plural_of, "retention_days": retention_days()}


def retention_days() -> int:
    return int(current_app.config.get("ACCESS_LOG_RETENTION_DAYS") or DEFAULT_RETENTION_DAYS)


def _plural_of(name: str) -> str | None:
    entity = entities().get(name)
    return entity.plural if entity is not None else None


def csv_header() -> list[str]:
    return [gettext("Date and time"), gettext("User"), gettext("User id"), gettext("Record type"),
            gettext("Record id"), gettext("Record"), gettext("Seen from"), gettext("Records exported")]


def export_batches(filters: Filters):
    """The filtered reads, newest first, as CSV rows, a batch at a time (flat memory)."""
    statement = filters.where(select(RecordRead.read_at, RecordRead.user_id, RecordRead.entity,
                                     RecordRead.record_id, RecordRead.via, RecordRead.count))
    statement = statement.order_by(RecordRead.read_at.desc(), RecordRead.id.desc())
    for partition in stream_all(statement).partitions(EXPORT_BATCH):
        users = users_by_id(row.user_id for row in partition)
        titles = record_titles((row.entity, row.record_id) for row in partition)
        yield [
            [to_user_timezone(row.read_at.replace(tzinfo=UTC)).strftime("%Y-%m-%d %H:%M:%S"),
             _user_text(users.get(row.user_id)), row.user_id, entity_label(row.entity), row.record_id,
             titles.get((row.entity, row.record_id), ""), via_label(row.via), row.count]
            for row in partition
        ]


def _user_text(user) -> str:
    return f"{user.name} <{user.email}>" if user is not None else ""
