"""Showing field values to people: choice labels, user names, dates in their locale."""

from __future__ import annotations

from collections import defaultdict

from flask import g, has_request_context, url_for
from flask_babel import format_date, format_decimal
from flask_login import current_user
from sqlalchemy import select

from kernel.countries import country_name
from kernel.db import db
from kernel.entities import Entity, FieldMeta
from kernel.i18n import format_datetime
from kernel.i18n import gettext as _
from kernel.i18n import lazy_gettext as _l
from kernel.related import known_record, related_titles, split
from kernel.users import users_by_id


class Lookups:
    """Names of the users and titles of the records that a page of records points at,
    loaded with one query per kind of target, whatever the number of rows."""

    def __init__(self, entity: Entity, records: list, registry):
        self.registry = registry
        self.users = {}
        self.references: dict[str, dict[int, str]] = defaultdict(dict)
        user_fields = _user_fields(entity)
        user_ids = {getattr(record, name) for record in records for name in user_fields}
        user_ids |= {record.created_by_id for record in records} | {record.updated_by_id for record in records}
        self.users = _users(user_ids)
        related_fields = [meta.name for meta in entity.fields.values() if meta.kind == "related"]
        related_values = {getattr(record, name, None) for record in records for name in related_fields}
        self.related = related_titles(related_values - {None}, registry) if related_values else {}
        for meta in entity.fields.values():
            if meta.kind != "reference":
                continue
            target = registry.by_table(meta.target)
            ids = {getattr(record, meta.name) for record in records} - {None}
            if target is None or not ids:
                continue
            known = [row for record_id in ids if (row := known_record(target.name, record_id)) is not None]
            missing = ids - {row.id for row in known}
            rows = db.session.scalars(select(target.model).where(target.model.id.in_(missing))) if missing else []
            self.references[meta.target] = {row.id: target.title_of(row) for row in [*known, *rows]}

    def add_users(self, ids) -> None:
        missing = {user_id for user_id in ids if user_id and user_id not in self.users}
        self.users.update(_users(missing))

    def user_name(self, user_id) -> str:
        user = self.users.get(user_id)
        return user.name if user else ""

    def link(self, meta: FieldMeta, value) -> str | None:
        """The address of the record a reference or "related to" value points at, when it exists
        and the signed-in user may open it; else None (the value is shown as text)."""
        if meta.kind == "reference" and value in self.references.get(meta.target, {}):
            target, record_id = self.registry.by_table(meta.target), value
        elif meta.kind == "related" and value in self.related:
            name, record_id = split(value)
            target = self.registry.get(name)
        else:
            return None
        if target is None or not target.can(current_user, "view"):
            return None
        return url_for("records.show_record", plural=target.plural, record_id=record_id)


def remember_users(users: dict) -> None:
    """The request's users, already read (``{id: user}``: as ``kernel.onepass`` found them, or the
    active users a list page reads for its filters): the names the page shows need no further
    query, but for users not among them."""
    g.user_directory = users


def _users(ids) -> dict:
    directory = g.get("user_directory") if has_request_context() else None
    if directory is None:
        return users_by_id(ids)
    found = {user_id: directory[user_id] for user_id in ids if user_id in directory}
    missing = {user_id for user_id in ids if user_id and user_id not in found}
    return found | users_by_id(missing) if missing else found


def _user_fields(entity: Entity) -> list[str]:
    return [meta.name for meta in entity.fields.values() if meta.kind == "user"]


def display_value(meta: FieldMeta, value, lookups: Lookups | None = None) -> str:
    if value is None or value == "":
        return ""
    if meta.kind == "choice":
        return meta.choices.label(value)
    if meta.kind == "country":
        return country_name(value)
    if meta.kind == "boolean":
        return _("Yes") if value else _("No")
    if meta.kind == "date":
        return format_date(value, "medium")
    if meta.kind == "datetime":
        return format_datetime(value, "medium")
    if meta.kind == "decimal":
        return format_decimal(value)
    if meta.kind == "user":
        return lookups.user_name(value) if lookups else str(value)
    if meta.kind == "reference":
        return (lookups.references.get(meta.target, {}).get(value) if lookups else None) or f"#{value}"
    if meta.kind == "related":
        return (lookups.related.get(value) if lookups else None) or str(value)
    return str(value)


HISTORY_ACTIONS = {
    "created": _l("Created"),
    "updated": _l("Changed"),
    "deleted": _l("Moved to the trash"),
    "restored": _l("Restored from the trash"),
}


def history_action(action: str) -> str:
    return str(HISTORY_ACTIONS.get(action, action))


def history_value(meta: FieldMeta | None, text: str | None, lookups: Lookups | None = None) -> str:
    """A value as the history stored it (text), shown like the field shows it."""
    if text is None or text == "" or meta is None:
        return text or "—"
    if meta.kind == "choice":
        return meta.choices.label(text)
    if meta.kind == "country":
        return country_name(text)
    if meta.kind == "boolean":
        return _("Yes") if text == "True" else _("No")
    if meta.kind == "user" and lookups is not None:
        return lookups.user_name(int(text)) or f"#{text}"
    return text
