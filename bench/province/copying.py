"""Bulk loading for the province-scale data: PostgreSQL COPY (psycopg), with a table's secondary
indexes dropped during the load and rebuilt once after it (much faster than keeping them up to
date row by row), and a marker table that records what was built so that it is built once."""

from __future__ import annotations

import time

from bench.data import insert_batch, slowing_the_load
from kernel.db import db

MARKER = "bench_province_built"


def raw_connection():
    """The psycopg connection under the session's own transaction."""
    return db.session.connection().connection.driver_connection


def copy_dicts(table, rows: list[dict]) -> None:
    """Drop-in for the bench generators' ``_insert(table, rows)``: the same rows through COPY."""
    if rows:
        insert_batch(table, rows)


def execute(sql: str, *parameters):
    with raw_connection().cursor() as cursor:
        cursor.execute(sql, parameters or None)
        return cursor.fetchall() if cursor.description else None


def secondary_indexes(table: str) -> list[tuple[str, str]]:
    """(name, definition) of the indexes that back no constraint (primary or unique key)."""
    return slowing_the_load(db.session.connection(), table)


class IndexesDropped:
    """Drops the tables' secondary indexes on entry and builds them again on exit."""

    def __init__(self, *tables: str):
        self.tables = tables
        self.saved: list[tuple[str, str]] = []

    def __enter__(self):
        for table in self.tables:
            self.saved += secondary_indexes(table)
        for name, _definition in self.saved:
            execute(f'DROP INDEX "{name}"')
        return self

    def __exit__(self, kind, _error, _trace):
        if kind is not None:
            return False
        execute("SET LOCAL maintenance_work_mem = '256MB'")
        started = time.perf_counter()
        for _name, definition in self.saved:
            execute(definition)
        print(f"#   {len(self.saved)} indexes rebuilt in {time.perf_counter() - started:.0f} s", flush=True)
        return False


def built() -> dict[str, int]:
    execute(f"CREATE TABLE IF NOT EXISTS {MARKER} (part varchar(40) PRIMARY KEY, row_count bigint NOT NULL, "
            "seconds real NOT NULL)")
    db.session.commit()
    return {part: rows for part, rows in execute(f"SELECT part, row_count FROM {MARKER}")}


def mark_built(part: str, rows: int, seconds: float) -> None:
    execute(f"INSERT INTO {MARKER} (part, row_count, seconds) VALUES (%s, %s, %s)", part, rows, seconds)
