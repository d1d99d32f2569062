"""The capacity's migration (c6d8e0f2a4b6) goes down and up again, on SQLite and PostgreSQL."""

from sqlalchemy import inspect

from kernel import migrate
from kernel.db import db


def tables() -> set[str]:
    db.session.remove()
    return set(inspect(db.engine).get_table_names())


def test_the_capacity_table_comes_and_goes_with_its_migration(app):
    assert "directory_capacity" in tables()
    migrate.downgrade("directory", "b3c5d7e9f1a2")
    try:
        assert "directory_capacity" not in tables()
    finally:
        migrate.upgrade()
    assert "directory_capacity" in tables()
    indexes = {index["name"] for index in inspect(db.engine).get_indexes("directory_capacity")}
    assert "ix_directory_capacity_accepting" in indexes
