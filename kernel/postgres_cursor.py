"""psycopg's cursor, whose ``description`` makes its columns only when one is read.

SQLAlchemy reads a cursor's ``description`` after every statement, but for a statement it has
compiled before it keeps the columns' description from the first run and only checks that there
is one. psycopg made a ``Column`` object for every column of every result all the same (46 for a
client): about 5 % of the CPU time of an API request. This cursor gives a sequence that makes
them on first use, from the result it was given (not from the cursor, which may have moved on).
A description kept keeps that result (its rows too) in memory: SQLAlchemy keeps none.
Cursors with a name (server-side) are psycopg's own, unchanged.

Every statement it sends is told to its connection, which rolls back a transaction that only read
with a COMMIT (``kernel.postgres_connection``).

Before it sends a statement, psycopg turns its placeholders (``%(name)s``) into PostgreSQL's
(``$1``) with a regular expression, and remembers the result only for statements of up to 4,096
characters: it fears the endless variants of an ``INSERT`` of many rows. A page's reads sent as
one statement (``kernel.onepass``: 11,000 characters for a client's page, 13,000 for the
directory's result cards) are the same few statements again and again, and each was converted
afresh on every page (0.5-0.9 ms). This cursor remembers those up to ``LONG_STATEMENT`` characters.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import psycopg
from psycopg._column import Column
from psycopg._queries import MAX_CACHED_STATEMENT_LENGTH, PostgresQuery, _query2pg_nocache
from psycopg.pq import ExecStatus

RETURNS_ROWS = (ExecStatus.TUPLES_OK, ExecStatus.SINGLE_TUPLE, ExecStatus.TUPLES_CHUNK)
LONG_STATEMENT = 32 * 1024  # characters; an INSERT of a batch of rows is longer, and is left to psycopg
LONG_STATEMENTS_KEPT = 128


@dataclass(frozen=True)
class _ResultOfTheMoment:
    """What psycopg's ``Column`` reads of a cursor, kept as it was when the result came."""

    pgresult: Any
    _encoding: str
    adapters: Any


class ColumnsOnDemand(Sequence):
    """``Cursor.description`` as psycopg gives it (a list of ``Column``), made on first use."""

    __slots__ = ("_source", "_count", "_columns")

    def __init__(self, source: _ResultOfTheMoment, count: int):
        self._source, self._count, self._columns = source, count, None

    def _made(self) -> list[Column]:
        if self._columns is None:
            self._columns = [Column(self._source, index) for index in range(self._count)]
        return self._columns

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        return self._made()[index]

    def __iter__(self) -> Iterator[Column]:
        return iter(self._made())


@lru_cache(maxsize=LONG_STATEMENTS_KEPT)
def _long_statement_converted(statement: bytes, encoding: str) -> tuple:
    return _query2pg_nocache(statement, encoding)


class QueryConvertedOnce(PostgresQuery):
    """psycopg's conversion of a statement and its values, remembered for long statements too."""

    def convert(self, query, vars) -> None:
        if vars is None or not isinstance(query, str) or not MAX_CACHED_STATEMENT_LENGTH < len(query) <= LONG_STATEMENT:
            super().convert(query, vars)
            return
        encoding = self._tx.encoding
        self.query, self._want_formats, self._order, self._parts = _long_statement_converted(
            query.encode(encoding), encoding)
        self.dump(vars)


class Cursor(psycopg.Cursor):
    _query_cls = QueryConvertedOnce

    def execute(self, query, *args, **kwargs):
        self._note(query)
        return super().execute(query, *args, **kwargs)

    def executemany(self, query, *args, **kwargs):
        self._note(query)
        return super().executemany(query, *args, **kwargs)

    def stream(self, query, *args, **kwargs):
        self._note(query)
        return super().stream(query, *args, **kwargs)

    def copy(self, statement, *args, **kwargs):
        self._note(statement)
        return super().copy(statement, *args, **kwargs)

    def _note(self, statement) -> None:
        """The connection hears what its transaction sends (``kernel.postgres_connection``)."""
        note = getattr(self.connection, "note", None)
        if note is not None:
            note(statement)

    @property
    def description(self) -> ColumnsOnDemand | None:
        result = self.pgresult
        if not result or not (result.nfields or result.status in RETURNS_ROWS):
            return None  # psycopg's own test: a statement that returns no rows
        return ColumnsOnDemand(_ResultOfTheMoment(result, self._encoding, self.adapters), result.nfields)
