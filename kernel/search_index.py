"""Indexes that make the quick search fast on a million records, for every entity.

Each record keeps ``search_text``, a folded copy of its searchable fields. A substring search on
it (``LIKE '%emile%'``) cannot use an ordinary index, so the kernel adds, for every entity table:

- on SQLite, an FTS5 table with the trigram tokenizer (``<table>_search``), kept in step by
  triggers: words of three letters or more are looked up in it;
- on PostgreSQL, a trigram GIN index (``pg_trgm``) on ``search_text``, which ``LIKE`` uses directly.

The filters compare text without case (``lower(city) = 'iqaluit'``), which an index on the column
itself cannot serve: every indexed text field also gets an index on ``lower(<column>)``.

Lists sort by a column and then by id (so that pages never overlap), and a sort without an index
reads and sorts the whole table (a third of a second for a million clients). Every field a list
sorts by with an index (``sort_indexed_fields``: the indexed ones, and the columns a list shows by
default, which users click) gets one: on SQLite, an index on the column, which holds the rowid,
the id, so it serves both (indexed fields have it already); on PostgreSQL, whose index does not
hold the id, sorting by ``last_name, id`` would read every client of the first name in the
alphabet: an index on ``(<column>, id)``. Long texts are left out: a list does not sort by them
and an index entry has a size limit.

A quick search for one word on PostgreSQL first looks for the records whose name starts with it
(``kernel.listing``: a common name's matches are then not counted), in an index of every name
field of the entity's title folded as ``kernel.text.fold`` folds it: lower case, without the
accents of the Latin alphabets (``folded_text``), so that ``emile`` finds "Émile" there too.

A quick search for a whole phone number (``(613) 200-1234``, ``6132001234``) would have the trigram
index intersect long lists of digit trigrams (a second on five million contacts): on PostgreSQL
every searchable phone field gets an index on its last ten digits, which ``kernel.listing`` uses
for such a search.

``ensure_search_indexes`` runs after the migrations (``passerelle db upgrade``); it is idempotent
and fills the index of a table that already has rows.
"""

from __future__ import annotations

import hashlib
import logging
from string import Formatter

from sqlalchemy import String, inspect, literal_column, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

log = logging.getLogger(__name__)
MIN_TRIGRAM = 3


KERNEL_INDEX_SUFFIXES = ("_search_trgm", "_lower", "_sort", "_digits", "_folded")
PHONE_DIGITS = 10  # a North-American number without its leading 1
NAME_MAX = 63  # PostgreSQL cuts a longer name (and its suffix with it)


def made_by_kernel(index_name: str | None) -> bool:
    """An index this module makes (not the models': migrations leave it alone)."""
    return bool(index_name) and index_name.startswith("ix_") and index_name.endswith(KERNEL_INDEX_SUFFIXES)


def sort_index_name(table: str, column: str) -> str:
    return kernel_index_name(table, column, "_sort")


def kernel_index_name(table: str, column: str, suffix: str) -> str:
    """``ix_<table>_<column><suffix>``, shortened with a digest of the whole when PostgreSQL would
    cut it: it must keep its suffix, by which migrations leave it alone (``made_by_kernel``)."""
    name = f"ix_{table}_{column}{suffix}"
    if len(name) <= NAME_MAX:
        return name
    digest = hashlib.sha1(name.encode()).hexdigest()[:10]
    return f"{name[:NAME_MAX - len(suffix) - len(digest) - 1]}_{digest}{suffix}"


# The accented letters of Latin-1 and Latin Extended-A, and each one as ``kernel.text.fold`` gives it
# (tested). Written out, not worked out: they are in the indexes' definition, which must not move.
ACCENTED = ("ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩ"
            "ĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſ")
UNACCENTED = ("aaaaaaceeeeiiiinooooouuuuyaaaaaaceeeeiiiinooooouuuuyyaaaaaaccccccccddeeeeeeeeeegggggggghhii"
              "iiiiiiijjkkllllllnnnnnnoooooorrrrrrssssssssttttuuuuuuuuuuuuwwyyyzzzzzzs")


def folded_sql(column: str) -> str:
    """PostgreSQL: the expression of a name's folded index (``_ensure_folded_name_indexes``)."""
    return f"lower(translate({column}, '{ACCENTED}', '{UNACCENTED}'))"


def folded_text(column):
    """``folded_sql`` as a column expression, its letters written in the statement, not sent as
    values: the planner uses an index on an expression only when it is the same expression. The
    column is named alone, as in the index: for a statement on its table only."""
    return literal_column(folded_sql(column.name), type_=String)


def name_fields(entity) -> list:
    """The fields of the entity's title (``"{first_name} {last_name}"``) that have an index of their
    own, which every indexed text field has: ``lower(<column>)``, and on PostgreSQL its folded text."""
    if not isinstance(entity.title, str):
        return []
    named = {name for _text, name, _spec, _conversion in Formatter().parse(entity.title) if name}
    return [meta for meta in lowercase_indexed_fields(entity) if meta.name in named]


def fts_table(table: str) -> str:
    return f"{table}_search"


def ensure_search_indexes(engine, entities) -> None:
    existing = set(inspect(engine).get_table_names())
    for entity in entities:
        table = entity.model.__tablename__
        if table not in existing:  # a plugin whose migrations have not run yet
            continue
        with engine.begin() as connection:
            if connection.dialect.name == "sqlite":
                _ensure_sqlite(connection, table)
            elif connection.dialect.name == "postgresql":
                _ensure_postgresql(connection, table)
            _ensure_lowercase_indexes(connection, entity)
            _ensure_sort_indexes(connection, entity)
            if connection.dialect.name == "postgresql":
                _ensure_phone_indexes(connection, entity)
                _ensure_folded_name_indexes(connection, entity)
    mark_indexed(engine, entities)


def _has_own_index(column) -> bool:
    """The model declares an index (or a unique constraint, which has one) on the column."""
    return bool(column.index or column.unique)


def _indexed_columns(entity):
    columns = entity.model.__table__.columns
    for meta in entity.declared_fields.values():
        column = columns[meta.name]
        if _has_own_index(column):
            yield meta, column


def sort_indexed_fields(entity) -> list:
    """The fields a list of ``entity`` sorts by with an index: the sortable fields that are indexed
    or shown in the list by default, but long texts."""
    columns = entity.model.__table__.columns
    return [meta for meta in entity.declared_fields.values()
            if meta.sortable and meta.kind != "longtext"
            and (meta.list or _has_own_index(columns[meta.name]))]


def _ensure_sort_indexes(connection, entity) -> None:
    table = entity.model.__tablename__
    columns = entity.model.__table__.columns
    quote = connection.dialect.identifier_preparer.quote
    for meta in sort_indexed_fields(entity):
        if connection.dialect.name == "postgresql":
            indexed = f"{quote(meta.name)}, id"
        elif _has_own_index(columns[meta.name]):
            continue  # its own index holds the rowid
        else:
            indexed = quote(meta.name)
        connection.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {sort_index_name(table, meta.name)} ON {table} ({indexed})")


def phone_fields(entity) -> list:
    return [meta for meta in entity.searchable_fields if meta.kind == "phone"]


class phone_digits(FunctionElement):  # noqa: N801 - reads as a SQL function
    """PostgreSQL: the last ten digits of a phone column, written exactly as its index says
    (constants inline, not bound parameters, so that the planner matches the index's expression)."""

    type = String()
    inherit_cache = True


@compiles(phone_digits, "postgresql")
def _phone_digits_postgresql(element, compiler, **kw):
    return f"right(regexp_replace({compiler.process(element.clauses, **kw)}, '[^0-9]', '', 'g'), {PHONE_DIGITS})"


def _ensure_phone_indexes(connection, entity) -> None:
    table = entity.model.__tablename__
    for meta in phone_fields(entity):
        connection.exec_driver_sql(
            f"CREATE INDEX IF NOT EXISTS ix_{table}_{meta.name}_digits ON {table} "
            f"(right(regexp_replace({meta.name}, '[^0-9]', '', 'g'), {PHONE_DIGITS}))"
        )


def lowercase_indexed_fields(entity) -> list:
    """The text fields with an index on ``lower(<column>)`` (every indexed text field)."""
    from kernel.filters import TEXT_KINDS

    return [meta for meta, _column in _indexed_columns(entity) if meta.kind in TEXT_KINDS]


def _ensure_lowercase_indexes(connection, entity) -> None:
    table = entity.model.__tablename__
    for meta in lowercase_indexed_fields(entity):
        connection.exec_driver_sql(
            f"CREATE INDEX IF NOT EXISTS ix_{table}_{meta.name}_lower ON {table} (lower({meta.name}))"
        )


def _ensure_folded_name_indexes(connection, entity) -> None:
    table = entity.model.__tablename__
    for meta in name_fields(entity):
        connection.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {kernel_index_name(table, meta.name, '_folded')} "
                                   f"ON {table} ({folded_sql(meta.name)})")


def _sqlite_has(connection, kind: str, name: str) -> bool:
    return connection.execute(
        text("SELECT 1 FROM sqlite_master WHERE type = :kind AND name = :name"), {"kind": kind, "name": name}
    ).first() is not None


def _ensure_sqlite(connection, table: str) -> None:
    fts = fts_table(table)
    if _sqlite_has(connection, "trigger", f"{fts}_insert"):
        return
    # No trigger: never indexed, or the table was dropped (its triggers with it) and made again by a
    # downgrade and upgrade: an index left from before would hold the old rows.
    statements = [
        f"DROP TABLE IF EXISTS {fts}",
        f"CREATE VIRTUAL TABLE {fts} USING fts5(search_text, content='{table}', content_rowid='id', "
        "tokenize='trigram')",
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF search_text ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]
    for statement in statements:
        connection.exec_driver_sql(statement)


def _ensure_postgresql(connection, table: str) -> None:
    try:
        with connection.begin_nested():
            connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as error:  # no right to create extensions: LIKE still works, only slower
        log.warning("pg_trgm is not available (%s); quick search will not use an index", error)
        return
    connection.exec_driver_sql(
        f"CREATE INDEX IF NOT EXISTS ix_{table}_search_trgm ON {table} USING gin (search_text gin_trgm_ops)"
    )


def drop_orphan_search_tables(engine) -> None:
    """After a downgrade: the SQLite search tables of entity tables that are gone."""
    if engine.dialect.name != "sqlite":
        return  # PostgreSQL's trigram indexes go with their tables
    with engine.begin() as connection:
        names = {row[0] for row in connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))}
        for name in sorted(names):
            if name.endswith("_search") and name.removesuffix("_search") not in names \
                    and _sqlite_has(connection, "table", name) and name + "_data" in names:
                connection.exec_driver_sql(f"DROP TABLE {name}")


def mark_indexed(engine, entities) -> None:
    """Remember which entities have an FTS table, so the quick search knows it may use it, and
    (SQLite) the index each sort may be told to walk (``kernel.listing.walking_sort_index``):
    naming one that is not there would fail the list. On PostgreSQL, the name fields whose folded
    index is there: without it, the quick search's probe of names (``kernel.listing``) would read
    the whole table."""
    if engine.dialect.name != "sqlite":
        folded = _postgresql_folded_indexes(engine)
        for entity in entities:
            entity.fts_table = None
            entity.sort_indexes = {}
            table = entity.model.__tablename__
            entity.folded_names = [meta for meta in name_fields(entity)
                                   if kernel_index_name(table, meta.name, "_folded") in folded]
        return
    with engine.connect() as connection:
        names = {row[0] for row in connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))}
        indexes = {row[0] for row in connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'index'"))}
    for entity in entities:
        name = fts_table(entity.model.__tablename__)
        entity.fts_table = name if name in names else None
        entity.sort_indexes = _sort_indexes_of(entity, indexes)


def _postgresql_folded_indexes(engine) -> set[str]:
    """The names of the folded indexes there are; none when the database cannot be read yet (a
    server started before its database: the names are not probed until it starts again)."""
    try:
        with engine.connect() as connection:
            return set(connection.scalars(text(
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname LIKE :pattern"),
                {"pattern": "ix\\_%\\_folded"}))
    except OperationalError:
        log.warning("the database cannot be read: the quick search will not probe the names' indexes")
        return set()


def _sort_indexes_of(entity, existing: set[str]) -> dict[str, str]:
    """``{field: index}``: the model's own index on the field alone, else the kernel's."""
    table = entity.model.__table__
    found = {}
    for meta in sort_indexed_fields(entity):
        own = [index.name for index in table.indexes if [column.key for column in index.columns] == [meta.name]]
        for name in [*own, sort_index_name(table.name, meta.name)]:
            if name in existing:
                found[meta.name] = name
                break
    return found


def fts_query(words: list[str]) -> str:
    """``["emile", "noel"]`` → ``'"emile" AND "noel"'`` (each word a quoted phrase)."""
    return " AND ".join('"' + word.replace('"', '""') + '"' for word in words)
