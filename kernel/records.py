"""The one way to create, change, delete and restore a record.

Forms, the REST API and imports all call these functions: they validate through the entity's
schema, refuse stale saves (optimistic locking), write the history and call the
``passerelle_record_saved`` hook. They never commit: the request does, once.
"""

from __future__ import annotations

from contextlib import contextmanager

from marshmallow import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from kernel import history
from kernel.db import db, reserve_ids, utcnow
from kernel.duplicates import keys_indexed_together
from kernel.entities import Entity
from kernel.i18n import lazy_gettext as _l
from kernel.registry import plugins
from kernel.rules import check_rules, taken_message
from kernel.schemas import load


class StaleRecord(Exception):
    """The record was saved by someone else since the user loaded it. ``current_version`` is
    the record's version when it is known without reading it again: refused before anything was
    written, not by a failed write (``read``, the version read before it), after which the record
    is expired and the database holds a newer version."""

    def __init__(self, record, expected_version, *, read=None):
        record_id, version = read or (record.id, record.version)
        super().__init__(f"record {record_id} is at version {version}, not {expected_version}")
        self.record = record
        self.expected_version = expected_version
        self.current_version = None if read else version


class RecordClosed(ValidationError):
    """The record is closed (``Entity.closing``): it cannot change until it is reopened."""

    def __init__(self, entity: Entity):
        super().__init__({"_record": [str(entity.closing.message)]})


class UniqueValueTaken(ValidationError):
    """Another request saved the same unique value between our check and our write (two people
    opening a case file with one number at the same moment): the database refused the second.

    The failed transaction cannot run a query any more, so the message is the short one; a caller
    that has rolled back gets the check's own message, next free number included, from
    ``messages_after_rollback``."""

    def __init__(self, entity: Entity, name: str, value):
        # lazy: choosing the language may read the user, which the failed flush expired
        super().__init__({name: [_l("%(value)s is already used by another record.", value=value)]})
        self.entity, self.field_name, self.value = entity, name, value

    def messages_after_rollback(self) -> dict:
        return {self.field_name: [taken_message(self.entity, self.field_name, self.value)]}


def messages_of(error: ValidationError) -> dict:
    """``error.messages``, completed once the caller has rolled the transaction back."""
    return error.messages_after_rollback() if isinstance(error, UniqueValueTaken) else error.messages


@contextmanager
def _writing(entity: Entity, written: list, expected_version=None):
    """Around a flush: what another request's concurrent save makes the database refuse becomes
    the error a sequential save gets (a stale version, a value already used), never a crash."""
    read = (written[0].id, written[0].version)  # a failed flush expires the records: read before
    unique_values = {name: [getattr(record, name) for record in written]
                     for name, meta in entity.fields.items() if meta.unique}
    try:
        yield
    except StaleDataError as error:  # UPDATE … WHERE version = <read>: someone saved in between
        raise StaleRecord(written[0], expected_version, read=read) from error
    except IntegrityError as error:
        taken = _unique_value_taken(entity, unique_values, error)
        if taken is None:
            raise
        raise taken from error


def _unique_value_taken(entity: Entity, unique_values: dict, error: IntegrityError) -> UniqueValueTaken | None:
    """The unique field the database names in its refusal (SQLite: ``table.column``, PostgreSQL:
    ``Key (column)=(…)``), with the value saved."""
    text = str(error.orig)
    if "unique" not in text.lower():
        return None
    table = entity.model.__tablename__
    for name, values in unique_values.items():
        if f"{table}.{name}" in text or f"({name})" in text:
            return UniqueValueTaken(entity, name, next((value for value in values if value not in (None, "")), ""))
    return None


def refuse_if_closed(entity: Entity, record) -> None:
    if entity.is_closed(record):
        raise RecordClosed(entity)


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


def create(entity: Entity, raw: dict, user, *, validated: dict | None = None, children=None):
    """Validate ``raw`` and add a new record to the session; returns it (flushed, with an id).

    ``children(record) -> {name: (old, new)}``, when given, writes rows that belong to the record
    (a form section's, ``kernel.form_sections``) once it has an id; their changes join the
    record's in ``passerelle_record_saved``."""
    data = validated if validated is not None else load(entity, raw, partial=False)
    return create_many(entity, [data], user, children=children)[0]


def create_many(entity: Entity, validated: list[dict], user, *, children=None) -> list:
    """Add records whose values are already validated (``schemas.load``), with one flush for all:
    what imports use. The rules across records (unique fields) are checked for each, the history
    written and ``passerelle_record_saved`` called for each, as ``create`` does (``children`` as
    ``create`` says, for each record)."""
    created = []
    custom_names = set(entity.custom_fields)
    for data in validated:
        check_rules(entity, data, None, set(data))
        created.append(_new_record(entity, data, custom_names, user))
    if len(created) > 1:
        for record, record_id in zip(created, reserve_ids(entity.model.__table__, len(created)), strict=True):
            record.id = record_id
    db.session.add_all(created)
    with keys_indexed_together(entity, created), _writing(entity, created):
        db.session.flush()
    history.record_created_many(entity, created, user)
    for record, data in zip(created, validated, strict=True):
        changes = {name: (None, value) for name, value in data.items()}
        if children is not None:
            changes.update(children(record))
        _notify_saved(entity, record, True, changes, user)
    return created


def _new_record(entity: Entity, data: dict, custom_names: set, user):
    custom = {name: value for name, value in data.items() if name in custom_names}
    record = entity.model(**{name: value for name, value in data.items() if name not in custom})
    record.custom = custom_json(entity, custom)
    record.created_by_id = record.updated_by_id = _user_id(user)
    if entity.assignable and "assigned_user_id" not in data and user is not None:
        record.assigned_user_id = _user_id(user)
    return record


def update(entity: Entity, record, raw: dict, user, *, expected_version=None, partial: bool = True,
           reopening: bool = False, children=None):
    """Validate ``raw`` and apply it; returns ``{field: (old, new)}`` of what really changed.
    A closed record (``Entity.closing``) refuses every change with ``RecordClosed``.

    ``children(record) -> {name: (old, new)}``, when given, writes rows that belong to the record
    (a form section's, ``kernel.form_sections``) after its own columns; what they changed is in
    the returned changes, the history and ``passerelle_record_saved``, and changes the record's
    version (a stale form is refused even when only its rows differ)."""
    if not reopening:
        refuse_if_closed(entity, record)
    _check_version(record, expected_version)
    data = load(entity, raw, partial=partial, record=record)
    after = {name: entity.value_of(record, name) for name in entity.fields} | data
    check_rules(entity, after, record.id, {name for name in data if entity.value_of(record, name) != data[name]})
    custom_names = set(entity.custom_fields)
    changes, custom = {}, {}
    for name, value in data.items():
        old = entity.value_of(record, name)
        if old == value:
            continue
        changes[name] = (old, value)
        if name in custom_names:
            custom[name] = value
        else:
            setattr(record, name, value)
    if custom:  # a new dict, so that the JSON column is seen as changed; other keys are kept
        record.custom = {**(record.custom or {}), **custom_json(entity, custom)}
    if changes:
        record.updated_by_id = _user_id(user)
        with _writing(entity, [record], expected_version):
            db.session.flush()
    child_changes = children(record) if children is not None else {}
    if child_changes and not changes:  # the record's own row changes too: its version and "changed by"
        record.updated_by_id, record.updated_at = _user_id(user), utcnow()
        with _writing(entity, [record], expected_version):
            db.session.flush()
    changes |= child_changes
    if changes:
        history.record_event(entity, record, history.UPDATED, user, changes)
        _notify_saved(entity, record, False, changes, user)
    return changes


def custom_json(entity: Entity, values: dict) -> dict:
    """Loaded values of custom fields as the ``custom`` JSON column keeps them."""
    from kernel.custom_fields import to_json

    metas = entity.custom_fields
    return {name: to_json(metas[name], value) for name, value in values.items()}


def delete(entity: Entity, record, user, *, expected_version=None, dependents: str | None = None) -> None:
    """Move a record to the trash (soft delete), and deal with the records pointing at it so that
    none is left pointing at a record that is gone: ``dependents="detach"`` unlinks them,
    ``"delete"`` moves them to the trash too; by default optional links are unlinked and records
    that cannot exist without it (a required link) go to the trash with it."""
    refuse_if_closed(entity, record)
    _check_version(record, expected_version)
    record.deleted_at = utcnow()
    record.updated_by_id = _user_id(user)
    with _writing(entity, [record], expected_version):
        db.session.flush()
    history.record_event(entity, record, history.DELETED, user)
    _handle_dependents(entity, record, user, dependents)


def _handle_dependents(entity: Entity, record, user, choice: str | None) -> None:
    from kernel.linked import linked_statement, links_to
    from kernel.registry import entities

    for link in links_to(entity, record, entities()):
        others = db.session.scalars(linked_statement(link)).all()
        trash = choice == "delete" or (choice is None and link.field.required)
        if others and choice == "detach" and link.field.required:
            raise ValidationError({link.field.name: [str(link.field.label)]})
        for other in others:
            if trash:
                delete(link.entity, other, user)
            else:
                update(link.entity, other, {link.field.name: None}, user, partial=True)


def reopen(entity: Entity, record, user, *, expected_version=None) -> dict:
    """Reopen a closed record (the caller checks ``entity.can_reopen``): applies the entity's
    ``closing.reopen_values`` through the usual validation and history."""
    _check_version(record, expected_version)
    return update(entity, record, dict(entity.closing.reopen_values), user, partial=True, reopening=True)


def restore(entity: Entity, record, user) -> None:
    record.deleted_at = None
    record.updated_by_id = _user_id(user)
    with _writing(entity, [record]):
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


__all__ = ["RecordClosed", "StaleRecord", "UniqueValueTaken", "ValidationError", "messages_of", "create", "create_many", "update", "delete", "reopen",
           "restore", "get"]
