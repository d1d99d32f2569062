"""The rows of a list page, rendered in Python: a Jinja loop costs some 30 µs a cell (a macro
call, a filter, an escape and a context lookup each), which made the rows of a 20-row page half
its time. The markup is the one ``records/list.html`` had; every value is escaped."""

from __future__ import annotations

from string import Formatter
from urllib.parse import urlencode

from flask import url_for
from markupsafe import Markup, escape

from kernel.display import Lookups, display_value
from kernel.entities import Entity
from kernel.i18n import gettext as _

# The kinds whose shown value depends on the value only (not on the row): shown once per value.
REPEATING_KINDS = {"choice", "country", "boolean", "user", "reference", "related", "date"}
URL_SAFE = "!$'()*,/:;?@"  # what werkzeug's url_for leaves unquoted in a query string


def list_rows(entity: Entity, records: list, columns: list, lookups: Lookups, list_query: str,
              first_position: int) -> list[Markup]:
    """One ``<tr>…</tr>`` per record; ``columns`` are (name, meta, label) as the header shows them."""
    record_base = url_for("records.show_record", plural=entity.plural, record_id=0).rsplit("/", 1)[0]
    list_part = escape(urlencode({"list": list_query}, safe=URL_SAFE))
    select_label = _("Select %(title)s")
    title_of = title_function(entity)
    cells = [CellRenderer(entity, name, meta, label, lookups, first=index == 0)
             for index, (name, meta, label) in enumerate(columns)]
    rows = []
    for offset, record in enumerate(records):
        record_url = f"{escape(record_base)}/{record.id}?{list_part}&amp;pos={first_position + offset}"
        title = title_of(record)
        parts = [f'<tr><td class="select"><input type="checkbox" name="ids" value="{record.id}" form="mass-form" '
                 f'data-row-select aria-label="{escape(select_label % {"title": title})}"></td>']
        parts.extend(cell.html(record, record_url, title) for cell in cells)
        parts.append("</tr>")
        rows.append(Markup("".join(parts)))
    return rows


class CellRenderer:
    """The ``<td>`` of one column, with its shown values remembered within the page."""

    def __init__(self, entity: Entity, name: str, meta, label: str, lookups: Lookups, first: bool):
        self.entity, self.name, self.meta, self.lookups, self.first = entity, name, meta, lookups, first
        self.opening = f'<td data-label="{escape(label)}" class="kind-{escape(meta.kind)}">'
        self.linked = meta.kind in ("reference", "related")
        self.remembered = {} if meta.kind in REPEATING_KINDS else None

    def shown(self, value) -> str:
        if self.remembered is None:
            return display_value(self.meta, value, self.lookups)
        try:
            return self.remembered[value]
        except KeyError:
            shown = self.remembered[value] = display_value(self.meta, value, self.lookups)
            return shown
        except TypeError:  # a value that cannot be a key (a list of a multiple choice)
            return display_value(self.meta, value, self.lookups)

    def html(self, record, record_url, title: str) -> str:
        value = self.entity.value_of(record, self.name)
        if self.first:
            return f'{self.opening}<a href="{record_url}">{escape(self.shown(value) or title)}</a></td>'
        if self.linked:
            link = self.lookups.link(self.meta, value)
            if link:
                return f'{self.opening}<a href="{escape(link)}">{escape(self.shown(value))}</a></td>'
        return f"{self.opening}{escape(self.shown(value))}</td>"


def title_function(entity: Entity):
    """``entity.title_of``, reading only the fields its title names (it reads every field)."""
    if callable(entity.title):
        return entity.title_of
    names = [name for _text, name, _spec, _conversion in Formatter().parse(entity.title) if name]
    if not all(name == "id" or name in entity.declared_fields for name in names):
        return entity.title_of
    fields = [name for name in names if name != "id"]
    template, fallback = entity.title, f"{entity.label} #"

    def title_of(record) -> str:
        values = {name: (getattr(record, name, None) or "") for name in fields}
        return template.format(id=record.id, **values).strip() or f"{fallback}{record.id}"

    return title_of


def column_chooser(shown: list[str], labels: dict) -> tuple[Markup, Markup]:
    """The column chooser's two lists: the shown columns (with their up, down and hide buttons)
    and the others (with a show button). Each button's label is translated once, not once per
    column (the chooser lists every field of the entity)."""
    move_up, move_down = Markup(_("Move %(name)s up")), Markup(_("Move %(name)s down"))
    hide, show = Markup(_("Hide %(name)s")), Markup(_("Show %(name)s"))
    shown_items = []
    for name in shown:
        label = {"name": labels[name]}
        shown_items.append(
            f'<li data-name="{escape(name)}"><input type="hidden" name="columns" value="{escape(name)}">'
            f'<span>{escape(labels[name])}</span>\n'
            f'            <button type="button" data-move="up" aria-label="{move_up % label}">↑</button>\n'
            f'            <button type="button" data-move="down" aria-label="{move_down % label}">↓</button>\n'
            f'            <button type="button" data-move="remove" aria-label="{hide % label}">×</button></li>')
    in_shown = set(shown)
    other_items = [
        f'<li data-name="{escape(name)}"><span>{escape(label)}</span>\n'
        f'            <button type="button" data-move="add" aria-label="{show % {"name": label}}">+</button></li>'
        for name, label in labels.items() if name not in in_shown
    ]
    return Markup("\n          ".join(shown_items)), Markup("\n          ".join(other_items))
