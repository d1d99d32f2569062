"""The generic "related to" field: a link to one record of any module that declares itself
relatable (``Entity(relatable=True)``), stored as ``"<entity>:<id>"`` (``"client:42"``).

It needs no foreign key, so a module can point at clients or partners without requiring their
plugins: when one is disabled its links simply stop being offered."""

from __future__ import annotations

from collections import defaultdict

from marshmallow import ValidationError, fields
from sqlalchemy import select

from kernel.db import db
from kernel.entities import FieldMeta
from kernel.i18n import gettext as _
from kernel.request_state import request_state


def split(value) -> tuple[str, int] | None:
    """``"client:42"`` → ``("client", 42)``; anything else → None."""
    if not isinstance(value, str) or ":" not in value:
        return None
    name, _sep, number = value.partition(":")
    return (name, int(number)) if number.isdigit() else None


def target_entities(meta: FieldMeta, registry) -> list:
    """The enabled entities a related field may point at."""
    return [entity for entity in registry
            if entity.relatable and (meta.targets is None or entity.name in meta.targets)]


class Related(fields.String):
    """Marshmallow field for "related to": checks the module is allowed and the record exists."""

    def __init__(self, meta: FieldMeta, **kwargs):
        super().__init__(**kwargs)
        self.meta = meta

    def _deserialize(self, value, attr, data, **kwargs):
        from kernel.registry import entities

        text = super()._deserialize(value, attr, data, **kwargs).strip()
        parts = split(text)
        allowed = {entity.name: entity for entity in target_entities(self.meta, entities())}
        if parts is None or parts[0] not in allowed:
            raise ValidationError(_("Choose a record of one of these modules: %(modules)s.",
                                    modules=", ".join(str(entity.label) for entity in allowed.values())))
        entity = allowed[parts[0]]
        found = db.session.scalar(
            select(entity.model.id).where(entity.model.id == parts[1], entity.model.deleted_at.is_(None))
        )
        if found is None:
            raise ValidationError(_("Choose an existing record."))
        return f"{entity.name}:{parts[1]}"


def remember_record(entity, record) -> None:
    """Note, for the rest of the request, a record already loaded (the one a page shows): the
    titles of the rows that point at it need no query."""
    state = request_state()
    if state is not None:
        state.setdefault("known_records", {})[(entity.name, record.id)] = record


def known_record(entity_name: str, record_id: int):
    state = request_state()
    return state.get("known_records", {}).get((entity_name, record_id)) if state is not None else None


def related_titles(values, registry) -> dict[str, str]:
    """``{"client:42": "Client — Émile Noël"}`` for a set of values, one query per module (none
    for the records the request already holds)."""
    by_entity: dict[str, set[int]] = defaultdict(set)
    for value in values:
        parts = split(value)
        if parts:
            by_entity[parts[0]].add(parts[1])
    titles = {}
    for name, ids in by_entity.items():
        entity = registry.get(name)
        if entity is None:
            continue
        known = [record for record_id in ids if (record := known_record(name, record_id)) is not None]
        missing = ids - {record.id for record in known}
        loaded = db.session.scalars(select(entity.model).where(entity.model.id.in_(missing))) if missing else []
        for record in [*known, *loaded]:
            titles[f"{name}:{record.id}"] = f"{entity.label} — {entity.title_of(record)}"
    return titles


def search_related(meta: FieldMeta, registry, q: str, user, limit: int = 20) -> list[dict]:
    """Records of every allowed module matching ``q``, for the picker."""
    from kernel.listing import filtered, sort_clause

    results = []
    for entity in target_entities(meta, registry):
        if not entity.can(user, "view"):
            continue
        statement = filtered(entity, q=q).order_by(*sort_clause(entity, None)).limit(limit)
        found = db.session.scalars(statement).all()
        hints = record_hints(entity, found, registry)
        for record in found:
            title = f"{entity.label} — {entity.title_of(record)}"
            results.append({"id": f"{entity.name}:{record.id}",
                            "title": f"{title} ({hints[record.id]})" if hints.get(record.id) else title})
    return results[:limit]


def record_hints(entity, found: list, registry) -> dict[int, str]:
    """``{id: "Iqaluit, Mar 12, 1985"}``: the values of the entity's ``hints`` fields, which tell
    apart records of one title (four "Philip Mitchell" of different partners)."""
    from kernel.display import Lookups, display_value

    metas = [entity.fields[name] for name in entity.hints if name in entity.fields]
    if not metas or not found:
        return {}
    lookups = Lookups(entity, found, registry)
    return {record.id: ", ".join(text for meta in metas
                                 if (text := display_value(meta, entity.value_of(record, meta.name), lookups)))
            for record in found}
