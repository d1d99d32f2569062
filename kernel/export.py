"""CSV export of a filtered list: the chosen columns in the chosen order, headers in the user's
language, streamed in batches so that a million rows export with flat memory.

Every CSV the application writes for people goes through ``csv_writer``: a text cell that a
spreadsheet would read as a formula (=, +, -, @, tab, CR) is written with a leading quote, as
OWASP recommends against CSV injection. Numbers stay numbers."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date, datetime

from flask_babel import to_user_timezone
from sqlalchemy import select

from kernel.countries import country_options
from kernel.db import db, stream_all
from kernel.entities import Entity, FieldMeta
from kernel.i18n import gettext as _
from kernel.listing import ListState, ordering
from kernel.related import related_titles
from kernel.users import User

BATCH = 5000
BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# "-3.50", "+1 (867) 979-5555": digits, spaces and ( ) . , - only, so no function, reference or
# command a spreadsheet could run: numbers and phone numbers stay as they are.
PLAIN_NUMBER = re.compile(r"[+-]?[\d(][\d (),.-]*")


def spreadsheet_safe(cell):
    """The cell, or a text starting like a formula with a quote in front (a spreadsheet then shows
    the text instead of running it: "=HYPERLINK(…)" sends data to another site)."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


class SafeWriter:
    """``csv.writer`` whose cells go through ``spreadsheet_safe``."""

    def __init__(self, handle, **options):
        self.writer = csv.writer(handle, **options)

    def writerow(self, row):
        return self.writer.writerow([spreadsheet_safe(cell) for cell in row])

    def writerows(self, rows):
        self.writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)


def csv_writer(handle, **options) -> SafeWriter:
    """The writer of every CSV file meant to be opened in a spreadsheet."""
    return SafeWriter(handle, **options)


def _plain(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return to_user_timezone(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def value_formatter(meta: FieldMeta, registry):
    """A function turning a raw column value into the text of a CSV cell."""
    if meta.kind == "choice":
        # inactive options still name stored values; translated once, not per row
        labels = {value: str(label) for value, label in meta.choices.all_items()}
        return lambda value: labels.get(value, value or "")
    if meta.kind == "country":
        names = dict(country_options())  # once, not per row: naming needs the locale
        return lambda value: names.get(value, value or "")
    if meta.kind == "boolean":
        yes, no = _("Yes"), _("No")
        return lambda value: yes if value else no
    if meta.kind == "user":
        names = dict(db.reading.execute(select(User.id, User.name)).all())
        return lambda value: names.get(value, "") if value else ""
    if meta.kind == "reference":
        return ReferenceTitles(meta, registry)
    if meta.kind == "related":
        return RelatedTitles(registry)
    if meta.kind in AS_IS_KINDS:
        return None  # the csv module writes None as "" and dates, numbers and text as they are
    return _plain


AS_IS_KINDS = {"text", "longtext", "email", "phone", "url", "integer", "decimal", "date"}


class ReferenceTitles:
    """Titles of the records a reference column points at, loaded once per batch of rows."""

    def __init__(self, meta: FieldMeta, registry):
        self.target = registry.by_table(meta.target)
        self.titles: dict[int, str] = {}

    def prepare(self, values) -> None:
        ids = {value for value in values if value}
        if self.target is None or not ids:
            self.titles = {}
            return
        rows = db.reading.scalars(select(self.target.model).where(self.target.model.id.in_(ids)))
        self.titles = {row.id: self.target.title_of(row) for row in rows}

    def __call__(self, value) -> str:
        return self.titles.get(value, f"#{value}") if value else ""


class RelatedTitles(ReferenceTitles):
    """Titles of the records a "related to" column points at, once per batch of rows."""

    def __init__(self, registry):
        self.registry = registry
        self.titles: dict[str, str] = {}

    def prepare(self, values) -> None:
        self.titles = related_titles({value for value in values if value}, self.registry)

    def __call__(self, value) -> str:
        return self.titles.get(value, value or "")


def csv_lines(entity: Entity, state: ListState, user, registry, *, bom: bool = False) -> Iterator[str]:
    """Yield the CSV text chunk by chunk: header first, then one chunk per batch of rows."""
    metas = [entity.fields[name] for name in state.columns]
    formatters = [value_formatter(meta, registry) for meta in metas]
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow([str(meta.label) for meta in metas])
    yield (BOM if bom else "") + _drain(buffer)
    columns = [entity.column(meta.name) for meta in metas]
    statement = (
        state.statement(entity, user)
        .with_only_columns(*columns)
        .order_by(*ordering(entity, state.sort, state))
    )
    result = stream_all(statement)  # plain rows: no ORM work per row
    references = [(index, formatter) for index, formatter in enumerate(formatters)
                  if isinstance(formatter, ReferenceTitles)]
    to_format = [(index, formatter) for index, formatter in enumerate(formatters) if formatter is not None]
    for partition in result.partitions(BATCH):
        for index, formatter in references:
            formatter.prepare(row[index] for row in partition)
        writer.writer.writerows(_formatted(partition, to_format))  # made spreadsheet-safe here, in one pass
        yield _drain(buffer)


FORMULA_FIRST_CHARACTERS = frozenset(FORMULA_STARTS)


def _formatted(rows, to_format):
    """Rows with the values that need it turned into text (labels, names, local times), each
    cell made ``spreadsheet_safe``: in one pass, inline, as a million rows pass through here."""
    firsts, plain_number = FORMULA_FIRST_CHARACTERS, PLAIN_NUMBER.fullmatch
    formatted = []
    for row in rows:
        cells = list(row)
        for index, formatter in to_format:
            cells[index] = formatter(cells[index])
        formatted.append([
            "'" + cell if cell.__class__ is str and cell[:1] in firsts and not plain_number(cell) else cell
            for cell in cells
        ])
    return formatted


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def stream_csv(header: list[str], batches, *, bom: bool = False) -> Iterator[str]:
    """Any rows as CSV text, chunk by chunk: the header first, then one chunk per batch of rows
    already formatted (reports use it with their own query; lists use ``csv_lines``)."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(header)
    yield (BOM if bom else "") + _drain(buffer)
    for rows in batches:
        writer.writerows(rows)
        yield _drain(buffer)
