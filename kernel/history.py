"""The audit trail: who changed which field of which record, when, from what to what."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from kernel.db import Base, db, insert_many, utcnow
from kernel.users import User

CREATED, UPDATED, DELETED, RESTORED = "created", "updated", "deleted", "restored"


class RecordChange(Base):
    __tablename__ = "record_changes"
    __table_args__ = (Index("ix_record_changes_record", "entity", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(20))
    field: Mapped[str | None] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User | None] = relationship()


def as_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def record_event(entity, record, action: str, user, changes: dict | None = None) -> None:
    """Write one history row per changed field, or one row for the event itself."""
    user_id = getattr(user, "id", None)
    if not changes:
        db.session.add(RecordChange(entity=entity.name, record_id=record.id, action=action, user_id=user_id))
        return
    for name, (old, new) in changes.items():
        db.session.add(
            RecordChange(
                entity=entity.name, record_id=record.id, action=action, field=name,
                old_value=as_text(old), new_value=as_text(new), user_id=user_id,
            )
        )


def record_created_many(entity, records: list, user) -> None:
    """The "created" event of many new records, in one statement (imports)."""
    if records:
        user_id, now = getattr(user, "id", None), utcnow()
        insert_many(RecordChange.__table__, [
            {"entity": entity.name, "record_id": record.id, "action": CREATED, "field": None, "old_value": None,
             "new_value": None, "user_id": user_id, "changed_at": now} for record in records
        ])


def history_of(entity, record) -> list[RecordChange]:
    statement = (
        select(RecordChange)
        .where(RecordChange.entity == entity.name, RecordChange.record_id == record.id)
        .order_by(RecordChange.changed_at.desc(), RecordChange.id.desc())
        .options(selectinload(RecordChange.user))
    )
    return list(db.session.scalars(statement))
