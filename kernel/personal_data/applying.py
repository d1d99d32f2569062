"""Carrying out a plan: every record emptied of what identifies a person (or deleted), and with it
the kernel's own traces: the history of changes, the quick-search index, the duplicate keys,
notifications, and the messages of the outbox sent to the person. The caller commits."""

from __future__ import annotations

from sqlalchemy import JSON, String, Text, delete, func, or_, select, text, update

from kernel.db import db
from kernel.personal_data import ANONYMISED
from kernel.personal_data.declarations import IDENTIFYING_KINDS, declaration_of, declarations, kept_in_history
from kernel.personal_data.planning import Plan, chunks

ANONYMISED_EVENT = "anonymised"


def apply(plan: Plan) -> dict[str, dict[str, int]]:
    """Anonymise and delete what ``plan`` lists; returns its counts, with the plugins' own
    (``{entity: {"anonymised": n, "deleted": n, <plugin's label>: n}}``). Refuses a plan with
    blockers."""
    if plan.blockers:
        raise ValueError("a plan with blockers cannot be applied")
    known = declarations()
    counts = plan.counts()
    for entity in plan.order:
        ids = plan.anonymise.get(entity.name, set()) | plan.delete.get(entity.name, set())
        detached = {name: record_ids for (owner, name), record_ids in plan.detach.items() if owner == entity.name}
        cleared = tuple(plan.cleared.get(entity.name, ()))
        addresses = _anonymise_records(entity, ids, known, detached, cleared)
        _clean_kernel_traces(entity, ids, known, addresses, cleared)
        _plugin_dependants(entity, ids, plan.delete.get(entity.name, set()), known, counts)
    for (owner, name), record_ids in plan.detach.items():
        _clear_links(owner, name, record_ids - plan.seen(owner))
    for entity in reversed(plan.order):
        _delete_records(entity, plan.delete.get(entity.name, set()))
    db.session.flush()
    _optimise_search_indexes(plan)
    return counts


def _blank(column, record_id: int):
    if column.nullable:
        return None
    if isinstance(column.type, JSON):
        return {}
    if isinstance(column.type, (String, Text)):
        return f"{ANONYMISED} {record_id}" if column.unique else ANONYMISED
    return column.default.arg if column.default is not None and not callable(column.default.arg) else None


def _anonymise_records(entity, ids: set, known, detached: dict, cleared: tuple = ()) -> set[str]:
    """Empty the identifying fields of the records, and ``cleared``, the statistics a retention
    rule chose not to keep (the ORM way: the search text, the duplicate keys and the version
    follow); returns the e-mail addresses and phones they held."""
    declared = declaration_of(entity, known)
    columns = entity.model.__table__.columns
    names = [name for name in dict.fromkeys(declared.fields + cleared) if name in columns]
    contact_fields = [name for name, meta in entity.declared_fields.items() if meta.kind in {"email", "phone"}]
    custom_text = [name for name, meta in entity.custom_fields.items() if meta.kind in IDENTIFYING_KINDS]
    addresses: set[str] = set()
    for part in chunks(sorted(ids)):
        for record in db.session.scalars(select(entity.model).where(entity.model.id.in_(part))):
            for name in contact_fields:
                addresses.update(spellings(getattr(record, name, None)))
            for name in names:
                setattr(record, name, _blank(columns[name], record.id))
            for name, reduce in declared.coarsen.items():
                if name in cleared:
                    continue
                value = getattr(record, name, None)
                setattr(record, name, reduce(value) if value not in (None, "") else value)
            for name, record_ids in detached.items():
                if record.id in record_ids:
                    setattr(record, name, None)
            if record.custom and custom_text:
                record.custom = {key: value for key, value in record.custom.items() if key not in custom_text}
    db.session.flush()
    return addresses


def _clean_kernel_traces(entity, ids: set, known, addresses: set[str], cleared: tuple = ()) -> None:
    from kernel.duplicates import DuplicateKey
    from kernel.history import RecordChange
    from kernel.notifications import Notification
    from kernel.outbox import OutboxMessage

    kept = kept_in_history(entity, known) - set(cleared)
    for part in chunks(sorted(ids)):
        in_part = (RecordChange.entity == entity.name) & RecordChange.record_id.in_(part)
        db.session.execute(update(RecordChange).where(in_part, or_(RecordChange.field.is_(None),
                                                                   RecordChange.field.not_in(kept or {""})))
                           .values(old_value=None, new_value=None))
        db.session.execute(delete(DuplicateKey).where(DuplicateKey.entity == entity.name,
                                                      DuplicateKey.record_id.in_(part)))
        db.session.execute(delete(Notification).where(Notification.entity == entity.name,
                                                      Notification.record_id.in_(part)))
    if addresses:
        scrub_outbox(select(OutboxMessage.id).where(func.lower(OutboxMessage.recipient).in_(sorted(addresses))))


def spellings(value) -> set[str]:
    """The ways a message's recipient may spell an e-mail address or a phone number (lower case;
    a phone as typed, as digits, and in international form)."""
    if not value:
        return set()
    text_value = str(value).strip().lower()
    found = {text_value}
    number = "".join(character for character in text_value if "0" <= character <= "9")
    if "@" not in text_value and len(number) >= 7:
        local = number[1:] if len(number) == 11 and number.startswith("1") else number
        found.update({number, local, f"+{number}", f"+1{local}", f"1{local}"})
    return found


def scrub_outbox(message_ids) -> int:
    """Empty the recipient, subject and body of messages of the outbox (sent or not: a queued
    message to an anonymised person is cancelled) and drop their attachments."""
    from kernel.outbox import FAILED, QUEUED, OutboxAttachment, OutboxMessage

    ids = list(db.session.scalars(message_ids)) if not isinstance(message_ids, (list, set, tuple)) else list(message_ids)
    for part in chunks(ids):
        db.session.execute(delete(OutboxAttachment).where(OutboxAttachment.message_id.in_(part)))
        db.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(part)).values(
            recipient=ANONYMISED, subject=None, body=ANONYMISED, last_error=None))
        db.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(part), OutboxMessage.status == QUEUED)
                           .values(status=FAILED))
    return len(ids)


def _plugin_dependants(entity, ids: set, deleting: set, known, counts: dict) -> None:
    dependants = declaration_of(entity, known).dependants
    if dependants is None or not ids:
        return
    for label, number in (dependants(sorted(ids), bool(deleting)) or {}).items():
        counts.setdefault(entity.name, {})[str(label)] = number


def _clear_links(entity_name: str, name: str, ids: set) -> None:
    from kernel.registry import entities

    entity = entities().get(entity_name)
    if entity is None or not ids:
        return
    column = getattr(entity.model, name)
    for part in chunks(sorted(ids)):
        for record in db.session.scalars(select(entity.model).where(entity.model.id.in_(part), column.is_not(None))):
            setattr(record, name, None)


def _delete_records(entity, ids: set) -> None:
    """Gone for good: the rows and their history; the search index follows by its triggers."""
    if not ids:
        return
    from kernel.history import RecordChange
    from kernel.navigation import Favourite, RecentView

    db.session.flush()
    for part in chunks(sorted(ids)):
        db.session.execute(delete(RecordChange).where(RecordChange.entity == entity.name,
                                                      RecordChange.record_id.in_(part)))
        for model in (Favourite, RecentView):
            db.session.execute(delete(model).where(model.entity == entity.name, model.record_id.in_(part)))
        db.session.execute(delete(entity.model).where(entity.model.id.in_(part)))
        db.session.expire_all()


def _optimise_search_indexes(plan: Plan) -> None:
    """SQLite's full-text index keeps a deleted entry's words until its segments are merged:
    merging them now leaves no word of an anonymised record in the index's own tables."""
    if db.session.get_bind().dialect.name != "sqlite":
        return
    for entity in plan.order:
        if entity.fts_table:
            db.session.execute(text(f"INSERT INTO {entity.fts_table}({entity.fts_table}) VALUES ('optimize')"))
