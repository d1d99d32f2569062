"""Administration without code: what the screens of ``kernel.views.customisation`` read and save.

- Choice lists: every list used by a field of an enabled entity, declared by a plugin or made for a
  custom choice field. Saving a list writes all its options to ``choice_options`` (the declared
  defaults become rows the first time); options are never deleted, only deactivated, because
  records may hold them.
- Custom fields: the definitions of ``custom_fields``, checked and saved from the form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import zip_longest

from flask_babel import force_locale
from sqlalchemy import func, select

from kernel.choices import (
    LABEL_MAX,
    VALUE_MAX,
    ChoiceList,
    ChoiceOption,
    forget_stored_options,
    stored_options,
)
from kernel.consent import PURPOSES, consents_kept
from kernel.custom_fields import KINDS, CustomField, forget_definitions, key_problem
from kernel.db import db
from kernel.i18n import gettext as _

VALUE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
NEW_OPTION_ROWS = 3


# -- choice lists -------------------------------------------------------------------------------
@dataclass
class EditableList:
    """A choice list and the fields that use it (``"Clients · File status"``)."""

    choice_list: ChoiceList
    uses: list[str] = field(default_factory=list)
    custom: CustomField | None = None

    @property
    def name(self) -> str:
        return self.choice_list.name

    @property
    def title(self) -> str:
        return ", ".join(self.uses)


def editable_lists(registry) -> list[EditableList]:
    """The lists of the enabled entities: declared ones first, then custom fields' lists."""
    found: dict[str, EditableList] = {}
    for entity in registry:
        for meta in entity.declared_fields.values():
            if meta.kind == "choice" and meta.choices is not None:
                found.setdefault(meta.choices.name, EditableList(meta.choices)).uses.append(
                    f"{entity.label_plural} · {meta.label}")
    if any(entity.person for entity in registry) and consents_kept():  # not a field's list: consents' purposes
        found.setdefault(PURPOSES.name, EditableList(PURPOSES)).uses.append(_("Consents · Purpose"))
    for entity, definition in custom_choice_definitions(registry):
        found[definition.list_name] = EditableList(
            ChoiceList(definition.list_name, register=False),
            [f"{entity.label_plural} · {definition.label()}"], custom=definition,
        )
    return list(found.values())


def custom_choice_definitions(registry) -> list[tuple]:
    by_name = {entity.name: entity for entity in registry}
    definitions = db.session.scalars(
        select(CustomField).where(CustomField.kind == "choice", CustomField.entity.in_(list(by_name)))
        .order_by(CustomField.entity, CustomField.position, CustomField.id)
    )
    return [(by_name[definition.entity], definition) for definition in definitions]


def find_list(registry, name: str) -> EditableList | None:
    return next((item for item in editable_lists(registry) if item.name == name), None)


@dataclass
class OptionRow:
    """One option as the editor shows it, with both labels."""

    value: str
    label_en: str
    label_fr: str
    position: int | str
    active: bool = True


def option_rows(choice_list: ChoiceList) -> list[OptionRow]:
    """The administrator's options, or the declared ones with their English and French labels."""
    stored = stored_options().get(choice_list.name)
    if stored is not None:
        return [OptionRow(row.value, row.label_en, row.label_fr, row.position, row.active) for row in stored]
    return [
        OptionRow(value, label_in(label, "en"), label_in(label, "fr"), position)
        for position, (value, label) in enumerate(choice_list.options, start=1)
    ]


def label_in(label, language: str) -> str:
    with force_locale(language):
        return str(label)


def submitted_rows(current: list[OptionRow], form) -> list[OptionRow]:
    """The options as the form changed them; options the form did not show stay as they were."""
    shown = set(form.getlist("values"))
    rows = []
    for row in current:
        if row.value not in shown:
            rows.append(row)
            continue
        rows.append(OptionRow(
            row.value,
            label_en=form.get(f"label_en:{row.value}", "").strip(),
            label_fr=form.get(f"label_fr:{row.value}", "").strip(),
            position=form.get(f"position:{row.value}", "").strip(),
            active=f"active:{row.value}" in form,
        ))
    return rows


def new_rows(form) -> list[OptionRow]:
    """The options added in the blank rows (rows left entirely blank are ignored)."""
    typed = zip_longest(form.getlist("new_value"), form.getlist("new_label_fr"), form.getlist("new_label_en"),
                        fillvalue="")
    return [
        OptionRow(value.strip(), label_en=label_en.strip(), label_fr=label_fr.strip(), position="")
        for value, label_fr, label_en in typed
        if value.strip() or label_fr.strip() or label_en.strip()
    ]


def option_errors(rows: list[OptionRow], added: list[OptionRow]) -> dict[str, str]:
    """``{input name: message}`` of everything wrong in the submitted options."""
    errors = {}
    for row in rows:
        errors.update(_label_errors(row, f":{row.value}"))
        if not _is_whole_number(row.position):
            errors[f"position:{row.value}"] = _("Enter a whole number.")
    taken = {row.value for row in rows}
    for index, row in enumerate(added):
        problem = value_problem(row.value, taken)
        if problem:
            errors[f"new_value:{index}"] = problem
        taken.add(row.value)
        errors.update(_label_errors(row, f":new:{index}"))
    return errors


def _label_errors(row: OptionRow, suffix: str) -> dict[str, str]:
    errors = {}
    for name in ("label_fr", "label_en"):
        problem = label_problem(getattr(row, name))
        if problem:
            errors[name + suffix] = problem
    return errors


def label_problem(text: str) -> str | None:
    if not text:
        return _("This field is required.")
    if len(text) > LABEL_MAX:
        return _("At most %(count)d characters.", count=LABEL_MAX)
    return None


def value_problem(value: str, taken: set[str]) -> str | None:
    if not value:
        return _("This field is required.")
    if len(value) > VALUE_MAX or not VALUE_PATTERN.match(value):
        return _("Use letters, digits, hyphens and underscores (at most %(count)d characters).", count=VALUE_MAX)
    if value in taken:
        return _("This list already has an option with this code.")
    return None


def _is_whole_number(text) -> bool:
    try:
        int(text)
    except (TypeError, ValueError):
        return False
    return True


def save_options(list_name: str, rows: list[OptionRow], added: list[OptionRow]) -> None:
    """Write every option of the list, in order (positions renumbered from 1)."""
    existing = {
        option.value: option
        for option in db.session.scalars(select(ChoiceOption).where(ChoiceOption.list_name == list_name))
    }
    ordered = [row for _index, row in sorted(enumerate(rows), key=lambda item: (int(item[1].position), item[0]))]
    for position, row in enumerate(ordered + added, start=1):
        option = existing.get(row.value)
        if option is None:
            option = ChoiceOption(list_name=list_name, value=row.value)
            db.session.add(option)
        option.label_en, option.label_fr = row.label_en, row.label_fr
        option.position, option.active = position, row.active
    db.session.flush()
    forget_stored_options()


# -- custom fields ------------------------------------------------------------------------------
FLAGS = ("required", "show_in_list", "active")


def next_position(entity_name: str) -> int:
    return db.session.scalar(
        select(func.coalesce(func.max(CustomField.position), 0)).where(CustomField.entity == entity_name)
    ) + 1


def blank_field_form(entity_name: str) -> dict:
    return {"key": "", "label_fr": "", "label_en": "", "kind": "text", "required": False,
            "show_in_list": False, "position": str(next_position(entity_name)), "active": True}


def field_form_of(definition: CustomField) -> dict:
    return {"key": definition.key, "label_fr": definition.label_fr, "label_en": definition.label_en,
            "kind": definition.kind, "required": definition.required, "show_in_list": definition.show_in_list,
            "position": str(definition.position), "active": definition.active}


def submitted_field_form(form, definition: CustomField | None) -> dict:
    """The form's values; the name and kind of an existing field cannot change."""
    values = {name: (form.get(name) or "").strip() for name in ("key", "label_fr", "label_en", "kind", "position")}
    values.update({name: bool(form.get(name)) for name in FLAGS})
    if definition is not None:
        values["key"], values["kind"] = definition.key, definition.kind
    return values


def field_form_errors(entity, values: dict, definition: CustomField | None) -> dict[str, str]:
    errors = {}
    if definition is None:
        problem = key_problem(entity, values["key"])
        if problem:
            errors["key"] = problem
        if values["kind"] not in KINDS:
            errors["kind"] = _("Choose one of the options offered.")
    for name in ("label_fr", "label_en"):
        problem = label_problem(values[name])
        if problem:
            errors[name] = problem
    if values["position"] and not _is_whole_number(values["position"]):
        errors["position"] = _("Enter a whole number.")
    return errors


def save_field(entity, values: dict, definition: CustomField | None) -> CustomField:
    if definition is None:
        definition = CustomField(entity=entity.name, key=values["key"], kind=values["kind"])
        db.session.add(definition)
    definition.label_fr, definition.label_en = values["label_fr"], values["label_en"]
    definition.position = int(values["position"]) if values["position"] else next_position(entity.name)
    for name in FLAGS:
        setattr(definition, name, values[name])
    db.session.flush()
    forget_definitions()
    return definition
