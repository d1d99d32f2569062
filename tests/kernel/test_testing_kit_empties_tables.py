"""The testing kit empties every mapped table after each test (``kernel.testing.database``), also
when a module's table names a table that no imported module declares: a plugin's part imported on
its own, as the directory's verification models are with their hooks when the directory is not enabled.
``Base.metadata.sorted_tables`` raised there, and the test that ran alone ended in an error."""

import pytest
from sqlalchemy import Column, ForeignKey, Integer, Table
from sqlalchemy.exc import NoReferencedTableError

from kernel.db import Base
from kernel.testing.database import _tables_in_creation_order, empty_tables


@pytest.fixture
def table_naming_an_unknown_table():
    table = Table("kit_orphan_rows", Base.metadata, Column("id", Integer, primary_key=True),
                  Column("owner_id", ForeignKey("kit_never_declared.id")))
    yield table
    Base.metadata.remove(table)


def test_a_table_naming_an_undeclared_table_is_emptied_with_the_others(app, table_naming_an_unknown_table):
    with pytest.raises(NoReferencedTableError):
        Base.metadata.sorted_tables  # noqa: B018 - what the kit used before
    names = [table.name for table in _tables_in_creation_order()]
    assert "kit_orphan_rows" in names and names.index("users") < names.index("api_tokens")
    empty_tables()  # the table is not in the database: nothing to do, and no error


def test_the_order_is_the_metadatas_own_when_every_table_is_declared(app):
    assert _tables_in_creation_order() == Base.metadata.sorted_tables


def test_the_rows_a_test_left_are_deleted_the_append_only_logs_included(app, make_user):
    from sqlalchemy import func, select

    from kernel.db import db
    from kernel.security.events import LOGIN_FAILED, SecurityEvent, record_event
    from kernel.users import User

    user = make_user()
    record_event(LOGIN_FAILED, user=user, email=user.email, commit=True)
    db.session.remove()
    empty_tables()
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    assert db.session.scalar(select(func.count()).select_from(SecurityEvent)) == 0
