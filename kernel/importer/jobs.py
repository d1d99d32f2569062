"""The ``imports`` table: one row per import job (file, mapping, duplicate mode, status and
counters), changed in short transactions of its own, never with the records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, String, Text, update
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from kernel.db import Base, db, utcnow
from kernel.entities import Entity
from kernel.i18n import lazy_gettext as _l
from kernel.importer.files import store_file
from kernel.importer.mapping import guess_mapping
from kernel.users import User

if TYPE_CHECKING:
    from kernel.importer.reading import CsvFile


QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
SKIP, UPDATE, CREATE = "skip", "update", "create"
DUPLICATE_MODES = (SKIP, UPDATE, CREATE)
DUPLICATE_MODE_LABELS = {
    SKIP: _l("Skip the row: keep the existing record as it is"),
    UPDATE: _l("Update the existing record with the row's values"),
    CREATE: _l("Create a new record anyway"),
}


class Import(Base):
    """One import: the stored file, how to read it, where it stands."""

    __tablename__ = "imports"
    __table_args__ = (Index("ix_imports_status_run_requested_at", "status", "run_requested_at"),)  # the worker's queue

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    entity: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    path: Mapped[str] = mapped_column(String(255))  # relative to the instance folder
    mapping: Mapped[list] = mapped_column(JSON, default=list)  # one field name (or null) per column
    duplicates: Mapped[str] = mapped_column(String(10), default=SKIP)
    status: Mapped[str] = mapped_column(String(10), default=QUEUED)
    total: Mapped[int] = mapped_column(default=0)
    processed: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)
    rejected: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]  # a running import's last sign of life
    run_requested_at: Mapped[datetime | None]  # queued for a worker (any machine) to claim

    user: Mapped[User | None] = relationship()

    @property
    def finished(self) -> bool:
        return self.status in (DONE, FAILED)

    def visible_to(self, user) -> bool:
        return bool(user) and (user.id == self.user_id or user.is_admin)


COUNTERS = ("processed", "created", "updated", "skipped", "rejected")


@dataclass
class Counters:
    total: int = 0
    processed: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    rejected: int = 0

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in ("total", *COUNTERS)}

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, round(100 * self.processed / self.total))


def counters_of(job: Import) -> Counters:
    return Counters(**{name: getattr(job, name) or 0 for name in ("total", *COUNTERS)})


def set_job(job_id: int, **values) -> None:
    """Change the job's row in its own short transaction (never with the records)."""
    with Session(db.engine) as session:
        session.execute(update(Import).where(Import.id == job_id).values(**values))
        session.commit()


def user_of(job: Import):
    return db.session.get(User, job.user_id) if job.user_id else None


def entity_of(job: Import) -> Entity | None:
    from kernel.registry import entities

    return entities().get(job.entity)


def can_restart(job: Import) -> bool:
    return job.status == FAILED


def restart(job_id: int) -> bool:
    """Put a failed import back in the queue, as it was before it ran; the caller starts it."""
    with Session(db.engine) as session:
        result = session.execute(update(Import).where(Import.id == job_id, Import.status == FAILED).values(
            status=QUEUED, started_at=None, finished_at=None, heartbeat_at=None, error=None,
            processed=0, created=0, updated=0, skipped=0, rejected=0))
        session.commit()
    return result.rowcount == 1


def new_job(entity: Entity, user, filename: str, data: bytes, csv_file: CsvFile,
            mapping: list[str | None] | None = None, mode: str = SKIP) -> Import:
    """Store the file and add the job (queued) to the session; the caller commits."""
    job = Import(
        user_id=getattr(user, "id", None), entity=entity.name, filename=(filename or "import.csv")[:255],
        path=store_file(data), mapping=mapping if mapping is not None else guess_mapping(entity, csv_file.headers),
        duplicates=mode, status=QUEUED, total=csv_file.row_count,
    )
    db.session.add(job)
    return job
