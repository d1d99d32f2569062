"""psycopg's connection, whose rollback of a transaction that only read is a COMMIT.

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
"""

from __future__ import annotations

import logging
import re

import psycopg
from psycopg.pq import TransactionStatus

log = logging.getLogger(__name__)

_READ = re.compile(r"\s*(SELECT|SHOW|SET\s+LOCAL)\b", re.IGNORECASE)  # SET LOCAL ends with the transaction
# A savepoint writes nothing (what runs inside it is noted on its own): the whole statement, nothing after it.
_SAVEPOINT = re.compile(r"\s*(SAVEPOINT|RELEASE\s+SAVEPOINT|ROLLBACK\s+TO\s+SAVEPOINT)\s+\w+\s*;?\s*", re.IGNORECASE)
_WITH = re.compile(r"\s*WITH\b", re.IGNORECASE)
_WRITE_WORDS = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


def only_reads(statement) -> bool:
    """A SELECT, SHOW, SET LOCAL or savepoint (the dashboard reads each dashlet inside one), or a
    WITH that names no INSERT, UPDATE, DELETE or MERGE (such a word in a string literal makes it
    count as a write: the safe side). A plain SET is not: a rollback undoes it, a commit would
    leave it on the pooled connection. A statement that is not plain text is not either."""
    if not isinstance(statement, str):
        return False
    if _READ.match(statement) or _SAVEPOINT.fullmatch(statement):
        return True
    return bool(_WITH.match(statement)) and not _WRITE_WORDS.search(statement)


class Connection(psycopg.Connection):
    wrote = False  # since the transaction began: anything but reads was sent

    def note(self, statement) -> None:
        """What a cursor of this connection sends (``kernel.postgres_cursor``)."""
        if not self.wrote and not only_reads(statement):
            self.wrote = True

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.wrote = False

    def rollback(self) -> None:
        try:
            if self.wrote or self.info.transaction_status != TransactionStatus.INTRANS:
                super().rollback()  # a write, a failed statement, or no transaction at all
            else:
                self._end_reads()
        finally:
            self.wrote = False

    def _end_reads(self) -> None:
        try:
            super().commit()
        except psycopg.Error:  # the connection will tell the rollback what is wrong with it
            log.debug("a transaction that only read could not end with a commit", exc_info=True)
            super().rollback()
