"""Who saw what: the reads of sensitive records (entities declared ``sensitive=True``).

A screen or API route that shows a sensitive record calls ``note_read(entity, record_id)``; the
kernel's record page, API record read and list export do it themselves. Reads are collected in
memory during the request and written in ONE statement (a multi-row INSERT) in the request's own
transaction: just before its commit, or, for a request that commits nothing (an API read), at its
end with a commit of its own. A list page logs nothing: an export is one entry with its count.

The log is append-only: nothing in the application changes or deletes a row, and the database
refuses it (triggers of the kernel migration that creates the table) except for the retention
purge of rows older than ``ACCESS_LOG_RETENTION_DAYS`` (see docs/privacy.md).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app, g, has_request_context, request
from sqlalchemy import Index, String, delete, event, func, insert, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Mapped, mapped_column

from kernel.db import Base, db, utcnow

log = logging.getLogger("passerelle.access_log")

API = "api"  # ``via`` of a read through the REST API
EXPORT = "export"  # ``via`` of a list exported as CSV (one entry, with the count)

# The database refuses to delete reads younger than this (triggers of migration 7c1e5a9b3d20):
# a retention setting below it is refused.
APPEND_ONLY_DAYS = 30
DEFAULT_RETENTION_DAYS = 365
PURGE_EVERY = timedelta(hours=24)
PURGED = "access_log.purged"  # the security event a purge run leaves

_PENDING = "_passerelle_record_reads"


class RecordRead(Base):
    """One read: who, when, which record (or, for an export, how many), from which screen."""

    __tablename__ = "record_reads"
    __table_args__ = (
        Index("ix_record_reads_record", "entity", "record_id", "read_at"),  # a record's page: who saw it
        Index("ix_record_reads_user", "user_id", "read_at"),  # the report filtered by user
        Index("ix_record_reads_entity", "entity", "read_at"),  # the report filtered by entity
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    read_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)  # the period, newest first
    user_id: Mapped[int | None] = mapped_column()  # no foreign key: the log outlives accounts
    entity: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[int | None] = mapped_column()  # None for an export
    via: Mapped[str] = mapped_column(String(80))  # the route's endpoint, "api" or "export"
    count: Mapped[int | None] = mapped_column()  # rows of an export


def note_read(entity, record_id: int | None = None, *, via: str | None = None, count: int | None = None,
              user=None) -> None:
    """Note that ``record_id`` of ``entity`` (an Entity or its name) was shown to ``user`` (the
    signed-in or API user by default). Nothing happens for an entity that is not sensitive. The
    same read is noted once per request. Outside a request it is written at once in the session
    (the caller commits)."""
    entity = _entity(entity)
    if entity is None or not entity.sensitive:
        return
    row = {"entity": entity.name, "record_id": record_id, "via": (via or _via())[:80], "count": count,
           "user_id": getattr(user or _current_user(), "id", None), "read_at": utcnow()}
    if not has_request_context():
        db.session.execute(insert(RecordRead), [row])
        return
    pending = g.setdefault(_PENDING, {})
    pending.setdefault((row["entity"], record_id, row["via"], count, row["user_id"]), row)


def note_export(entity, statement) -> None:
    """Note an export of a sensitive entity's list: one entry with how many records it holds
    (one count of ``statement``, the export's filtered SELECT)."""
    if not entity.sensitive:
        return
    count = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    note_read(entity, None, via=EXPORT, count=count)


def _entity(entity):
    if isinstance(entity, str):
        return current_app.extensions["passerelle.entities"].get(entity)
    return entity


def _current_user():
    if not has_request_context():
        return None
    user = g.get("api_user")
    if user is not None:
        return user
    from flask_login import current_user

    return current_user if getattr(current_user, "is_authenticated", False) else None


def _via() -> str:
    if not has_request_context():
        return "job"
    if request.blueprint == "api" or request.path.startswith("/api/"):
        return API
    return request.endpoint or request.path


def write_pending(session) -> int:
    """Write the reads noted so far in one INSERT, in ``session``'s transaction."""
    if not has_request_context():
        return 0
    pending = g.pop(_PENDING, None)
    if not pending:
        return 0
    # The table's own INSERT: compiled once whatever the number of rows (the ORM's multi-row
    # VALUES was compiled again for each new count and went through its bulk-save machinery).
    session.execute(RecordRead.__table__.insert(), list(pending.values()))
    return len(pending)


def drop_pending() -> None:
    if has_request_context():
        g.pop(_PENDING, None)


def init_app(app) -> None:
    """Reads are written just before the request's commit, or at its end when it commits nothing.
    A read whose entry cannot be written is not answered: the record is not shown unlogged."""
    if not event.contains(db.session.session_factory, "before_commit", write_pending):
        event.listen(db.session.session_factory, "before_commit", write_pending)

    @app.after_request
    def write_reads_of_a_request_that_saved_nothing(response):
        if not g.get(_PENDING):
            return response
        if response.status_code >= 400:
            drop_pending()
            return response
        try:
            db.session.commit()  # before_commit writes them
        except DBAPIError:
            db.session.rollback()
            drop_pending()
            log.exception("a read of a sensitive record could not be logged; the answer is withheld")
            return _unavailable()
        return response


def _unavailable():
    from kernel.i18n import gettext as _
    from kernel.views.api import problem

    message = _("The database does not answer. Try again in a moment: nothing was saved.")
    if request.path.startswith("/api/"):
        return problem(503, message)
    return current_app.response_class(message, status=503, mimetype="text/plain")


# -- retention --------------------------------------------------------------------------------
class RetentionTooShort(ValueError):
    """ACCESS_LOG_RETENTION_DAYS below the days the database keeps reads whatever happens."""


def retention_days(config=None) -> int:
    """``ACCESS_LOG_RETENTION_DAYS`` (default 365), refused below ``APPEND_ONLY_DAYS``."""
    config = current_app.config if config is None else config
    value = config.get("ACCESS_LOG_RETENTION_DAYS") or DEFAULT_RETENTION_DAYS
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise RetentionTooShort(f"ACCESS_LOG_RETENTION_DAYS must be a number of days, not {value!r}") from None
    if days < APPEND_ONLY_DAYS:
        raise RetentionTooShort(f"ACCESS_LOG_RETENTION_DAYS is {days}: the access log is kept at least "
                                f"{APPEND_ONLY_DAYS} days (the database refuses to delete younger reads)")
    return days


def last_purge() -> datetime | None:
    from kernel.security.models import SecurityEvent

    return db.session.scalar(select(func.max(SecurityEvent.occurred_at)).where(SecurityEvent.event == PURGED))


def purge_expired_reads(now: datetime | None = None) -> int | None:
    """The worker's job: once a day (the last run is read from the security log, where each run
    is recorded, so several workers agree), delete the reads older than the retention time.
    Returns how many were deleted, or None when a run was done less than a day ago."""
    from kernel.security.events import record_event

    now = now or utcnow()
    last = last_purge()
    if last is not None and now - last < PURGE_EVERY:
        return None
    days = retention_days()
    cutoff = now - timedelta(days=days)
    result = db.session.execute(
        delete(RecordRead).where(RecordRead.read_at < cutoff).execution_options(synchronize_session=False)
    )
    deleted = result.rowcount or 0
    row = record_event(PURGED, user=None, deleted=deleted, retention_days=days,
                       older_than=cutoff.isoformat(timespec="seconds"))
    row.occurred_at = now
    db.session.commit()
    if deleted:
        log.info("access log: %s reads older than %s days deleted", deleted, days)
    return deleted
