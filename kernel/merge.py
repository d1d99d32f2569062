"""Merging two records of an entity into one (administrators).

The kept record takes the values chosen for it (through ``records.update``, so its history says
what changed); every row of the kernel's and the enabled plugins' tables that points at the removed
record through a foreign key is re-pointed at the kept one; the removed record's history is
re-attached to the kept one, which gets a "merged" event naming the removed id; the removed record
goes to the trash. Nothing is committed here: the request commits once, so it is all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import Column, DateTime, Integer, Table, insert, literal, select, update

from kernel import history, records
from kernel.db import Base, db, utcnow
from kernel.display import HISTORY_ACTIONS
from kernel.entities import Entity
from kernel.history import RecordChange
from kernel.i18n import lazy_gettext as _l
from kernel.registry import entities
from kernel.security import events

MERGED = "merged"
HISTORY_ACTIONS.setdefault(MERGED, _l("Merged with a duplicate record"))


@dataclass
class MergeResult:
    kept_id: int
    removed_id: int
    changes: dict
    repointed: int  # rows of other tables now pointing at the kept record
    history_moved: int


def differing_fields(entity: Entity, kept, removed) -> list[str]:
    """The editable fields whose values differ between the two records."""
    return [
        meta.name for meta in entity.editable_fields
        if entity.value_of(kept, meta.name) != entity.value_of(removed, meta.name)
    ]


def as_raw(value):
    """A saved value as the schema loads it (what a form or the API would send)."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def merge(entity: Entity, kept, removed, take_from_removed, user, *, kept_version=None, removed_version=None):
    """Merge ``removed`` into ``kept``; ``take_from_removed`` names the fields whose value comes
    from the removed record. Raises ``records.StaleRecord`` or ``ValidationError`` (nothing is
    then written: the caller rolls back)."""
    if kept.id == removed.id:
        raise ValueError("a record cannot be merged with itself")
    raw = {name: as_raw(entity.value_of(removed, name)) for name in take_from_removed if name in entity.fields}
    changes = records.update(entity, kept, raw, user, expected_version=kept_version)
    repointed = repoint_references(entity, removed.id, kept.id, user)
    moved = reattach_history(entity, removed.id, kept.id)
    db.session.add(RecordChange(
        entity=entity.name, record_id=kept.id, action=MERGED, old_value=str(removed.id),
        new_value=entity.title_of(removed), user_id=getattr(user, "id", None),
    ))
    records.delete(entity, removed, user, expected_version=removed_version)
    events.record_event(events.MERGED, user=user, target_type=entity.name, target_id=kept.id, removed_id=removed.id,
                        fields=sorted(raw), repointed=repointed)
    return MergeResult(kept.id, removed.id, changes, repointed, moved)


def referencing_columns(entity: Entity) -> list[Column]:
    """Foreign-key columns, in the kernel's and the enabled plugins' tables, that point at the
    entity's table; found in SQLAlchemy's metadata, so a new plugin needs nothing to declare."""
    from kernel.migrate import owner_of_tables

    target = entity.model.__table__
    owned = owner_of_tables()
    found = []
    for table in Base.metadata.sorted_tables:
        if table.name not in owned:
            continue
        for foreign_key in table.foreign_keys:
            if foreign_key.column.table is target and foreign_key.parent not in found:
                found.append(foreign_key.parent)
    return found


def repoint_references(entity: Entity, removed_id: int, kept_id: int, user) -> int:
    """One UPDATE per referencing column; rows of entities also get a history row (written by
    one INSERT … SELECT) and a new version, so open forms notice the change."""
    total = 0
    for column in referencing_columns(entity):
        table = column.table
        pointing = column == removed_id
        if table is entity.model.__table__:
            pointing = pointing & table.c.id.not_in([removed_id, kept_id])
        owner = entities().by_table(table.name)
        if owner is not None:
            _history_of_repointing(owner, table, column, pointing, removed_id, kept_id, user)
        values = {column.name: kept_id}
        if owner is not None and "version" in table.c:
            values["version"] = table.c.version + 1
        result = db.session.execute(update(table).where(pointing).values(values))
        total += result.rowcount or 0
    return total


def _history_of_repointing(owner: Entity, table: Table, column: Column, pointing, removed_id, kept_id, user):
    changes = RecordChange.__table__
    rows = select(
        literal(owner.name), table.c.id, literal(history.UPDATED), literal(column.name),
        literal(str(removed_id)), literal(str(kept_id)), literal(getattr(user, "id", None), Integer),
        literal(utcnow(), DateTime),
    ).where(pointing)
    db.session.execute(insert(changes).from_select(
        ["entity", "record_id", "action", "field", "old_value", "new_value", "user_id", "changed_at"], rows,
    ))


def reattach_history(entity: Entity, removed_id: int, kept_id: int) -> int:
    result = db.session.execute(
        update(RecordChange)
        .where(RecordChange.entity == entity.name, RecordChange.record_id == removed_id)
        .values(record_id=kept_id)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
