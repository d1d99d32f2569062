"""The one way to create, change, delete and restore a record.

Forms, the REST API and imports all call these functions: they validate through the entity's
schema, refuse stale saves (optimistic locking), write the history and call the
``passerelle_record_saved`` hook. They never commit: the request does, once.
"""

from __future__ import annotations

from marshmallow import ValidationError

from kernel import history
from kernel.db import db, utcnow
from kernel.entities import Entity
from kernel.registry import plugins
from kernel.schemas import load


class StaleRecord(Exception):
    """The record was saved by someone else since the user loaded it."""

    def __init__(self, record, expected_version):
        super().__init__(f"record {record.id} is at version {record.version}, not {expected_version}")
        self.record = record
        self.expected_version = expected_version


def _user_id(user):
    return getattr(user, "id", None)


def _check_version(record, expected_version) -> None:
    if expected_version is None:
        return
    try:
        expected = int(expected_version)
    except (TypeError, ValueError) as error:
        raise StaleRecord(record, expected_version) from error
    if expected != record.version:
        raise StaleRecord(record, expected)


def create(entity: Entity, raw: dict, user, *, validated: dict | None = None):
    """Validate ``raw`` and add a new record to the session; returns it (flushed, with an id)."""
    data = validated if validated is not None else load(entity, raw, partial=False)
    record = entity.model(**data)
    record.created_by_id = record.updated_by_id = _user_id(user)
    if entity.assignable and "assigned_user_id" not in data and user is not None:
        record.assigned_user_id = _user_id(user)
    db.session.add(record)
    db.session.flush()
    history.record_event(entity, record, history.CREATED, user)
    _notify_saved(entity, record, True, {name: (None, value) for name, value in data.items()}, user)
    return record


def update(entity: Entity, record, raw: dict, user, *, expected_version=None, partial: bool = True):
    """Validate ``raw`` and apply it; returns ``{field: (old, new)}`` of what really changed."""
    _check_version(record, expected_version)
    data = load(entity, raw, partial=partial)
    changes = {}
    for name, value in data.items():
        old = getattr(record, name)
        if old != value:
            changes[name] = (old, value)
            setattr(record, name, value)
    if changes:
        record.updated_by_id = _user_id(user)
        db.session.flush()
        history.record_event(entity, record, history.UPDATED, user, changes)
        _notify_saved(entity, record, False, changes, user)
    return changes


def delete(entity: Entity, record, user, *, expected_version=None) -> None:
    """Move a record to the trash (soft delete)."""
    _check_version(record, expected_version)
    record.deleted_at = utcnow()
    record.updated_by_id = _user_id(user)
    db.session.flush()
    history.record_event(entity, record, history.DELETED, user)


def restore(entity: Entity, record, user) -> None:
    record.deleted_at = None
    record.updated_by_id = _user_id(user)
    db.session.flush()
    history.record_event(entity, record, history.RESTORED, user)


def get(entity: Entity, record_id, *, include_deleted: bool = False):
    record = db.session.get(entity.model, record_id)
    if record is None or (record.deleted_at is not None and not include_deleted):
        return None
    return record


def _notify_saved(entity, record, created, changes, user) -> None:
    plugins().hook.passerelle_record_saved(
        entity=entity, record=record, created=created, changes=changes, user=user
    )


__all__ = ["StaleRecord", "ValidationError", "create", "update", "delete", "restore", "get"]
