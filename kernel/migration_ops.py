"""Operations for plugins' migrations that Alembic does not offer.

``rename_tables`` moves a plugin's tables to new names with their data, and renames the indexes,
constraints and sequences named after them, so that the database looks as if it had been made
under the new names (``passerelle db check`` then finds nothing to change). The kernel's SQLite
search tables of a renamed table are dropped: the next upgrade makes them again under the new name
and rebuilds them from the rows.
"""

from __future__ import annotations

import re

from alembic import op
from sqlalchemy import inspect, text

from kernel.search_index import fts_table


def rename_tables(renames: dict[str, str], prefixes: tuple[tuple[str, str], ...] = ()) -> None:
    """``{"old_table": "new_table"}``; ``prefixes=(("cc_", "directory_"),)`` also renames what is
    named after an old prefix (a foreign key named after the renamed table it points at)."""
    bind = op.get_bind()
    existing = set(inspect(bind).get_table_names())
    # Virtual tables (SQLite's FTS5) first: renaming a table checks every trigger, and the triggers
    # that feed a virtual table name it.
    moved = {}
    for old, new in sorted(renames.items(), key=lambda item: not _is_virtual(bind, item[0])):
        if old not in existing:
            continue
        if bind.dialect.name == "sqlite":
            _drop_sqlite_search_table(bind, old)
        bind.exec_driver_sql(f'ALTER TABLE "{old}" RENAME TO "{new}"')
        moved[new] = lambda name, old=old, new=new: _renamed(name, old, new, prefixes)
        _rename_named_objects(bind, new, moved[new])
    if bind.dialect.name == "sqlite" and moved:
        _rename_sqlite_constraints(bind, moved)  # last: it changes the schema behind SQLite's back


def _renamed(name: str, old: str, new: str, prefixes: tuple[tuple[str, str], ...]) -> str:
    renamed = name.replace(old, new)
    for before, after in prefixes:
        renamed = re.sub(rf"(^|_){re.escape(before)}", rf"\g<1>{after}", renamed)
    return renamed


def _rename_named_objects(bind, table: str, rename) -> None:
    if bind.dialect.name == "postgresql":
        _rename_postgresql(bind, table, rename)
    else:
        _rename_sqlite_indexes_and_triggers(bind, table, rename)


def _rename_postgresql(bind, table: str, rename) -> None:
    for (index,) in bind.execute(text("SELECT indexname FROM pg_indexes WHERE tablename = :t"), {"t": table}):
        constraint = bind.execute(text(
            "SELECT 1 FROM pg_constraint WHERE conname = :n AND conrelid = CAST(:t AS regclass)"),
            {"n": index, "t": table}).first()
        if rename(index) != index and not constraint:
            bind.exec_driver_sql(f'ALTER INDEX "{index}" RENAME TO "{rename(index)}"')
    for (name,) in bind.execute(text("SELECT conname FROM pg_constraint WHERE conrelid = CAST(:t AS regclass)"),
                                {"t": table}):
        if rename(name) != name:
            bind.exec_driver_sql(f'ALTER TABLE "{table}" RENAME CONSTRAINT "{name}" TO "{rename(name)}"')
    for (sequence,) in bind.execute(text(
            "SELECT pg_get_serial_sequence(:t, column_name) FROM information_schema.columns "
            "WHERE table_name = :t AND pg_get_serial_sequence(:t, column_name) IS NOT NULL"), {"t": table}):
        bare = sequence.split(".")[-1].strip('"')
        if rename(bare) != bare:
            bind.exec_driver_sql(f'ALTER SEQUENCE {sequence} RENAME TO "{rename(bare)}"')


def _rename_sqlite_indexes_and_triggers(bind, table: str, rename) -> None:
    rows = bind.execute(text(
        "SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name = :t "
        "AND sql IS NOT NULL"),
        {"t": table}).all()
    for name, sql in rows:
        if rename(name) != name:
            trigger = sql.lstrip().upper().startswith("CREATE TRIGGER")
            bind.exec_driver_sql(f'DROP {"TRIGGER" if trigger else "INDEX"} "{name}"')
            # A trigger's body names other renamed tables (and an FTS5 table's own hidden column,
            # which SQLite's rename leaves as it was): rename every name in it.
            bind.exec_driver_sql(rename(sql) if trigger else sql.replace(name, rename(name), 1))


def _rename_sqlite_constraints(bind, renames_of_tables: dict) -> None:
    """SQLite cannot rename a constraint: its name lives in the table's CREATE statement. Rewrite
    the names there, the way SQLite's documentation describes for schema changes that leave the
    stored rows as they are (writable_schema, then a new schema_version), once for all tables."""
    changes = {}
    for table, rename in renames_of_tables.items():
        sql = bind.execute(text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t"),
                           {"t": table}).scalar()
        renamed = re.sub(r'CONSTRAINT\s+"?(\w+)"?', lambda match, rename=rename: f"CONSTRAINT {rename(match.group(1))}",
                         sql)
        if renamed != sql:
            changes[table] = renamed
    if not changes:
        return
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    for table, sql in changes.items():
        bind.execute(text("UPDATE sqlite_master SET sql = :sql WHERE type = 'table' AND name = :t"),
                     {"sql": sql, "t": table})
    bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")


def _is_virtual(bind, table: str) -> bool:
    if bind.dialect.name != "sqlite":
        return False
    sql = bind.execute(text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t"), {"t": table}).scalar()
    return bool(sql) and sql.lstrip().upper().startswith("CREATE VIRTUAL TABLE")


def _drop_sqlite_search_table(bind, table: str) -> None:
    fts = fts_table(table)
    for suffix in ("insert", "delete", "update"):
        bind.exec_driver_sql(f'DROP TRIGGER IF EXISTS "{fts}_{suffix}"')
    bind.exec_driver_sql(f'DROP TABLE IF EXISTS "{fts}"')
