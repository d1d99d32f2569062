"""Mapping the file's columns to the entity's fields, guessed from the headers: field names and
labels in English and French, without case, accents or punctuation ("Nom de famille",
"last_name" → last_name)."""

from __future__ import annotations

import re

from flask_babel import force_locale

from kernel.entities import Entity, FieldMeta
from kernel.i18n import gettext as _
from kernel.text import fold

LANGUAGES = ("en", "fr")


def header_key(text) -> str:
    """``"Nom de famille"``, ``"nom_de_famille"`` and ``"NOM DE FAMILLE *"`` → ``"nomdefamille"``."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


def label_in(meta_label, language: str) -> str:
    with force_locale(language):
        return str(meta_label)


def importable_fields(entity: Entity) -> list[FieldMeta]:
    return entity.editable_fields


def field_keys(entity: Entity) -> dict[str, str]:
    """Header key → field name: each field's name and its label in English and in French."""
    keys: dict[str, str] = {}
    for meta in importable_fields(entity):
        names = [meta.name, *(label_in(meta.label, language) for language in LANGUAGES)]
        for name in names:
            keys.setdefault(header_key(name), meta.name)
    return keys


def guess_mapping(entity: Entity, headers: list[str]) -> list[str | None]:
    """One field (or ``None``: ignored) per column; a field is used by one column at most."""
    keys = field_keys(entity)
    used: set[str] = set()
    mapping: list[str | None] = []
    for header in headers:
        name = keys.get(header_key(header))
        if name in used:
            name = None
        if name:
            used.add(name)
        mapping.append(name)
    return mapping


def mapping_problems(entity: Entity, mapping: list[str | None]) -> list[str]:
    """What prevents importing with this mapping, in words for people (empty when fine)."""
    problems = []
    chosen = [name for name in mapping if name]
    fields = {meta.name: meta for meta in importable_fields(entity)}
    if any(name not in fields for name in chosen):
        problems.append(_("Choose fields from the list."))
    twice = sorted({name for name in chosen if chosen.count(name) > 1 and name in fields})
    for name in twice:
        problems.append(_("The field %(field)s is chosen for more than one column.", field=fields[name].label))
    if not chosen:
        problems.append(_("Choose a field for at least one column."))
    for meta in fields.values():
        if meta.required and meta.name not in chosen:
            problems.append(_("Choose the column that holds %(field)s: it is required.", field=meta.label))
    return problems


def unmapped_headers(headers: list[str], mapping: list[str | None]) -> list[str]:
    return [header for header, name in zip(headers, mapping, strict=False) if not name]


def mapping_from_names(headers: list[str], chosen: dict[str, str]) -> list[str | None]:
    """A mapping given as ``{"column header": "field name"}`` (the command line's JSON file)."""
    return [chosen.get(header) or None for header in headers]
