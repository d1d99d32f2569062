"""On PostgreSQL the rollback of a transaction that only read is a COMMIT, so that psycopg keeps
the statements it has prepared on the connection (it forgets them all at a ROLLBACK, and the
pages that only read, or a save refused before it wrote, were planned afresh). Anything else is
rolled back as before: a write not committed, an object not yet flushed, a plain SET, rows
copied, a failed statement (``kernel.postgres_connection``)."""

import psycopg
import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import bindparam, func, insert, select, text, update
from sqlalchemy.exc import ProgrammingError

from kernel import records
from kernel.db import db
from kernel.postgres_connection import only_reads
from kernel.registry import entities
from kernel.users import User


@pytest.fixture
def ends(app, staff, monkeypatch):
    """How psycopg ended the transactions: "commit" or "rollback", as sent to PostgreSQL."""
    if db.is_sqlite:
        pytest.skip("psycopg's prepared statements")
    seen = []
    for name in ("commit", "rollback"):
        original = getattr(psycopg.Connection, name)

        def spy(connection, _original=original, _name=name):
            if connection.info.transaction_status != TransactionStatus.IDLE:  # else nothing is sent
                seen.append(_name)
            return _original(connection)

        monkeypatch.setattr(psycopg.Connection, name, spy)
    db.session.remove()
    return seen


def prepared_statements(dbapi_connection, like: str) -> int:
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", (f"%{like}%",))
        count = cursor.fetchone()[0]
    dbapi_connection.rollback()
    return count


def read_often(user_id: int):
    """Reads a user's e-mail address until psycopg prepares the statement (at its fifth run);
    returns the connection it was read on."""
    for _ in range(7):
        db.session.execute(select(User.email).where(User.id == user_id)).all()
    return db.session.connection().connection.dbapi_connection


def test_which_statements_only_read():
    assert only_reads("SELECT clients.id FROM clients")
    assert only_reads("  select 1")
    assert only_reads("SET LOCAL jit = off")
    assert only_reads("WITH found AS (SELECT id FROM clients) SELECT count(*) FROM found")
    assert only_reads("SHOW plan_cache_mode")
    assert only_reads("SAVEPOINT sa_savepoint_1")
    assert only_reads("RELEASE SAVEPOINT sa_savepoint_1")
    assert only_reads("ROLLBACK TO SAVEPOINT sa_savepoint_1")
    assert not only_reads("SAVEPOINT a; DELETE FROM notes")
    assert not only_reads("SET jit = off")  # it would outlive the transaction on the pooled connection
    assert not only_reads("INSERT INTO notes (subject) VALUES ('a')")
    assert not only_reads("UPDATE clients SET city = 'Iqaluit'")
    assert not only_reads("WITH gone AS (DELETE FROM notes RETURNING id) SELECT count(*) FROM gone")
    assert not only_reads("DELETE FROM notes")
    assert not only_reads("CREATE TABLE t (id int)")
    assert not only_reads("COPY notes (subject) FROM STDIN")
    assert not only_reads(b"SELECT 1")  # not plain text: the safe side
    assert not only_reads("SELECT 1; DELETE FROM notes")  # two statements in one
    assert only_reads("SELECT 1;")
    assert not only_reads("SELECT * INTO notes_copy FROM notes")  # makes a table
    assert not only_reads("SELECT pg_notify('channel', 'saved')")  # sent at the commit
    assert only_reads(";")  # the pool's ping
    assert only_reads("SELECT users.updated_at, users.deleted_at FROM users")


def test_a_request_that_only_read_keeps_the_statements_prepared(staff, ends):
    dbapi_connection = read_often(staff.id)
    db.end_request()
    assert ends == ["commit"]
    assert prepared_statements(dbapi_connection, "users.email") == 1  # still open: the pool keeps it


def test_a_rollback_of_reads_keeps_the_statements_prepared(staff, ends):
    """A save refused before it wrote (a stale version, a value not valid) rolls back its reads."""
    dbapi_connection = read_often(staff.id)
    db.session.rollback()
    assert ends == ["commit"]
    assert prepared_statements(dbapi_connection, "users.email") == 1


def test_a_save_refused_as_stale_sends_no_rollback(app, staff, token_for, ends):
    client = records.create(entities().get("client"), {"last_name": "Périmé"}, staff)
    db.session.commit()
    api, headers = app.test_client(), token_for(staff)
    ends.clear()
    response = api.patch(f"/api/v1/clients/{client.id}", json={"city": "Iqaluit"},
                         headers={**headers, "If-Match": f'"{client.version + 1}"'})
    assert response.status_code == 412
    assert "rollback" not in ends
    assert api.get(f"/api/v1/clients/{client.id}", headers=headers).get_json()["city"] != "Iqaluit"


def test_reads_inside_savepoints_commit_a_write_inside_one_does_not(staff, ends):
    """The dashboard reads each dashlet inside a savepoint (one that fails leaves the page its
    transaction)."""
    with db.session.begin_nested():
        db.session.execute(select(User.id)).all()
    db.end_request()
    assert ends == ["commit"]
    ends.clear()
    with db.session.begin_nested():
        db.session.execute(insert(User).values(email="nested@example.org", name="Nested", role="staff",
                                               password_hash="x", language="fr"))
    db.end_request()
    assert ends == ["rollback"]
    assert db.session.scalar(select(User.id).where(User.email == "nested@example.org")) is None


def test_a_write_left_uncommitted_is_rolled_back(app, staff):
    db.session.remove()
    db.session.execute(insert(User).values(email="left@example.org", name="Left", role="staff",
                                           password_hash="x", language="fr"))
    db.end_request()
    assert db.session.scalar(select(User.id).where(User.email == "left@example.org")) is None


def test_an_object_not_yet_flushed_is_forgotten(app, staff):
    db.session.remove()
    user = db.session.get(User, staff.id)
    user.name = "Changed, never saved"  # a form that failed its checks leaves it so
    db.end_request()
    assert db.session.scalar(select(User.name).where(User.id == staff.id)) != "Changed, never saved"


def test_a_failed_statement_is_rolled_back_and_the_connection_serves_again(staff, ends):
    with pytest.raises(ProgrammingError):
        db.session.execute(text("SELECT no_such_column FROM users")).all()
    db.session.rollback()
    assert ends == ["rollback"]
    assert db.session.scalar(select(User.id).where(User.id == staff.id)) == staff.id


def test_a_plain_set_is_not_committed(staff, ends):
    db.session.execute(text("SET statement_timeout = '7s'"))
    dbapi_connection = db.session.connection().connection.dbapi_connection
    db.end_request()
    assert ends == ["rollback"]
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] != "7s"
    dbapi_connection.rollback()


def test_rows_changed_by_executemany_and_left_uncommitted_are_rolled_back(staff, ends):
    users = User.__table__
    db.session.connection().execute(
        update(users).where(users.c.id == bindparam("user_id")).values(name=bindparam("new_name")),
        [{"user_id": staff.id, "new_name": "Many"}, {"user_id": staff.id, "new_name": "Many again"}])
    db.end_request()
    assert ends == ["rollback"]
    assert db.session.scalar(select(User.name).where(User.id == staff.id)) == staff.name


def test_a_read_after_the_pool_s_ping_still_keeps_the_statements_prepared(staff, ends):
    """The pool pings a connection idle for a while (``;``, outside any transaction)."""
    dbapi_connection = read_often(staff.id)
    db.end_request()
    db.engine.dialect.do_ping(dbapi_connection)
    ends.clear()
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    dbapi_connection.rollback()
    assert ends == ["commit"]
    assert prepared_statements(dbapi_connection, "users.email") == 1


def test_rows_copied_and_left_uncommitted_are_rolled_back(app, staff):
    """``insert_many`` writes through COPY on PostgreSQL, which the engine's events do not see."""
    from kernel.db import insert_many, utcnow
    from kernel.history import RecordChange

    db.session.remove()
    db.session.execute(select(User.id)).all()
    before = db.session.scalar(select(func.count()).select_from(RecordChange))
    insert_many(RecordChange.__table__, [{"entity": "client", "record_id": 1, "action": "update", "field": "city",
                                          "old_value": None, "new_value": "Iqaluit", "user_id": staff.id,
                                          "changed_at": utcnow()}])
    db.end_request()
    assert db.session.scalar(select(func.count()).select_from(RecordChange)) == before


def test_small_and_large_ids_share_one_prepared_statement(staff, ends):
    """psycopg would send 1 as a smallint and 40,000 as an integer, and prepare the statement once
    for each: every whole number goes as a bigint (``kernel.postgres_connection``)."""
    statement = select(User.name).where(User.id == bindparam("user_id"))
    for index in range(12):
        db.session.execute(statement, {"user_id": staff.id if index % 2 else 40_000 + index}).all()
    dbapi_connection = db.session.connection().connection.dbapi_connection
    assert prepared_statements(dbapi_connection, "users.name") == 1


def test_a_number_beyond_sixty_four_bits_still_reaches_the_database(staff, ends):
    found = db.session.execute(text("SELECT CAST(:n AS numeric) + 1"), {"n": 2**70}).scalar()
    assert found == 2**70 + 1
