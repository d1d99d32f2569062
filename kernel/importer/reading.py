"""Reading an uploaded file: its encoding (UTF-16 or UTF-8 with BOM, UTF-8, Windows-1252, Latin-1),
its separator (comma, semicolon or tab), its header line and its rows; files that are not CSV
(spreadsheets, PDF), empty or without column names are refused with a message for people."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kernel.entities import Entity
from kernel.i18n import lazy_gettext as _l
from kernel.importer.files import ImportFileError, read_stored
from kernel.importer.mapping import guess_mapping

if TYPE_CHECKING:
    from kernel.importer.jobs import Import


SAMPLE_COUNT = 3


EMPTY_FILE = _l("The file is empty.")
NOT_CSV = _l("This file is not a CSV file. Save it as CSV (values separated by commas or semicolons) "
             "from your spreadsheet and try again.")
NO_HEADER = _l("The first line of the file must give the names of the columns (for example: Last name, "
               "E-mail).")
NO_ROWS = _l("The file names its columns but has no rows to import.")


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
    return read_csv(read_stored(job.path))
