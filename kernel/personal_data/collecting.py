"""What the kernel gives of "everything we hold about this person": the person's record and every
record about them in any plugin (those anonymising them would reach), with their history; the
plugins add their own tables and files through ``passerelle_person_data``. Labels and values are
in the language active when it runs (the caller chooses the person's)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from kernel.db import db
from kernel.i18n import gettext as _
from kernel.personal_data import PersonData
from kernel.personal_data.planning import chunks, plan


def person_data(entity, record_id: int) -> list[PersonData]:
    from kernel.registry import entities, plugins

    registry = entities()
    reached = plan(entity, [record_id])
    parts = []
    for current in reached.order:
        ids = sorted(reached.anonymise.get(current.name, ()))
        rows = _rows(current, ids, registry)
        if rows:
            parts.append(PersonData(f"{current.plugin}.{current.name}", current.label_plural, rows))
        history = _history(current, ids)
        if history:
            parts.append(PersonData(f"{current.plugin}.{current.name}.history",
                                    _("%(records)s: history of changes", records=current.label_plural), history))
    parts.extend(plugins().collect("passerelle_person_data", entity=entity, record_id=record_id))
    return parts


def plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def _formatters(entity, registry) -> dict:
    from kernel.export import ReferenceTitles, value_formatter

    formatters = {}
    for name, meta in entity.fields.items():
        target = registry.by_table(meta.target) if meta.kind == "reference" else None
        if meta.kind == "related" or (target is not None and target.person):
            formatters[name] = None  # another person's name is not theirs to receive: the link only
        elif meta.kind == "reference":
            formatters[name] = ReferenceTitles(meta, registry)
        else:
            formatters[name] = value_formatter(meta, registry)
    return formatters


def _rows(entity, ids: list[int], registry) -> list[dict]:
    formatters = _formatters(entity, registry)
    records = []
    for part in chunks(ids):
        records.extend(db.session.scalars(select(entity.model).where(entity.model.id.in_(part))
                                          .order_by(entity.model.id)))
    for name, formatter in formatters.items():
        if hasattr(formatter, "prepare"):
            formatter.prepare([getattr(record, name, None) for record in records])
    rows = []
    for record in records:
        row = {"id": record.id, _("Created"): plain(record.created_at), _("Last changed"): plain(record.updated_at)}
        for name, meta in entity.fields.items():
            value = entity.value_of(record, name)
            formatter = formatters.get(name)
            row[str(meta.label)] = plain(formatter(value) if formatter and value is not None else value)
        rows.append(row)
    return rows


def _history(entity, ids: list[int]) -> list[dict]:
    from kernel.history import RecordChange

    labels = {name: str(meta.label) for name, meta in entity.fields.items()}
    rows = []
    for part in chunks(ids):
        for change in db.session.scalars(select(RecordChange).where(
                RecordChange.entity == entity.name, RecordChange.record_id.in_(part)).order_by(RecordChange.id)):
            rows.append({_("Record"): change.record_id, _("When"): plain(change.changed_at),
                         _("Action"): change.action, _("Field"): labels.get(change.field, change.field or ""),
                         _("Old value"): change.old_value, _("New value"): change.new_value})
    return rows
