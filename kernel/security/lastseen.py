"""The "last seen" and "last used" times, written without making a read wait for a write.

A request that only reads (an API GET, a page) must not write: on SQLite a write waits behind
any running write (an import) and then fails with "database is locked". Such times are noted in
memory (``note``), at most once per interval per row, and written after the request has ended
(``flush``) by one short transaction of their own that gives up at once when the database is
busy: the time is noted again by the next request that finds it old.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime

from sqlalchemy import bindparam, update
from sqlalchemy.exc import DBAPIError

from kernel.db import db

log = logging.getLogger("passerelle.security")
_lock = threading.Lock()
_pending: dict[tuple, datetime] = {}  # (table, column, row id) → time


def is_due(last: datetime | None, now: datetime, interval_seconds: int) -> bool:
    return last is None or (now - last).total_seconds() >= interval_seconds


def note(table, column: str, row_id, moment: datetime) -> None:
    with _lock:
        _pending[(table, column, row_id)] = moment


def flush() -> None:
    """Write what was noted, in a transaction of its own; give up silently if the database is busy."""
    with _lock:
        batch = dict(_pending)
        _pending.clear()
    if not batch or db.engine is None:
        return
    try:
        with db.engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            if sqlite:
                connection.exec_driver_sql("PRAGMA busy_timeout=0")
            else:
                connection.exec_driver_sql("SET lock_timeout = '100ms'")
            try:
                for (table, column), rows in _grouped(batch).items():
                    statement = (update(table).where(table.c.id == bindparam("row_id"))
                                 .values({column: bindparam("moment")}))
                    connection.execute(statement, rows)
                connection.commit()
            finally:
                connection.rollback()
                connection.exec_driver_sql("PRAGMA busy_timeout=5000" if sqlite else "SET lock_timeout = 0")
                connection.commit()
    except DBAPIError as error:
        log.info("last-use times not written (database busy): %s", error.__class__.__name__)


def _grouped(batch: dict) -> dict:
    grouped: dict[tuple, list[dict]] = {}
    for (table, column, row_id), moment in batch.items():
        grouped.setdefault((table, column), []).append({"row_id": row_id, "moment": moment})
    return grouped
