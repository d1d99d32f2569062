"""CSV import, for every entity: read a file, map its columns, coerce, match, write.

The same steps serve the screens (``kernel.views.imports``) and ``passerelle import``:

1. **read** the uploaded bytes: UTF-8 with or without BOM, else Windows-1252 (Latin-1 as the last
   resort); comma, semicolon or tab; the first line names the columns;
2. **map** each column to a field, guessed from the headers: field names and labels in English
   and French, without case, accents or punctuation ("Nom de famille", "last_name" → last_name);
3. **coerce** each cell to what the schema loads: choice codes or labels in either language,
   yes/no/oui/non, ISO or dd/mm/yyyy dates, country codes or names, "1 234,50";
4. **match** existing records with the entity's duplicate rule (same e-mail, same phone digits or
   same folded full name), looked up once per batch of rows in ``duplicate_keys``;
5. **validate** with the entity's schema and **write** through ``kernel.records`` (history,
   hooks). On PostgreSQL every row goes in ONE transaction: a database error, or a process killed
   mid-way, leaves nothing behind, and other users keep writing meanwhile. SQLite has one writer
   at a time: one long transaction made every other user wait for the whole import, so there
   the rows are committed in small batches (each holds the write lock about ``BATCH_SECONDS``)
   and a journal next to the upload lists what each batch did, to undo it all if the import
   fails or its process dies.

A running import heart-beats (``imports.heartbeat_at``, every batch). One whose heart stopped
longer than ``STALE_AFTER`` ago (its process was killed) is marked failed, and undone, by the
worker or when its page is shown; it can then be run again from its page.

Rows that fail validation are rejected, written to a "rejected rows" CSV (the original cells and a
reason), and the valid rows are imported. The ``imports`` table keeps the job: file, mapping,
duplicate mode, status and counters. Counters are published every batch *outside* the records'
transaction so that the import page can show progress.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import logging
import os
import pickle
import re
import secrets
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

from babel import Locale
from flask import current_app, has_request_context
from flask_babel import force_locale
from marshmallow import RAISE, ValidationError
from sqlalchemy import JSON, ForeignKey, String, Text, false, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from kernel import records
from kernel.config import private_folder, private_opener, write_private
from kernel.countries import country_codes
from kernel.db import Base, bulk_writing, db, text_pairs, utcnow
from kernel.duplicates import EXACT_KINDS, DuplicateKey, DuplicateRule, keys_of, reason_label, rule_of
from kernel.entities import Entity, FieldMeta
from kernel.export import csv_writer
from kernel.i18n import gettext as _
from kernel.i18n import lazy_gettext as _l
from kernel.schemas import REQUIRED, entity_schema, plain_messages
from kernel.text import fold
from kernel.users import User

log = logging.getLogger("passerelle.import")

BATCH_SIZE = 1000
SQLITE_FIRST_BATCH = 100  # rows; then sized so that a batch holds SQLite's write lock about BATCH_SECONDS
BATCH_SECONDS = 0.15
STALE_AFTER = timedelta(minutes=3)  # a running import that did not heart-beat for so long is dead
PREVIEW_ROWS = 20
SAMPLE_COUNT = 3
FOLDER = "imports"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
SKIP, UPDATE, CREATE = "skip", "update", "create"
DUPLICATE_MODES = (SKIP, UPDATE, CREATE)
DUPLICATE_MODE_LABELS = {
    SKIP: _l("Skip the row: keep the existing record as it is"),
    UPDATE: _l("Update the existing record with the row's values"),
    CREATE: _l("Create a new record anyway"),
}
REJECT, EXTRA_CELLS_KEY = "reject", ""

EMPTY_FILE = _l("The file is empty.")
NOT_CSV = _l("This file is not a CSV file. Save it as CSV (values separated by commas or semicolons) "
             "from your spreadsheet and try again.")
NO_HEADER = _l("The first line of the file must give the names of the columns (for example: Last name, "
               "E-mail).")
NO_ROWS = _l("The file names its columns but has no rows to import.")
EXTRA_CELLS = _l("This line has more cells than the first line has columns.")
USER_NOT_FOUND = _l("Choose an active user.")
RECORD_NOT_FOUND = _l("Choose an existing record.")


# -- the job -----------------------------------------------------------------------------------
class Import(Base):
    """One import: the stored file, how to read it, where it stands."""

    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    entity: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    path: Mapped[str] = mapped_column(String(255))  # relative to the instance folder
    mapping: Mapped[list] = mapped_column(JSON, default=list)  # one field name (or null) per column
    duplicates: Mapped[str] = mapped_column(String(10), default=SKIP)
    status: Mapped[str] = mapped_column(String(10), default=QUEUED)
    total: Mapped[int] = mapped_column(default=0)
    processed: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)
    rejected: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]  # a running import's last sign of life

    user: Mapped[User | None] = relationship()

    @property
    def finished(self) -> bool:
        return self.status in (DONE, FAILED)

    def visible_to(self, user) -> bool:
        return bool(user) and (user.id == self.user_id or user.is_admin)


COUNTERS = ("processed", "created", "updated", "skipped", "rejected")


@dataclass
class Counters:
    total: int = 0
    processed: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    rejected: int = 0

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in ("total", *COUNTERS)}

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, round(100 * self.processed / self.total))


def counters_of(job: Import) -> Counters:
    return Counters(**{name: getattr(job, name) or 0 for name in ("total", *COUNTERS)})


# -- files -------------------------------------------------------------------------------------
class ImportFileError(ValueError):
    """The file cannot be imported at all; ``message`` says why, for people."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def instance_folder() -> Path:
    return private_folder(Path(current_app.instance_path) / FOLDER)


def absolute_path(relative: str) -> Path:
    return Path(current_app.instance_path) / relative


def store_file(data: bytes) -> str:
    """Keep the uploaded bytes under ``instance/imports/``; returns the path relative to the instance."""
    name = f"{secrets.token_hex(16)}.csv"
    write_private(instance_folder() / name, data)
    return f"{FOLDER}/{name}"


def rejected_path(job: Import) -> Path:
    return absolute_path(job.path).with_suffix(".rejected.csv")


def progress_path(relative: str) -> Path:
    return absolute_path(relative).with_suffix(".progress.json")


def max_bytes() -> int:
    return int(current_app.config.get("IMPORT_MAX_BYTES") or DEFAULT_MAX_BYTES)


# -- reading -----------------------------------------------------------------------------------
DELIMITERS = (",", ";", "\t")
BINARY_SIGNATURES = (b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0")  # zip (xlsx, odt), PDF, old Office


@dataclass
class SourceRow:
    line: int  # first line of the row in the file
    cells: list[str]


@dataclass
class CsvFile:
    """A decoded CSV file whose first non-blank line names the columns."""

    text: str
    encoding: str
    delimiter: str
    headers: list[str]
    row_count: int = 0

    def _reader(self):
        return csv.reader(io.StringIO(self.text, newline=""), delimiter=self.delimiter)

    def rows(self) -> Iterator[SourceRow]:
        """The data rows (blank lines skipped), after the header."""
        reader = self._reader()
        header_seen = False
        while True:
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            if not any(cell.strip() for cell in cells):
                continue
            if not header_seen:
                header_seen = True
                continue
            yield SourceRow(line, cells)

    def samples(self, count: int = SAMPLE_COUNT) -> list[list[str]]:
        """Up to ``count`` values of each column, from the first rows."""
        first = [row.cells for _, row in zip(range(count), self.rows(), strict=False)]
        return [[cells[index] if index < len(cells) else "" for cells in first] for index in range(len(self.headers))]


def decode(data: bytes) -> tuple[str, str]:
    """The text and its encoding: UTF-16 (with BOM), UTF-8 (BOM or not), else Windows-1252/Latin-1."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line
    return ""


def sniff_delimiter(text: str) -> str:
    """The separator the header line uses most (headers rarely contain commas or semicolons)."""
    header = first_line(text)
    counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def looks_binary(data: bytes, text: str) -> bool:
    return data.startswith(BINARY_SIGNATURES) or "\x00" in text


_VALUE_PATTERNS = re.compile(
    r"^(\S+@\S+\.\S+|[+(]?\d[\d\s().,/:-]*|\d{4}-\d{2}-\d{2}.*)$"
)


def looks_like_values(cells: list[str]) -> bool:
    """A first line of data rather than column names: e-mails, numbers, dates, phone numbers."""
    return any(_VALUE_PATTERNS.match(cell.strip()) for cell in cells if cell.strip())


def read_csv(data: bytes) -> CsvFile:
    """Decode and check a file; raise ``ImportFileError`` with a message for people."""
    if not data.strip():
        raise ImportFileError(EMPTY_FILE)
    text, encoding = decode(data)
    if looks_binary(data, text):
        raise ImportFileError(NOT_CSV)
    if not text.strip(" \r\n\t\ufeff"):
        raise ImportFileError(EMPTY_FILE)
    csv_file = CsvFile(text=text, encoding=encoding, delimiter=sniff_delimiter(text), headers=[])
    try:
        csv_file.headers = _header_cells(csv_file)
        csv_file.row_count = sum(1 for _ in csv_file.rows())
    except csv.Error as error:
        raise ImportFileError(NOT_CSV) from error
    if not any(header.strip() for header in csv_file.headers):
        raise ImportFileError(NO_HEADER)
    return csv_file


def _header_cells(csv_file: CsvFile) -> list[str]:
    for cells in csv_file._reader():
        if any(cell.strip() for cell in cells):
            return [cell.strip() for cell in cells]
    return []


def check_header(entity: Entity, csv_file: CsvFile) -> None:
    """Refuse a file whose first line is data (no column names)."""
    if looks_like_values(csv_file.headers) and not any(guess_mapping(entity, csv_file.headers)):
        raise ImportFileError(NO_HEADER)


def open_file(entity: Entity, data: bytes) -> CsvFile:
    """Read an uploaded file for this entity; raise ``ImportFileError`` if it cannot be imported."""
    csv_file = read_csv(data)
    check_header(entity, csv_file)
    if csv_file.row_count == 0:
        raise ImportFileError(NO_ROWS)
    return csv_file


def open_job_file(job: Import) -> CsvFile:
    return read_csv(absolute_path(job.path).read_bytes())


# -- mapping -----------------------------------------------------------------------------------
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


# -- coercion: the text of a cell → the value the schema loads ---------------------------------
TRUE_WORDS = frozenset({"1", "yes", "y", "oui", "o", "true", "vrai", "x"})
FALSE_WORDS = frozenset({"0", "no", "n", "non", "false", "faux"})
DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
ISO_DATE_WITH_MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]00:00(?::00)?$")
REFERENCE = re.compile(r"^#?\s*(\d+)$")
SPACES = re.compile(r"[\s\u00a0\u202f]")


def as_boolean(text: str):
    word = fold(text)
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return text


def as_date(text: str):
    match = DAY_FIRST.match(text)
    if match and match.group(4) is None:
        day, month, year = (int(part) for part in match.group(1, 2, 3))
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            return text
    midnight = ISO_DATE_WITH_MIDNIGHT.match(text)
    return midnight.group(1) if midnight else text


def as_datetime(text: str):
    match = DAY_FIRST.match(text)
    if not match:
        return text
    day, month, year = (int(part) for part in match.group(1, 2, 3))
    hour, minute, second = (int(part or 0) for part in match.group(4, 5, 6))
    try:
        return datetime(year, month, day, hour, minute, second).isoformat()
    except ValueError:
        return text


def as_decimal(text: str):
    """``"1 234,50"`` and ``"1,234.50"`` → ``"1234.50"``: the last separator is the decimal one."""
    number = SPACES.sub("", text)
    comma, dot = number.rfind(","), number.rfind(".")
    if comma > dot:
        number = number.replace(".", "").replace(",", ".")
    else:
        number = number.replace(",", "")
    return number


def as_integer(text: str):
    return SPACES.sub("", text)


def as_reference(text: str):
    match = REFERENCE.match(text)
    return int(match.group(1)) if match else text


@cache
def country_lookup() -> dict[str, str]:
    """Folded ISO code, English name or French name → ISO code."""
    lookup = {}
    codes = country_codes()
    for language in LANGUAGES:
        for code, name in Locale(language).territories.items():
            if code in codes:
                lookup.setdefault(fold(name), code)
    lookup.update({fold(code): code for code in codes})
    return lookup


def choice_lookup(meta: FieldMeta) -> dict[str, str]:
    """Folded code or label (English or French) → code."""
    lookup = {}
    for language in LANGUAGES:
        with force_locale(language):
            for code, label in meta.choices.items():
                lookup.setdefault(fold(label), code)
    lookup.update({fold(code): code for code in meta.choices.values()})
    return lookup


def user_lookup() -> dict[str, int]:
    """Id, e-mail or folded name of an active user → id (one query)."""
    lookup = {}
    for user in db.session.scalars(select(User).where(User.active.is_(True))):
        lookup.setdefault(fold(user.name), user.id)
        lookup[user.email.lower()] = user.id
        lookup[str(user.id)] = user.id
    return lookup


def _looked_up(lookup: dict) -> Callable[[str], object]:
    return lambda text: lookup.get(fold(text), lookup.get(text.lower(), text))


def converter_for(meta: FieldMeta, users: Callable[[], dict]) -> Callable[[str], object]:
    """The function turning a (stripped, non-empty) cell into the raw value of this field."""
    if meta.kind == "choice":
        return _looked_up(choice_lookup(meta))
    if meta.kind == "country":
        return _looked_up(country_lookup())
    if meta.kind == "user":
        return _looked_up(users())
    simple = {
        "boolean": as_boolean, "date": as_date, "datetime": as_datetime, "decimal": as_decimal,
        "integer": as_integer, "reference": as_reference,
    }
    return simple.get(meta.kind, lambda text: text)


class Coercer:
    """Cells of a row → ``{field: raw value}`` for the mapped, non-empty cells."""

    def __init__(self, entity: Entity, mapping: list[str | None]):
        self.columns = [(index, name) for index, name in enumerate(mapping) if name]
        self.width = len(mapping)
        loaded_users: dict = {}

        def users():
            if not loaded_users:
                loaded_users.update(user_lookup())
            return loaded_users

        self.converters = {name: converter_for(entity.fields[name], users) for _, name in self.columns}

    def raw(self, cells: list[str]) -> dict:
        values = {}
        for index, name in self.columns:
            text = cells[index].strip() if index < len(cells) else ""
            if text:
                values[name] = self.converters[name](text)
        return values

    def extra_cells(self, cells: list[str]) -> bool:
        return any(cell.strip() for cell in cells[self.width:])


# -- validation --------------------------------------------------------------------------------
class ExistingIds:
    """Replaces the schema's one-query-per-value check of user and reference fields: the ids that
    exist are loaded once per batch (users: once per import)."""

    def __init__(self, meta: FieldMeta, message):
        self.meta = meta
        self.message = message
        self.ids: set[int] = set()

    def load(self, values: Iterable) -> None:
        wanted = {value for value in values if isinstance(value, int)}
        if not wanted:
            self.ids = set()
            return
        self.ids = set(db.session.scalars(self._statement(wanted)))

    def _statement(self, wanted):
        if self.meta.kind == "user":
            return select(User.id).where(User.id.in_(wanted), User.active.is_(True))
        from kernel.registry import entities

        target = entities().by_table(self.meta.target)
        if target is None:
            return select(User.id).where(false())
        return select(target.model.id).where(target.model.id.in_(wanted), target.model.deleted_at.is_(None))

    def __call__(self, value) -> None:
        if value not in self.ids:
            raise ValidationError(str(self.message))


class RowValidator:
    """The entity's schema, instantiated once per import (instantiating it costs more than loading
    a row), checking exactly what ``kernel.schemas.load`` checks. It holds only the mapped fields:
    the others are never in a row, and marshmallow visits every field of a schema for each row."""

    def __init__(self, entity: Entity, mapping: list[str | None]):
        self.entity = entity
        schema_class = entity_schema(entity)
        mapped = sorted({name for name in mapping if name} & set(schema_class._declared_fields))
        self.schemas = {
            partial: schema_class(partial=partial, unknown=RAISE, only=mapped) for partial in (False, True)
        }
        self.required = [meta.name for meta in importable_fields(entity) if meta.required]
        self.existing = {
            meta.name: ExistingIds(meta, USER_NOT_FOUND if meta.kind == "user" else RECORD_NOT_FOUND)
            for name in mapping if name and (meta := entity.fields[name]).kind in ("user", "reference")
        }
        for schema in self.schemas.values():
            for name, check in self.existing.items():
                schema.fields[name].validators = [
                    validator for validator in schema.fields[name].validators
                    if getattr(validator, "__name__", "") != "check"
                ] + [check]

    def prepare(self, raws: list[dict]) -> None:
        """Load, in one query per user or reference column, the ids this batch points at."""
        for name, existing in self.existing.items():
            existing.load(raw.get(name) for raw in raws)

    def validate(self, raw: dict, *, partial: bool) -> tuple[dict, dict]:
        """``(values, {})`` or ``({}, {field: [messages]})``."""
        try:
            values = self.schemas[partial].load(raw)
        except ValidationError as error:
            return {}, plain_messages(error.normalized_messages())
        if not partial:
            missing = {name: [str(REQUIRED)] for name in self.required if values.get(name) in (None, "")}
            if missing:
                return {}, missing
        return values, {}


# -- matching ----------------------------------------------------------------------------------
MATCH_KINDS = (*EXACT_KINDS, "name")


def default_rule(entity: Entity) -> DuplicateRule:
    """For an entity without a duplicate rule: its title's fields as the name, its e-mails and phones."""
    title_fields = tuple(name for name in re.findall(r"{(\w+)", entity.title) if name in entity.fields)
    exact = tuple(meta.name for meta in entity.fields.values() if meta.kind in ("email", "phone"))
    return DuplicateRule(name_fields=title_fields, exact_fields=exact)


def rule_labels(entity: Entity) -> list[str]:
    """The labels of the fields compared to find a row's existing record."""
    rule = rule_of(entity) or default_rule(entity)
    return [str(entity.fields[name].label) for name in rule.fields()]


@dataclass(frozen=True)
class Match:
    """What a row matches: a record (``record_id``) or, in a preview, an earlier row (``line``)."""

    record_id: int | None
    reason: str
    line: int | None = None


def reason_of(key: tuple[str, str]) -> str:
    kind, value = key
    return value.split(":", 1)[0] if kind == "value" else kind


class Matcher:
    """Finds the record a row duplicates: same e-mail (without case), same phone digits or same
    folded full name, by the entity's duplicate rule.

    Entities with a rule have their keys in ``duplicate_keys``: one query per batch of rows. Others
    are read once (their id and rule fields) into memory. Rows of the import itself are matched
    too: a row repeated in the file is not created twice (unless the mode says "create anyway")."""

    def __init__(self, entity: Entity):
        self.entity = entity
        rule = rule_of(entity)
        self.indexed = rule is not None
        self.rule = rule or default_rule(entity)
        self.found: dict[tuple[str, str], int] = {}
        self.seen: dict[tuple[str, str], Match] = {}
        self.scanned = False

    def keys(self, raw: dict) -> list[tuple[str, str]]:
        """The row's keys, exact ones (e-mail, phone) first."""
        keys = [key for key in keys_of(self.entity, self.rule, raw) if key[0] in MATCH_KINDS]
        return sorted(keys, key=lambda key: (key[0] == "name", key))

    def prepare(self, all_keys: Iterable[tuple[str, str]]) -> None:
        """Look the keys of a batch up: one query (or, for an entity without rule, one scan)."""
        if not self.indexed:
            self._scan_once()
            return
        self.seen.clear()  # earlier batches are flushed: their keys are in duplicate_keys now
        self.found = self._indexed(set(all_keys))

    def _indexed(self, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
        if not wanted:
            return {}
        # One index probe per key: a common name's key is shared by hundreds of records, which
        # "key IN (…) GROUP BY" would all read to keep the oldest.
        rows = db.session.execute(self._oldest_records(sorted(wanted)))
        return {(kind, key): record_id for kind, key, record_id in rows if record_id is not None}

    def _oldest_records(self, wanted: list[tuple[str, str]]):
        table = DuplicateKey.__table__
        keys = text_pairs(wanted, ("kind", "key"))
        oldest = (select(func.min(table.c.record_id))
                  .where(table.c.entity == self.entity.name, table.c.kind == keys.c.kind, table.c.key == keys.c.key)
                  .scalar_subquery())
        return select(keys.c.kind, keys.c.key, oldest)

    def _scan_once(self) -> None:
        if self.scanned:
            return
        self.scanned = True
        model = self.entity.model
        columns = [model.id, *(getattr(model, name) for name in self.rule.fields())]
        statement = select(*columns).where(model.deleted_at.is_(None)).order_by(model.id)
        for row in db.session.execute(statement.execution_options(yield_per=5000)):
            for key in self.keys(row._mapping):
                self.found.setdefault(key, row.id)

    def match(self, keys: list[tuple[str, str]]) -> Match | None:
        for key in keys:
            if key in self.found:
                return Match(record_id=self.found[key], reason=reason_of(key))
            if key in self.seen:
                earlier = self.seen[key]
                return Match(record_id=earlier.record_id, line=earlier.line, reason=reason_of(key))
        return None

    def remember(self, keys: list[tuple[str, str]], *, record_id: int | None = None, line: int | None = None):
        for key in keys:
            self.seen.setdefault(key, Match(record_id=record_id, line=line, reason=""))
            if not self.indexed and record_id is not None:
                self.found.setdefault(key, record_id)


# -- planning: what happens to each row --------------------------------------------------------
@dataclass
class RowPlan:
    """One row: its cells, the values to save, its errors and what will happen to it."""

    row: SourceRow
    raw: dict
    keys: list[tuple[str, str]] = field(default_factory=list)
    action: str = CREATE  # create, update, skip or reject
    match: Match | None = None
    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)

    @property
    def line(self) -> int:
        return self.row.line


class Planner:
    """Decides, batch by batch, what happens to each row (nothing is written here)."""

    def __init__(self, entity: Entity, mapping: list[str | None], mode: str):
        self.entity = entity
        self.mode = mode
        self.coercer = Coercer(entity, mapping)
        self.validator = RowValidator(entity, mapping)
        self.matcher = Matcher(entity)

    def start_batch(self, rows: list[SourceRow]) -> list[RowPlan]:
        """Coerce a batch and look up, once for the whole batch, its matches and references."""
        plans = [RowPlan(row=row, raw=self.coercer.raw(row.cells)) for row in rows]
        if self.mode != CREATE:  # "create anyway" never looks for matches
            for plan in plans:
                plan.keys = self.matcher.keys(plan.raw)
            self.matcher.prepare(key for plan in plans for key in plan.keys)
        self.validator.prepare([plan.raw for plan in plans])
        return plans

    def decide(self, plan: RowPlan) -> RowPlan:
        """Fill ``action``, ``match``, ``values`` and ``errors`` (in file order: a row can match
        an earlier one)."""
        if self.coercer.extra_cells(plan.row.cells):
            plan.action, plan.errors = REJECT, {EXTRA_CELLS_KEY: [str(EXTRA_CELLS)]}
            return plan
        plan.match = self.matcher.match(plan.keys)
        if plan.match is not None and self.mode == SKIP:
            plan.action = SKIP
            return plan
        updating = plan.match is not None
        plan.values, plan.errors = self.validator.validate(plan.raw, partial=updating)
        if plan.errors:
            plan.action = REJECT
        else:
            plan.action = UPDATE if updating else CREATE
        return plan

    def preview(self, rows: list[SourceRow]) -> list[RowPlan]:
        plans = []
        for plan in self.start_batch(rows):
            plans.append(self.decide(plan))
            if plan.action == CREATE:
                self.matcher.remember(plan.keys, line=plan.line)
            elif plan.action == UPDATE:
                self.matcher.remember(plan.keys, record_id=plan.match.record_id, line=plan.match.line)
        return plans


def preview(entity: Entity, csv_file: CsvFile, mapping: list[str | None], mode: str,
            count: int = PREVIEW_ROWS) -> list[RowPlan]:
    """The first rows as they would be imported, without writing anything."""
    rows = [row for _, row in zip(range(count), csv_file.rows(), strict=False)]
    planner = Planner(entity, mapping, mode)
    return planner.preview(rows)


def batches(rows: Iterable[SourceRow], size: int | None = None) -> Iterator[list[SourceRow]]:
    size = size or BATCH_SIZE
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# -- messages for people -----------------------------------------------------------------------
def reason_text(entity: Entity, errors: dict) -> str:
    """``"Last name: This field is required. | E-mail: Enter a valid e-mail address…"``"""
    parts = []
    for name, messages in errors.items():
        text = " ".join(messages)
        meta = entity.fields.get(name)
        parts.append(f"{meta.label}: {text}" if meta else text)
    return " | ".join(parts)


def action_text(entity: Entity, plan: RowPlan) -> str:
    """What happens to a row, for the preview: "Create", "Update #12 (Same e-mail)"…"""
    if plan.action == REJECT:
        return _("Rejected")
    if plan.action == CREATE:
        return _("Create")
    target = f"#{plan.match.record_id}" if plan.match.record_id else _("line %(line)d", line=plan.match.line)
    text = _("Update %(target)s", target=target) if plan.action == UPDATE else _("Skip: matches %(target)s",
                                                                                   target=target)
    return f"{text} ({match_reason_text(entity, plan.match.reason)})" if plan.match.reason else text


def match_reason_text(entity: Entity, reason: str) -> str:
    """"Same e-mail", "Same phone", "Same name" (the import matches identical names only)."""
    return _("Same name") if reason == "name" else reason_label(entity, reason)


# -- the rejected rows file --------------------------------------------------------------------
class RejectedRows:
    """The rejected rows with their reason, written as they come (UTF-8 with BOM for Excel)."""

    def __init__(self, path: Path, headers: list[str], delimiter: str):
        self.path = path
        self.handle = open(path, "w", encoding="utf-8-sig", newline="", opener=private_opener)  # noqa: SIM115
        self.writer = csv_writer(self.handle, delimiter=delimiter)  # opened in a spreadsheet: no formulas
        self.writer.writerow([*headers, _("Reason")])
        self.width = len(headers)
        self.count = 0

    def add(self, cells: list[str], reason: str) -> None:
        """The row's cells under their columns (cells beyond the last column are left out), then the reason."""
        padded = list(cells[:self.width]) + [""] * (self.width - len(cells))
        self.writer.writerow([*padded, reason])
        self.count += 1

    def close(self, *, keep: bool) -> None:
        self.handle.close()
        if not keep or not self.count:
            self.path.unlink(missing_ok=True)


# -- progress, outside the records' transaction ------------------------------------------------
class ProgressBoard:
    """Publishes the counters, and the import's heartbeat, in a separate short transaction (on
    PostgreSQL the records' transaction is still open; on SQLite the batch was just committed)."""

    def __init__(self, job: Import):
        self.job_id = job.id
        self.file = progress_path(job.path)  # where older versions published SQLite's progress

    def publish(self, counters: Counters) -> None:
        set_job(self.job_id, heartbeat_at=utcnow(), **counters.as_dict())

    def clear(self) -> None:
        self.file.unlink(missing_ok=True)


def current_counters(job: Import) -> Counters:
    """The job's counters, with the published progress of a running import."""
    counters = counters_of(job)
    if job.status != RUNNING:
        return counters
    try:
        published = json.loads(progress_path(job.path).read_text())
    except (OSError, ValueError):
        return counters
    return Counters(**{name: int(published.get(name, getattr(counters, name))) for name in counters.as_dict()})


class Journal:
    """What the committed batches of a SQLite import did, to undo it: the ids of the records they
    created and the column values of the records they updated, as they were before (pickled, one
    entry per batch, written and synced before the batch commits)."""

    def __init__(self, job: Import):
        self.path = journal_path(job)
        self.created: list[int] = []
        self.before: dict[int, dict] = {}

    def remember_update(self, record) -> None:
        if record.id not in self.before:
            self.before[record.id] = {column.key: getattr(record, column.key)
                                      for column in record.__mapper__.column_attrs}

    def write(self) -> None:
        if not self.created and not self.before:
            return
        with open(self.path, "ab", opener=private_opener) as handle:
            pickle.dump({"created": self.created, "before": self.before}, handle)
            handle.flush()
            os.fsync(handle.fileno())
        self.created, self.before = [], {}


def journal_path(job: Import) -> Path:
    return absolute_path(job.path).with_suffix(".journal")


def read_journal(job: Import) -> tuple[list[int], dict[int, dict]]:
    created, before = [], {}
    try:
        with journal_path(job).open("rb") as handle:
            while True:
                try:
                    entry = pickle.load(handle)  # noqa: S301 - our own owner-only file
                except EOFError:
                    break
                created.extend(entry["created"])
                for record_id, values in entry["before"].items():
                    before.setdefault(record_id, values)  # the first batch saw the values before the import
    except FileNotFoundError:
        pass
    return created, before


def undo(job: Import) -> None:
    """Take back what the committed batches of a SQLite import wrote: the records it created are
    deleted with their history and duplicate keys, the records it updated get their values back
    and lose the history rows the import added."""
    from kernel.history import UPDATED, RecordChange

    entity = entity_of(job)
    created, before = read_journal(job)
    if entity is None or not (created or before):
        journal_path(job).unlink(missing_ok=True)
        return
    model, since, new_ids = entity.model, job.started_at or job.created_at, set(created)
    db.session.rollback()
    for record_id, values in before.items():
        record = None if record_id in new_ids else db.session.get(model, record_id)
        if record is not None:
            for name, value in values.items():
                setattr(record, name, value)
    db.session.flush()
    for chunk in chunks(list(before), 500):
        db.session.execute(RecordChange.__table__.delete().where(
            RecordChange.entity == entity.name, RecordChange.record_id.in_(chunk),
            RecordChange.action == UPDATED, RecordChange.changed_at >= since))
    for chunk in chunks(created, 500):
        db.session.execute(DuplicateKey.__table__.delete().where(
            DuplicateKey.entity == entity.name, DuplicateKey.record_id.in_(chunk)))
        db.session.execute(RecordChange.__table__.delete().where(
            RecordChange.entity == entity.name, RecordChange.record_id.in_(chunk)))
        db.session.execute(model.__table__.delete().where(model.id.in_(chunk)))
    db.session.commit()
    journal_path(job).unlink(missing_ok=True)


def chunks(values: list, size: int) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def set_job(job_id: int, **values) -> None:
    """Change the job's row in its own short transaction (never with the records)."""
    with Session(db.engine) as session:
        session.execute(update(Import).where(Import.id == job_id).values(**values))
        session.commit()


# -- running -----------------------------------------------------------------------------------
class ImportFailed(Exception):
    """The import cannot go on: ``cause`` says why (for people), ``line`` where (if it started)."""

    def __init__(self, line: int | None, cause: str, last_line: int | None = None):
        super().__init__(cause)
        self.line = line
        self.last_line = last_line
        self.cause = cause


@contextmanager
def request_caches():
    """Outside a request (the background thread, the shell), a request context of the import's own:
    what the kernel caches per request (custom fields, edited choice lists) is then read once for
    the whole import instead of once per row."""
    if has_request_context():
        yield
        return
    with current_app.test_request_context():
        yield


@contextmanager
def as_user(user):
    """Messages in the importing user's language (also outside a request, in a thread or the shell)."""
    language = getattr(user, "language", None) or current_app.config.get("DEFAULT_LANGUAGE", "en")
    with force_locale(language):
        yield


class ImportRun:
    """Writes every row of a job through ``kernel.records`` in one transaction."""

    def __init__(self, job: Import, entity: Entity, csv_file: CsvFile, user,
                 on_progress: Callable[[Counters], None] | None = None):
        self.job = job
        self.entity = entity
        self.csv_file = csv_file
        self.user = user
        self.planner = Planner(entity, job.mapping, job.duplicates)
        self.counters = Counters(total=csv_file.row_count)
        self.board = ProgressBoard(job)
        self.on_progress = on_progress
        self.line: int | None = None
        self.last_line: int | None = None  # set while the rows from ``line`` to it are written together
        self.created_ids: dict[int, int] = {}  # line of the file → id of the record it created
        self.journal = Journal(job) if db.is_sqlite else None
        self.batch_size = min(SQLITE_FIRST_BATCH, BATCH_SIZE) if self.journal else BATCH_SIZE

    def execute(self, rejected: RejectedRows) -> None:
        rows = iter(self.csv_file.rows())
        while batch := [row for _, row in zip(range(self.batch_size), rows, strict=False)]:
            started = time.monotonic()
            self.write_batch(batch, rejected)
            db.session.flush()
            if self.journal:
                self.commit_batch(time.monotonic() - started)
            db.session.expunge_all()  # flushed rows stay in the transaction, not in memory
            self.report_progress()

    def commit_batch(self, seconds: float) -> None:
        """SQLite: the batch is committed (its journal entry first), and the next batch sized to
        hold the write lock about ``BATCH_SECONDS``."""
        self.journal.write()
        db.session.commit()
        per_row = max(seconds, 0.001) / self.batch_size
        self.batch_size = min(BATCH_SIZE, max(10, int(BATCH_SECONDS / per_row)))

    def write_batch(self, rows: list[SourceRow], rejected: RejectedRows) -> None:
        """Decide each row in file order; new records are created together (one flush per batch),
        except that a row updating a record created earlier in the batch first has it created."""
        plans = self.planner.start_batch(rows)
        self.load_matched_records(plans)
        pending: list[RowPlan] = []
        for plan in plans:
            self.line = plan.line
            self.planner.decide(plan)
            if plan.action == UPDATE and plan.match.record_id is None:
                self.create_pending(pending)
            if plan.action == CREATE:
                pending.append(plan)
                self.planner.matcher.remember(plan.keys, line=plan.line)
            else:
                self.write_row(plan, rejected)
            self.counters.processed += 1
        self.create_pending(pending)

    def create_pending(self, pending: list[RowPlan]) -> None:
        if not pending:
            return
        self.line, self.last_line = pending[0].line, pending[-1].line
        created = records.create_many(self.entity, [plan.values for plan in pending], self.user)
        self.last_line = None
        for plan, record in zip(pending, created, strict=True):
            self.created_ids[plan.line] = record.id
            if self.journal:
                self.journal.created.append(record.id)
            self.planner.matcher.remember(plan.keys, record_id=record.id)
        self.counters.created += len(created)
        pending.clear()

    def load_matched_records(self, plans: list[RowPlan]) -> None:
        """Records that rows may update, in one query (they stay in the session's identity map)."""
        if self.job.duplicates != UPDATE:
            return
        ids = {match.record_id for plan in plans if (match := self.planner.matcher.match(plan.keys))}
        if ids:
            model = self.entity.model
            list(db.session.scalars(select(model).where(model.id.in_(ids))))

    def write_row(self, plan: RowPlan, rejected: RejectedRows) -> None:
        if plan.action == UPDATE:
            self.update(plan)
        if plan.action == SKIP:
            self.counters.skipped += 1
        elif plan.action == REJECT:
            rejected.add(plan.row.cells, reason_text(self.entity, plan.errors))
            self.counters.rejected += 1

    def update(self, plan: RowPlan) -> None:
        record_id = plan.match.record_id or self.created_ids[plan.match.line]
        record = db.session.get(self.entity.model, record_id)
        if self.journal:
            self.journal.remember_update(record)
        try:
            records.update(self.entity, record, plan.raw, self.user, partial=True)
        except ValidationError as error:
            plan.action, plan.errors = REJECT, error.messages
            return
        self.planner.matcher.remember(plan.keys, record_id=record.id)
        self.counters.updated += 1

    def report_progress(self) -> None:
        self.board.publish(self.counters)
        if self.on_progress:
            self.on_progress(self.counters)


def user_of(job: Import):
    return db.session.get(User, job.user_id) if job.user_id else None


def entity_of(job: Import) -> Entity | None:
    from kernel.registry import entities

    return entities().get(job.entity)


def claim(job_id: int) -> bool:
    """Move a queued job to "running", atomically (a second click does not start it twice)."""
    with Session(db.engine) as session:
        result = session.execute(
            update(Import).where(Import.id == job_id, Import.status == QUEUED)
            .values(status=RUNNING, started_at=utcnow(), heartbeat_at=utcnow(), processed=0, error=None)
        )
        session.commit()
    if result.rowcount == 1:
        record_import_event(db.session.get(Import, job_id), "started", commit=True)
    return result.rowcount == 1


def record_import_event(job: Import, phase: str, *, commit: bool = False, **details) -> None:
    """The security log's "data.imported" event of a job that has ``phase`` "started", "finished" or
    "failed"; the last two, written by a thread or the worker, give the address that started it."""
    from kernel.security import events

    address = None
    if phase != "started":
        address = db.session.scalar(
            select(events.SecurityEvent.address).where(
                events.SecurityEvent.event == events.IMPORTED, events.SecurityEvent.target_type == "import",
                events.SecurityEvent.target_id == str(job.id))
            .order_by(events.SecurityEvent.id).limit(1))
    events.record_event(events.IMPORTED, user=user_of(job), target_type="import", target_id=job.id, address=address,
                        phase=phase, entity=job.entity, filename=job.filename, commit=commit, **details)


def run_import(job_id: int, on_progress: Callable[[Counters], None] | None = None) -> Import:
    """Run a claimed job to its end (done or failed); returns the job as saved."""
    with import_session():
        job = db.session.get(Import, job_id)
        user = user_of(job)
        with request_caches(), as_user(user):
            try:
                _run(job, user, on_progress)
            except ImportFailed as failure:
                db.session.rollback()
                _fail(job, failure)
    db.session.expire_all()
    return db.session.get(Import, job_id)


@contextmanager
def import_session():
    """On SQLite the import commits batch after batch: its session keeps one connection throughout
    (the large page cache of ``bulk_writing`` stays with it), then the thread's session comes back."""
    if not db.is_sqlite:
        yield
        return
    previous = db.session()
    with db.engine.connect() as connection, Session(bind=connection, expire_on_commit=False, join_transaction_mode="control_fully") as session:
        db.session.registry.set(session)
        try:
            yield
        finally:
            db.session.registry.set(previous)


def _run(job: Import, user, on_progress) -> None:
    entity = entity_of(job)
    if entity is None:
        raise ImportFailed(None, _("This kind of record is not available."))
    try:
        csv_file = open_job_file(job)
    except ImportFileError as error:
        raise ImportFailed(None, str(error.message)) from error
    except OSError as error:
        raise ImportFailed(None, _("The file of this import is missing.")) from error
    run = ImportRun(job, entity, csv_file, user, on_progress)
    set_job(job.id, total=run.counters.total)
    rejected = RejectedRows(rejected_path(job), csv_file.headers, csv_file.delimiter)
    try:
        with bulk_writing(current_app.config["IMPORT_CACHE_MB"]):
            run.execute(rejected)
        rejected.close(keep=True)
        db.session.execute(update(Import).where(Import.id == job.id).values(
            status=DONE, finished_at=utcnow(), error=None, **run.counters.as_dict()))
        record_import_event(job, "finished", **run.counters.as_dict())
        db.session.commit()  # the records, their history and the job's end: together or not at all
        journal_path(job).unlink(missing_ok=True)
    except Exception as error:
        rejected.close(keep=False)
        log.exception("import %s failed at line %s", job.id, run.line)
        raise ImportFailed(run.line, str(error) or type(error).__name__, run.last_line) from error
    finally:
        run.board.clear()


def _fail(job: Import, failure: ImportFailed) -> None:
    undo(job)
    set_job(job.id, status=FAILED, finished_at=utcnow(), error=failure_message(failure),
            created=0, updated=0, skipped=0, rejected=0)
    record_import_event(job, "failed", commit=True, line=failure.line)


def failure_message(failure: ImportFailed) -> str:
    cause = failure.cause
    if failure.line is None:
        return _("The import could not start: nothing was imported. Cause: %(cause)s", cause=cause)
    if failure.last_line and failure.last_line != failure.line:
        return _("The import stopped while writing lines %(first)d to %(last)d: nothing was imported. "
                 "Cause: %(cause)s", first=failure.line, last=failure.last_line, cause=cause)
    return _("The import stopped at line %(line)d: nothing was imported. Cause: %(cause)s",
             line=failure.line, cause=cause)


# -- imports whose process died ------------------------------------------------------------------
def stale_condition():
    """Running, and no heartbeat for ``STALE_AFTER``: its process was killed or the machine stopped."""
    last_sign = func.coalesce(Import.heartbeat_at, Import.started_at, Import.created_at)
    return (Import.status == RUNNING) & (last_sign < utcnow() - STALE_AFTER)


def is_stale(job: Import) -> bool:
    last_sign = job.heartbeat_at or job.started_at or job.created_at
    return job.status == RUNNING and last_sign is not None and last_sign < utcnow() - STALE_AFTER


def fail_if_stale(job_id: int) -> bool:
    """Mark a dead import failed (once, however many callers try) and undo what it committed."""
    job = db.session.get(Import, job_id)
    with as_user(user_of(job)):
        message = _("The import stopped without finishing (its process was interrupted): nothing was "
                    "imported. You can run it again.")
    with Session(db.engine) as session:
        result = session.execute(update(Import).where(Import.id == job_id, stale_condition()).values(
            status=FAILED, finished_at=utcnow(), error=message, created=0, updated=0, skipped=0, rejected=0))
        session.commit()
    if result.rowcount != 1:
        return False
    log.warning("import %s stopped heart-beating; marked failed", job_id)
    undo(job)
    rejected_path(job).unlink(missing_ok=True)
    db.session.expire_all()
    return True


def fail_stale_imports() -> int:
    """The worker's job: every dead import is marked failed and undone."""
    ids = list(db.session.scalars(select(Import.id).where(stale_condition())))
    return sum(fail_if_stale(job_id) for job_id in ids)


def can_restart(job: Import) -> bool:
    return job.status == FAILED


def restart(job_id: int) -> bool:
    """Put a failed import back in the queue, as it was before it ran; the caller starts it."""
    with Session(db.engine) as session:
        result = session.execute(update(Import).where(Import.id == job_id, Import.status == FAILED).values(
            status=QUEUED, started_at=None, finished_at=None, heartbeat_at=None, error=None,
            processed=0, created=0, updated=0, skipped=0, rejected=0))
        session.commit()
    return result.rowcount == 1


def run_in_background(app, job_id: int) -> threading.Thread:
    """Start the job in a thread with its own app context (and so its own database session)."""

    def work():
        with app.app_context():
            try:
                run_import(job_id)
            except Exception:  # noqa: BLE001 - a thread must not die silently
                log.exception("import %s could not run", job_id)
                set_job(job_id, status=FAILED, finished_at=utcnow(), error=_("The import could not run."))
            finally:
                db.session.remove()

    thread = threading.Thread(target=work, name=f"import-{job_id}", daemon=True)
    thread.start()
    return thread


def start(job_id: int) -> threading.Thread | None:
    """Run a queued job: in a background thread, or here when ``IMPORT_IN_BACKGROUND`` is off."""
    if not claim(job_id):
        return None
    if current_app.config.get("IMPORT_IN_BACKGROUND", True):
        return run_in_background(current_app._get_current_object(), job_id)
    run_import(job_id)
    return None


# -- creating a job ----------------------------------------------------------------------------
def new_job(entity: Entity, user, filename: str, data: bytes, csv_file: CsvFile,
            mapping: list[str | None] | None = None, mode: str = SKIP) -> Import:
    """Store the file and add the job (queued) to the session; the caller commits."""
    job = Import(
        user_id=getattr(user, "id", None), entity=entity.name, filename=(filename or "import.csv")[:255],
        path=store_file(data), mapping=mapping if mapping is not None else guess_mapping(entity, csv_file.headers),
        duplicates=mode, status=QUEUED, total=csv_file.row_count,
    )
    db.session.add(job)
    return job


def copy_rejected(job: Import, destination: Path) -> bool:
    """Copy the rejected rows file (if any) to ``destination``."""
    source = rejected_path(job)
    if not source.exists():
        return False
    shutil.copyfile(source, destination)
    return True


# -- the command line --------------------------------------------------------------------------
def entity_named(name: str) -> Entity | None:
    """An enabled entity by its name or its plural (``client`` or ``clients``)."""
    from kernel.registry import entities

    registry = entities()
    return registry.get(name) or registry.by_plural(name)


def shell_mapping(entity: Entity, headers: list[str], source: str) -> list[str | None]:
    """``"auto"``: guessed from the headers; otherwise a JSON file ``{"column": "field"}``."""
    if source == "auto":
        return guess_mapping(entity, headers)
    try:
        chosen = json.loads(Path(source).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ImportFileError(f"cannot read the mapping file {source}: {error}") from error
    if not isinstance(chosen, dict):
        raise ImportFileError('the mapping file must hold a JSON object {"column": "field"}')
    return mapping_from_names(headers, chosen)
