"""Records that point at a record, shown as panels on its page — for every module, with no code.

When an entity has a reference field to another (a contact's partner) or a "related to" field
that may point at it (a programme participation related to a client), the pointed-at record's
page gets a panel listing those records, with "Add" already linked to it. The kernel provides
these panels through the ``passerelle_record_panels`` hook, like any plugin would."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import bindparam, func, select

from kernel import hookimpl
from kernel.db import db
from kernel.display import Lookups, display_value
from kernel.i18n import gettext as _
from kernel.panels import Panel
from kernel.registry import entities

PANEL_ROWS = 10


@dataclass
class Link:
    entity: object  # the entity whose records point at the record shown
    field: object  # its FieldMeta doing the pointing
    value: object  # what that field holds when it points at the record


def links_to(entity, record, registry) -> list[Link]:
    return [Link(other, meta, record.id if meta.kind == "reference" else f"{entity.name}:{record.id}")
            for other, meta in _pointing_fields(entity, registry)]


def _pointing_fields(entity, registry) -> list[tuple]:
    """``(entity, field)`` of the declared fields that may point at ``entity``'s records, found once
    per application (custom fields are never references: ``kernel.custom_fields.KINDS``)."""
    from flask import current_app, has_app_context

    known = current_app.extensions.setdefault("passerelle.pointing_fields", {}) if has_app_context() else {}
    if entity.name not in known:
        known[entity.name] = [
            (other, meta) for other in registry for meta in other.declared_fields.values()
            if (meta.kind == "reference" and meta.target == entity.model.__tablename__)
            or (meta.kind == "related" and entity.relatable and (meta.targets is None or entity.name in meta.targets))]
    return known[entity.name]


def linked_statement(link: Link):
    return link.entity.active().where(getattr(link.entity.model, link.field.name) == link.value)


# The statements of each linked panel, by (model, field), built once (entities are not hashable).
_PANEL_STATEMENTS: dict[tuple, tuple] = {}


def _panel_statements(other, field_name: str) -> tuple[str, object, object]:
    """``(parameter name, rows, count)`` of the panel of ``other``'s records whose ``field_name``
    points at a record, the record given as a parameter (``Panel.params``)."""
    key = (other.model, field_name)
    if key not in _PANEL_STATEMENTS:
        parameter = re.sub(r"\W", "_", f"linked_{other.model.__tablename__}_{field_name}")
        pointing = other.active().where(getattr(other.model, field_name) == bindparam(parameter))
        _PANEL_STATEMENTS[key] = (parameter, pointing.order_by(other.model.id.desc()).limit(PANEL_ROWS),
                                  pointing.with_only_columns(func.count()).order_by(None))
    return _PANEL_STATEMENTS[key]


def linked_count(link: Link) -> int:
    return db.session.scalar(select(func.count()).select_from(linked_statement(link).subquery()))


def linked_panel(link: Link, *, closed: bool = False) -> Panel:
    """The records pointing at a record; "Add" is not offered on a closed record (``Entity.closing``).
    Its rows and their number are read with the page's other panels (``kernel.panels``); nothing
    of it is made when another panel replaces it."""
    other = link.entity

    def build(found) -> dict:
        return {"rows": found["rows"], "total": found["total"],
                "lookups": Lookups(other, found["rows"], entities())}

    def prepare(panel: Panel) -> None:
        if not closed and other.can(_current_user(), "create"):
            panel.actions.append((other.create_label or _("Add"), url_for(
                "records.create_record", plural=other.plural, **{link.field.name: link.value})))
        filter_key = f"{link.field.name}__equals" if link.field.kind == "related" else f"{link.field.name}__in"
        panel.context.update({
            "other": other, "columns": [meta for meta in other.list_fields if meta.name != link.field.name][:5],
            "display": display_value,
            "all_url": url_for("records.list_records", plural=other.plural) + f"?{filter_key}={link.value}"})
        parameter, panel.reads["rows"], panel.counts["total"] = _panel_statements(other, link.field.name)
        panel.params = {parameter: link.value}

    return Panel(
        key=f"linked-{other.name}-{link.field.name}",
        title=other.label_plural if link.field.kind == "related" or _single_link(other) else
        f"{other.label_plural} ({link.field.label})",
        template="panels/linked_records.html", order=50, build=build, prepare=prepare,
    )


def _single_link(other) -> bool:
    return sum(1 for meta in other.fields.values() if meta.kind in {"reference", "related"}) <= 1


def _current_user():
    from flask_login import current_user

    return current_user


class LinkedRecordsPanels:
    """The kernel's own implementation of ``passerelle_record_panels``."""

    @hookimpl
    def passerelle_record_panels(self, entity, record, user):
        closed = entity.is_closed(record)
        return [linked_panel(link, closed=closed) for link in links_to(entity, record, entities())
                if link.entity.can(user, "view")]
