"""The test database: a fresh schema per session, emptied after each test."""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.schema import sort_tables

from kernel.db import Base, db, make_engine


def fresh_postgresql_schema(url: str) -> None:
    """Drop and recreate the ``public`` schema: the session starts from an empty database."""
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


APPEND_ONLY_TABLES = {"security_events", "record_reads"}  # database triggers refuse their deletion


def empty_tables() -> None:
    """Delete every row of every mapped table (in the current app context's database). One query
    finds the tables a test left rows in: most tests touch a few of the hundred tables, and a
    catalog lookup and a DELETE for each table (190 statements after every test) took a tenth of
    a second a test on PostgreSQL."""
    with db.engine.begin() as connection:
        existing = set(inspect(connection).get_table_names())
        tables = [table for table in reversed(_tables_in_creation_order()) if table.name in existing]
        for table in _tables_with_rows(connection, tables):
            if table.name in APPEND_ONLY_TABLES:
                _empty_append_only(connection, table)
            else:
                connection.execute(table.delete())


def _tables_with_rows(connection, tables: list) -> list:
    """Those of ``tables`` that hold a row, in the order given: one row of EXISTS, written as
    plain SQL (each test's app has a new engine, which would compile a built statement anew)."""
    if not tables:
        return []
    quote = connection.dialect.identifier_preparer.quote
    probes = ", ".join(f"EXISTS (SELECT 1 FROM {quote(table.name)})" for table in tables)
    holds_rows = connection.exec_driver_sql(f"SELECT {probes}").one()
    return [table for table, has_rows in zip(tables, holds_rows, strict=True) if has_rows]


def _tables_in_creation_order() -> list:
    """``Base.metadata.sorted_tables``, whose sorting fails when a table's foreign key names a table
    that no imported module declares: a plugin's part loaded on its own (the directory's
    verification models, imported with their hooks while the directory was not enabled, name the
    directory's organisations). Such a key orders nothing here: the table it names is not mapped,
    so it is never emptied, and the table that names it may be emptied at any point."""
    tables = Base.metadata.tables
    return sort_tables(sorted(tables.values(), key=lambda table: table.key),
                       skip_fn=lambda key: key.target_fullname.rpartition(".")[0] not in tables)


def _empty_append_only(connection, table) -> None:
    """The security and access logs refuse deletes of young rows (database triggers): the tests lift the
    triggers for the time of their clean-up, in the same transaction."""
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"ALTER TABLE {table.name} DISABLE TRIGGER USER"))
        connection.execute(table.delete())
        connection.execute(text(f"ALTER TABLE {table.name} ENABLE TRIGGER USER"))
        return
    triggers = connection.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
                                  {"t": table.name}).all()
    for name, _sql in triggers:
        connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
    connection.execute(table.delete())
    for _name, sql in triggers:
        connection.exec_driver_sql(sql)
