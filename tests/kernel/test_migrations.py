"""Migrations: every table of the kernel and of each plugin is created by its own Alembic branch,
and the models and the migrated database agree."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from kernel import migrate
from kernel.db import Base, db


def test_each_part_has_its_own_version_table(app):
    tables = set(inspect(db.engine).get_table_names())
    assert {"alembic_version", "alembic_version_clients", "users", "clients", "record_changes"} <= tables


def test_models_and_migrations_agree(app):
    owners = migrate.owner_of_tables()
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_object": migrate.compared_object(set(owners)),
        })
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_upgrade_twice_changes_nothing(app):
    migrate.upgrade()
    assert migrate.pending() == []
