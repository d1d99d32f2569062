"""Sections that plugins add to an entity's create and edit form (hook ``passerelle_form_sections``):
rows that belong to the record without being its columns (a resource's phones, opening hours,
service types), edited in the same screen and saved with the record, in one transaction.

A section reads the record's rows into the values its template shows, parses what the user
submitted into values of the same shape (what they typed, kept when something is wrong) and
errors, and writes the parsed values once the record is saved. The kernel runs the sections'
writes inside ``kernel.records.create / update``, so that their changes join the record's in its
history and in ``passerelle_record_saved``; a section whose marker (``form_section`` input with its
key) is not in the submitted form is left untouched (a form posted by another screen or a script).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from marshmallow import ValidationError

MARKER = "form_section"


@dataclass
class FormSection:
    """A part of an entity's form that a plugin owns.

    ``read(record)`` gives the values the section's template shows (``record`` is ``None`` on the
    create form). ``parse(form, record)`` turns the submitted form (a ``MultiDict``) into
    ``(values, errors)``: the values in the same shape, keeping what the user typed, and errors as
    ``{input name: [translated messages]}``. ``save(record, values, user)`` writes them once the
    record is flushed (it has an id) and returns what changed for the history,
    ``{name: (old text, new text)}`` (``name`` is usually the section's key, shown with its title).
    ``template`` renders the section's inputs with ``section``, ``values``, ``errors``, ``entity``
    and ``record`` in its context (the kernel's form adds the section's title and marker).
    """

    key: str
    title: object
    template: str
    read: Callable[[object], dict]
    parse: Callable[[object, object], tuple[dict, dict]]
    save: Callable[[object, dict, object], dict]
    order: int = 100
    context: dict = field(default_factory=dict)


def sections_for(plugin_set, entity, record, user) -> list[FormSection]:
    found = plugin_set.collect("passerelle_form_sections", entity=entity, record=record, user=user)
    return sorted(found, key=lambda section: section.order)


def submitted(sections: list[FormSection], form, record) -> tuple[list[tuple[FormSection, dict]], dict]:
    """The sections present in the submitted form with their parsed values, and all their errors."""
    present = set(form.getlist(MARKER))
    parsed, errors = [], {}
    for section in sections:
        if section.key not in present:
            continue
        values, section_errors = section.parse(form, record)
        parsed.append((section, values))
        errors.update(section_errors)
    return parsed, errors


def writer(parsed: list[tuple[FormSection, dict]], user) -> Callable[[object], dict] | None:
    """What ``kernel.records.create / update`` call (``children=``) to save the sections."""
    if not parsed:
        return None

    def write(record) -> dict:
        changes = {}
        for section, values in parsed:
            changes.update(section.save(record, values, user) or {})
        return changes

    return write


def refuse_errors(errors: dict, check_record: Callable[[], object]) -> None:
    """When a section has errors, refuse the save with them and the record's own (``check_record``
    validates the record's fields without saving), so that the user sees every error at once."""
    if not errors:
        return
    try:
        check_record()
    except ValidationError as error:
        raise ValidationError({**error.messages, **errors}) from error
    raise ValidationError(dict(errors))


def titles(sections: list[FormSection]) -> dict[str, object]:
    """Section keys → titles: how the history names a section's changes."""
    return {section.key: section.title for section in sections}
