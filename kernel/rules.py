"""Rules checked on every save besides the schema: unique fields and the entity's validators
(``Entity(validators=...)``, e.g. an end date never before the start)."""

from __future__ import annotations

import re

from marshmallow import ValidationError
from sqlalchemy import func, select

from kernel.db import db
from kernel.entities import Entity
from kernel.i18n import gettext as _
from kernel.identifiers import comparable

_TRAILING_NUMBER = re.compile(r"^(.*?)(\d+)$")


def check_rules(entity: Entity, values: dict, record_id: int | None, changed: set[str]) -> None:
    """Raise ``ValidationError({field: [message]})`` when a rule is broken by ``values``."""
    errors: dict[str, list[str]] = {}
    for name, meta in entity.fields.items():
        if meta.unique and name in changed and values.get(name) not in (None, ""):
            if is_taken(entity, name, values[name], record_id):
                errors[name] = [taken_message(entity, name, values[name])]
    for validator in entity.validators:
        for name, message in validator(values).items():
            errors.setdefault(name, []).append(str(message))
    if errors:
        raise ValidationError(errors)


def is_taken(entity: Entity, name: str, value, record_id: int | None) -> bool:
    """Records in the trash count too: their numbers stay theirs. An identifier is taken by
    another one that differs only in case or spacing (stored values are already tidied)."""
    column = getattr(entity.model, name)
    if entity.fields[name].identifier and isinstance(value, str):
        statement = select(entity.model.id).where(func.lower(column) == comparable(value))
    else:
        statement = select(entity.model.id).where(column == value)
    if record_id is not None:
        statement = statement.where(entity.model.id != record_id)
    return db.session.scalar(statement.limit(1)) is not None


def taken_message(entity: Entity, name: str, value) -> str:
    meta = entity.fields[name]
    if meta.suggest_next:
        return _("%(value)s is already used by another record; the next free number is %(next)s.",
                 value=value, next=next_free_value(entity, name))
    return _("%(value)s is already used by another record.", value=value)


def next_free_value(entity: Entity, name: str) -> str:
    """The greatest value plus one, keeping its prefix and zero-padding ("SAE-2026-0041" → "…0042").
    A field declared with ``suggest_next=<function(entity, name)>`` computes its own suggestion."""
    suggest = entity.fields[name].suggest_next
    if callable(suggest):
        return suggest(entity, name)
    column = getattr(entity.model, name)
    greatest = db.session.scalar(
        select(column).where(column.is_not(None)).order_by(func.length(column).desc(), column.desc()).limit(1)
    )
    match = _TRAILING_NUMBER.match(greatest or "")
    if not match:
        return "1" if greatest is None else f"{greatest}-1"
    prefix, number = match.groups()
    candidate = int(number) + 1
    while True:
        value = f"{prefix}{candidate:0{len(number)}d}"
        if not is_taken(entity, name, value, None):
            return value
        candidate += 1
