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
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg._column import Column
from psycopg.pq import ExecStatus

RETURNS_ROWS = (ExecStatus.TUPLES_OK, ExecStatus.SINGLE_TUPLE, ExecStatus.TUPLES_CHUNK)


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


class Cursor(psycopg.Cursor):
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
