"""psycopg's connection, whose rollback of a transaction that only read is a COMMIT, and which sends
every whole number as a ``bigint``.

The two are the same for a transaction that changed nothing, but psycopg forgets every statement
it has prepared on the connection at a ROLLBACK (a rolled-back transaction may have dropped what
they name). A request that only read ends with a rollback (the session's end), and so does a
save refused before it wrote (a stale version, a value not valid): one API save in eight in the
``load`` benchmark. Each ROLLBACK sent the connection back to parsing and planning every
statement afresh, five times before psycopg prepared it again. This connection answers such a
rollback with a COMMIT and keeps its prepared statements.

A transaction that sent anything but reads (``only_reads``), COPY included (the cursor notes
it, ``kernel.postgres_cursor``), or whose statement failed, is rolled back as before. Given to
the engine by ``kernel.db.make_engine``.

psycopg sends a Python ``int`` as the smallest type that holds it: ``smallint`` up to 32,767,
``integer`` beyond. It prepares a statement per query *and* parameter types, so a record's page
was two statements on a connection, one for the records numbered below 32,768 and one for the
others, and a page naming several ids as many as their mixes: each prepared after five runs and
planned for its values five more times (2-3 ms for a record's page's one big read) before
PostgreSQL kept one plan. Every ``int`` goes as a ``bigint`` (beyond 64 bits, as psycopg does, a
``numeric``); SQLAlchemy casts each value to its column's type in the statement.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import psycopg
from psycopg.pq import TransactionStatus
from psycopg.types.numeric import IntBinaryDumper, IntDumper

log = logging.getLogger(__name__)

_READ = re.compile(r"\s*(SELECT|SHOW|SET\s+LOCAL|WITH)\b", re.IGNORECASE)  # SET LOCAL ends with the transaction
# A savepoint writes nothing (what runs inside it is noted on its own): the whole statement, nothing after it.
_SAVEPOINT = re.compile(r"\s*(SAVEPOINT|RELEASE\s+SAVEPOINT|ROLLBACK\s+TO\s+SAVEPOINT)\s+\w+\s*;?\s*", re.IGNORECASE)
# A read that writes all the same: a WITH's INSERT, a SELECT … INTO (a new table), a notification.
_WRITE_WORDS = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE|INTO|pg_notify)\b", re.IGNORECASE)


def only_reads(statement) -> bool:
    """A SELECT, SHOW, SET LOCAL or WITH that names no INSERT, UPDATE, DELETE, MERGE, INTO or
    pg_notify (such a word in a string literal makes it count as a write: the safe side), a
    savepoint (the dashboard reads each dashlet inside one), or nothing at all (the pool's ping).
    Not a plain SET: a rollback undoes it, a commit would leave it on the pooled connection; nor
    two statements in one, nor a statement that is not plain text. A SELECT that calls a function
    with effects beyond the transaction (``set_config(…, false)``) would count as a read: the
    project sends none (the directory's search sets its planner settings for the transaction)."""
    return isinstance(statement, str) and _reads_only(statement)


# A request sends the same few statements again and again (SQLAlchemy compiles each once), and
# SQLAlchemy's SELECTs are long: searching each one again cost about 8 % of an API request's
# instructions (``bench/README.md``, 2026-12-06, seventh).
@lru_cache(maxsize=512)
def _reads_only(statement: str) -> bool:
    if _SAVEPOINT.fullmatch(statement) or not statement.strip(" \t\r\n;"):
        return True
    if ";" in statement.rstrip(" \t\r\n;"):
        return False
    return bool(_READ.match(statement)) and not _WRITE_WORDS.search(statement)


class _BigintDumper(IntDumper):
    def upgrade(self, obj: int, format):
        return self._int8_dumper if -(2**63) <= obj < 2**63 else self._int_numeric_dumper


class _BigintBinaryDumper(IntBinaryDumper):
    upgrade = _BigintDumper.upgrade


class Connection(psycopg.Connection):
    wrote = False  # the transaction under way sent anything but reads

    @classmethod
    def connect(cls, *args, **kwargs):
        connection = super().connect(*args, **kwargs)
        connection.adapters.register_dumper(int, _BigintDumper)  # the connection's own copy of the map
        connection.adapters.register_dumper(int, _BigintBinaryDumper)
        return connection

    def note(self, statement) -> None:
        """What a cursor of this connection sends (``kernel.postgres_cursor``), before it goes."""
        if self.pgconn.transaction_status == TransactionStatus.IDLE:
            self.wrote = False  # it begins a transaction (psycopg sends BEGIN first)
        if not self.wrote and not only_reads(statement):
            self.wrote = True

    def rollback(self) -> None:
        if self.wrote or self.info.transaction_status != TransactionStatus.INTRANS:
            super().rollback()  # a write, a failed statement, or no transaction at all
            return
        try:
            self.commit()
        except psycopg.Error:  # the rollback then says what is wrong with the connection
            log.debug("a transaction that only read could not end with a commit", exc_info=True)
            super().rollback()
