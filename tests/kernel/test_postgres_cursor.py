"""The PostgreSQL cursor (``kernel.postgres_cursor``): its ``description`` makes its columns on first use,
the same as psycopg's own even read after the cursor moved on, and SQLAlchemy's results are unchanged
whether it compiled the statement before or not; a long statement's placeholders are converted once."""

import pytest
from sqlalchemy import select, text

from kernel.db import db
from kernel.users import User


@pytest.fixture
def raw_connection(app):
    if db.is_sqlite:
        pytest.skip("PostgreSQL only: SQLite's driver has its own cursor")
    import psycopg

    from kernel.postgres_cursor import Cursor

    connection = db.engine.raw_connection()
    driver_connection = connection.driver_connection
    assert isinstance(driver_connection, psycopg.Connection)
    assert driver_connection.cursor_factory is Cursor
    yield driver_connection
    connection.close()


def described(description):
    return [(column.name, column.type_code, column.display_size, column.internal_size, column.precision,
             column.scale, column.null_ok) for column in description]


def test_the_description_is_psycopgs_own(raw_connection):
    import psycopg

    query = "SELECT 1::integer AS number, 'a'::text AS word, 2.5::numeric(5, 2) AS amount, now() AS moment"
    ours = raw_connection.cursor()
    ours.execute(query)
    theirs = psycopg.Cursor(raw_connection)
    theirs.execute(query)
    assert described(ours.description) == described(theirs.description)
    assert len(ours.description) == 4 and ours.description[1].name == "word"
    assert [column.name for column in ours.description[-2:]] == ["amount", "moment"]


def test_a_description_read_after_the_cursor_moved_on_is_of_its_own_result(raw_connection):
    cursor = raw_connection.cursor()
    cursor.execute("SELECT 1 AS first_column, 2 AS second_column")
    first = cursor.description
    cursor.execute("SELECT 'x' AS other")
    assert [column.name for column in first] == ["first_column", "second_column"]
    assert [column.name for column in cursor.description] == ["other"]


def test_a_statement_without_rows_has_no_description(raw_connection):
    cursor = raw_connection.cursor()
    cursor.execute("SET LOCAL statement_timeout = 0")
    assert cursor.description is None
    cursor.execute("SELECT")  # rows of no column: an empty description, as psycopg's
    assert cursor.description is not None and len(cursor.description) == 0 and not cursor.description


def test_results_are_the_same_the_first_time_and_from_the_compiled_cache(staff):
    if db.is_sqlite:
        pytest.skip("PostgreSQL only")
    statement = select(User.id, User.email).order_by(User.id).limit(3)
    first = db.session.execute(statement).all()
    again = db.session.execute(statement).all()
    assert first == again and first and first[0]._fields == ("id", "email")
    by_text = db.session.execute(text("SELECT id AS a, email AS b FROM users ORDER BY id LIMIT 3")).mappings().all()
    assert [(row["a"], row["b"]) for row in by_text] == [tuple(row) for row in first]


def test_a_statement_compiled_before_makes_no_column(staff, monkeypatch):
    if db.is_sqlite:
        pytest.skip("PostgreSQL only")
    from kernel import postgres_cursor

    made = []
    real_column = postgres_cursor.Column
    monkeypatch.setattr(postgres_cursor, "Column", lambda *arguments: made.append(1) or real_column(*arguments))
    # The label makes a statement no other test compiled (values are parameters, labels are not).
    statement = select(User.id, User.email.label("described_once_by_the_postgres_cursor_test")).where(User.id == staff.id)
    db.session.execute(statement).all()  # a new statement: SQLAlchemy reads the columns' description
    assert len(made) == 2
    made.clear()
    assert db.session.execute(statement).one().id == staff.id  # compiled before: no column made
    assert made == []


def long_statement(label: str) -> str:
    """A statement longer than psycopg remembers (4,096 characters), with named values, one of them
    twice: its values are the first three whole numbers, the last repeated."""
    padding = " + ".join("0" for _ in range(2_500))
    return (f"SELECT %(first)s::bigint + {padding} AS {label}_first, %(second)s::bigint AS second, "
            f"%(third)s::bigint AS third, %(third)s::bigint AS third_again")


def test_a_long_statement_is_converted_once(raw_connection, monkeypatch):
    from kernel import postgres_cursor

    converted = []
    real = postgres_cursor._query2pg_nocache
    monkeypatch.setattr(postgres_cursor, "_query2pg_nocache",
                        lambda statement, encoding: converted.append(1) or real(statement, encoding))
    statement = long_statement("converted_once_by_the_postgres_cursor_test")
    assert postgres_cursor.MAX_CACHED_STATEMENT_LENGTH < len(statement) <= postgres_cursor.LONG_STATEMENT
    cursor = raw_connection.cursor()
    for first in range(1, 4):
        cursor.execute(statement, {"first": first, "second": first * 10, "third": first * 100})
        assert cursor.fetchone() == (first, first * 10, first * 100, first * 100)
    assert converted == [1]


def test_a_statement_longer_than_kept_is_converted_each_time(raw_connection, monkeypatch):
    from psycopg import _queries

    from kernel import postgres_cursor

    converted = []
    real = _queries._query2pg_nocache
    monkeypatch.setattr(_queries, "_query2pg_nocache",
                        lambda statement, encoding: converted.append(1) or real(statement, encoding))
    monkeypatch.setattr(postgres_cursor, "LONG_STATEMENT", 4_500)
    statement = long_statement("too_long_for_the_postgres_cursor_test")
    assert len(statement) > postgres_cursor.LONG_STATEMENT
    cursor = raw_connection.cursor()
    for first in range(1, 3):
        cursor.execute(statement, {"first": first, "second": 2, "third": 3})
        assert cursor.fetchone() == (first, 2, 3, 3)
    assert converted == [1, 1]  # by psycopg, which does not remember it
