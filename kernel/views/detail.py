"""A record's page in a fixed, small number of SQL statements, whatever the plugins (issue 18).

1. the record, with the settings every page reads (custom fields, edited choice lists), in one
   statement;
2. the writes: "recently viewed" (and the access log's entry, written when the request ends);
3. every other read in one statement (``kernel.onepass``): the history, the rows of each panel,
   the favourites and recent views with their records, the bell's count, the users' names and the
   records the record points at.

Rendering then sends nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from urllib.parse import quote

from flask import abort, render_template, url_for
from flask_login import current_user
from sqlalchemy import bindparam, select

from kernel import access_log, choices, custom_fields, form_sections, navigation, notifications
from kernel.db import db
from kernel.display import Lookups, display_value, remember_users
from kernel.fragments import render_fragment
from kernel.history import RecordChange
from kernel.onepass import OnePass
from kernel.panels import add_reads, build_panels, panels_for
from kernel.registry import entities, plugins
from kernel.related import remember_record, split
from kernel.users import User


def show(entity, record_id: int, *, position=None):
    """The detail page of ``record_id`` (``position``: a function of the record giving its place in
    the list it was opened from, or None)."""
    record, first = record_with_settings(entity, record_id)
    remember_record(entity, record)
    favourites, recent, too_many = navigation.shortcuts_with(first, entity, record)
    navigation.record_view(current_user, entity, record)
    if too_many:
        navigation.forget_older_views(current_user)
    access_log.note_read(entity, record.id)
    panels = panels_for(plugins(), entity, record, current_user)
    reads = OnePass()
    pointed = add_page_reads(reads, entity, record, current_user)
    navigation.add_title_reads(reads, current_user, [*favourites, *recent])
    add_reads(panels, reads)
    found = reads.run()
    changes = use_page_reads(found, pointed, current_user)
    navigation.menus_from(found, current_user, favourites, recent)
    build_panels(panels, found)
    lookups = Lookups(entity, [record], entities())
    user_fields = {meta.name for meta in entity.fields.values() if meta.kind == "user"}
    lookups.add_users(
        int(value) for change in changes if change.field in user_fields
        for value in (change.old_value, change.new_value) if value and value.isdigit()
    )
    db.session.commit()
    return render_template(
        "records/detail.html", entity=entity, record=record, lookups=lookups, display=display_value,
        changes=changes, is_favourite=navigation.is_favourite(current_user, entity, record),
        panels=rendered_panels(entity, record, panels), position=position(record) if position else None,
        field_urls=FieldUrls.of(entity, record),
        section_titles=form_sections.titles(form_sections.sections_for(plugins(), entity, record, current_user)),
    )


PATH_SAFE = "!$&'()*+,/:;=@"  # what werkzeug's path converter leaves unquoted


@dataclass(frozen=True)
class FieldUrls:
    """A record's edit form and the address of each field's inline editor, routed once per page
    instead of twice per field."""

    edit: str
    field_before: str
    field_after: str

    @classmethod
    def of(cls, entity, record) -> FieldUrls:
        edit = url_for("records.edit_record", plural=entity.plural, record_id=record.id)
        before, after = url_for("navigation.edit_field", plural=entity.plural, record_id=record.id,
                                name="field").rsplit("/field/", 1)
        return cls(edit, f"{before}/", f"/{after}")

    def field(self, name: str) -> str:
        return f"{self.field_before}{quote(name, safe=PATH_SAFE)}{self.field_after}"


def record_with_settings(entity, record_id: int):
    """The record (404 when missing or in the trash) and what was read with it: the custom fields'
    definitions and the edited choice lists when the request has not read them yet, the user's
    favourites and recent views."""
    settings = OnePass()
    navigation.add_shortcut_reads(settings, current_user)
    custom_fields.add_definitions_read(settings)
    choices.add_options_read(settings)
    found = settings.run(base=_record_by_id(entity.model), base_params={"record_id": record_id})
    if found["base"] is None or found["base"][0].deleted_at is not None:
        abort(404)
    custom_fields.keep_definitions_read(found)
    choices.keep_options_read(found)
    return found["base"][0], found


@cache  # built once per model, the id a parameter: the pass is then built once too
def _record_by_id(model):
    return select(model).where(model.id == bindparam("record_id"))


def add_page_reads(reads: OnePass, entity, record, user) -> dict:
    """The page's own reads, every one built once (``kernel.onepass``: prepared); ``{read key:
    entity}`` of the records the record points at."""
    reads.rows("history", _history_statement(), {"history_entity": entity.name, "history_record_id": record.id})
    reads.rows("users", _users_statement(), {})
    notifications.add_unread_read(reads, user.id)
    pointed = {}
    for meta, target, target_id in _pointed_at(entity, record):
        pointed[f"points:{meta.name}"] = target
        parameter, statement = _pointed_statement(target.model, meta.name)
        reads.rows(f"points:{meta.name}", statement, {parameter: target_id})
    return pointed


@cache
def _history_statement():
    return (select(RecordChange)
            .where(RecordChange.entity == bindparam("history_entity"),
                   RecordChange.record_id == bindparam("history_record_id"))
            .order_by(RecordChange.changed_at.desc(), RecordChange.id.desc()))


@cache
def _users_statement():
    return select(User.id, User.name, User.email, User.active)


@cache
def _pointed_statement(model, field_name: str) -> tuple[str, object]:
    """The record a reference or "related to" field names, its id a parameter."""
    parameter = f"points_{field_name}"
    return parameter, select(model).where(model.id == bindparam(parameter))


def _pointed_at(entity, record):
    """``(field, entity, id)`` of the records the record's reference and "related to" fields name."""
    registry = entities()
    for meta in entity.fields.values():
        value = getattr(record, meta.name, None)
        if value is None:
            continue
        if meta.kind == "reference" and (target := registry.by_table(meta.target)) is not None:
            yield meta, target, value
        elif meta.kind == "related" and (parts := split(value)) and (target := registry.get(parts[0])) is not None:
            yield meta, target, parts[1]


def use_page_reads(found: dict, pointed: dict, user) -> list:
    """Keep what the page's reads found for the rest of the request; the history's changes."""
    directory = {row.id: row for row in found["users"]}
    remember_users(directory)
    notifications.keep_unread_read(found)
    for key, target in pointed.items():
        for row in found[key]:
            remember_record(target, row)
    changes = found["history"]
    for change in changes:
        change.__dict__["user"] = directory.get(change.user_id)  # a transient row: no lazy load
    return changes


def rendered_panels(entity, record, panels) -> list:
    """Each panel rendered from its template with its own context."""
    return [(panel, render_fragment(panel.template, **{"entity": entity, "record": record, "panel": panel,
                                                        **panel.context}))
            for panel in panels]
