"""Every field a list sorts by with an index has one (kernel.search_index.sort_indexed_fields): the
indexed fields and the columns a list shows by default, of every entity of every installed plugin,
on both databases. Without it, sorting a list of a million clients by phone read and sorted them all
(a third of a second)."""

import pytest
from sqlalchemy import inspect, text

from kernel.db import db
from kernel.registry import entities
from kernel.search_index import made_by_kernel, sort_index_name, sort_indexed_fields

POSTGRESQL_NAME_MAX = 63
pytestmark = pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")


def leading_columns(table: str) -> set[tuple[str, ...]]:
    """The columns each index of ``table`` starts with (one, and two), unique constraints' included."""
    found = set()
    inspector = inspect(db.engine)
    for index in [*inspector.get_indexes(table), *inspector.get_unique_constraints(table)]:
        names = tuple(index["column_names"])
        if names and names[0]:
            found.add(names[:1])
            found.add(names[:2])
    return found


def test_every_sortable_list_column_and_indexed_field_has_a_sort_index(app):
    checked = 0
    for entity in entities():
        table = entity.model.__tablename__
        indexes = leading_columns(table)
        for meta in sort_indexed_fields(entity):
            wanted = (meta.name,) if db.is_sqlite else (meta.name, "id")
            assert wanted in indexes, f"{entity.name}.{meta.name}: no index on {wanted}"
            checked += 1
    assert checked > 100


def test_the_default_list_columns_are_among_them_long_texts_are_not(app):
    clients = entities().get("client")
    names = {meta.name for meta in sort_indexed_fields(clients)}
    assert {meta.name for meta in clients.list_fields if meta.sortable} <= names
    assert not any(meta.kind == "longtext" for entity in entities() for meta in sort_indexed_fields(entity))


def test_the_kernels_index_names_fit_postgresql_and_are_recognised(app):
    """PostgreSQL cuts a longer name, which would lose the suffix by which migrations leave the
    kernel's indexes alone: a long one is shortened with a digest, and stays apart from its
    neighbours."""
    for entity in entities():
        for meta in sort_indexed_fields(entity):
            name = sort_index_name(entity.model.__tablename__, meta.name)
            assert len(name) <= POSTGRESQL_NAME_MAX and made_by_kernel(name), name
    long_table = "privacy_retention_rules_of_a_module_with_a_long_name"
    first, second = sort_index_name(long_table, "cleared_fields_one"), sort_index_name(long_table, "cleared_fields_two")
    assert len(first) == len(second) == POSTGRESQL_NAME_MAX and first != second
    assert made_by_kernel(first) and first.startswith("ix_privacy_retention_rules")
    assert sort_index_name("clients", "phone") == "ix_clients_phone_sort"


def test_a_sqlite_list_is_told_the_index_that_exists(app):
    """SQLite is told which index to walk for a sort (kernel.listing.walking_sort_index): the
    field's own, else the kernel's; never one that is not there."""
    clients = entities().get("client")
    if not db.is_sqlite:
        assert clients.sort_indexes == {}
        return
    assert clients.sort_indexes["phone"] == "ix_clients_phone_sort"
    assert clients.sort_indexes["last_name"] == "ix_clients_last_name"
    names = {row[0] for row in db.session.execute(text("SELECT name FROM sqlite_master WHERE type = 'index'"))}
    assert all(index in names for entity in entities() for index in entity.sort_indexes.values())


def test_a_list_sorted_by_a_column_that_had_no_index_reads_its_index(app):
    """The phone is a default column of the clients' list and had no index of its own."""
    statement = "SELECT id FROM clients ORDER BY phone, id LIMIT 20"
    if db.is_sqlite:
        plan = " ".join(str(row[-1]) for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {statement}")))
        assert "ix_clients_phone_sort" in plan and "TEMP B-TREE" not in plan, plan
    else:
        db.session.execute(text("SET LOCAL enable_seqscan = off"))  # an empty table would be read whole
        plan = " ".join(row[0] for row in db.session.execute(text(f"EXPLAIN {statement}")))
        assert "ix_clients_phone_sort" in plan and "Sort " not in plan, plan
    db.session.rollback()
