"""A request's transaction that only read ends with COMMIT on PostgreSQL, so that psycopg keeps
the statements it has prepared on the connection (it forgets them all at a ROLLBACK, and the
pages that only read were planned afresh on every request). Anything else is rolled back as
before: a write not committed, an object not yet flushed, a request that failed."""

import pytest
from sqlalchemy import event, func, insert, select, text

from kernel.db import db, only_reads
from kernel.users import User


@pytest.fixture
def ends(app, staff):
    """The ends of transactions the session's engine saw: "commit" or "rollback"."""
    seen = []
    listeners = [("commit", lambda _connection: seen.append("commit")),
                 ("rollback", lambda _connection: seen.append("rollback"))]
    for name, listener in listeners:
        event.listen(db.engine, name, listener)
    yield seen
    for name, listener in listeners:
        event.remove(db.engine, name, listener)


def postgresql_only():
    if db.is_sqlite:
        pytest.skip("psycopg's prepared statements")


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


def test_a_request_that_only_read_commits(app, staff, ends):
    postgresql_only()
    db.session.remove()
    db.session.execute(select(User.id)).all()
    db.end_request(None)
    assert ends == ["commit"]


def test_reads_inside_savepoints_commit_a_write_inside_one_does_not(app, staff, ends):
    """The dashboard reads each dashlet inside a savepoint (one that fails leaves the page its
    transaction)."""
    postgresql_only()
    db.session.remove()
    with db.session.begin_nested():
        db.session.execute(select(User.id)).all()
    db.end_request(None)
    assert ends == ["commit"]
    ends.clear()
    with db.session.begin_nested():
        db.session.execute(insert(User).values(email="nested@example.org", name="Nested", role="staff",
                                               password_hash="x", language="fr"))
    db.end_request(None)
    assert "commit" not in ends
    assert db.session.scalar(select(User.id).where(User.email == "nested@example.org")) is None


def test_a_read_only_request_keeps_the_statements_prepared(app, staff):
    postgresql_only()
    db.session.remove()
    for _ in range(7):  # psycopg prepares a statement at its fifth run
        db.session.execute(select(User.email).where(User.id == staff.id)).all()
    dbapi_connection = db.session.connection().connection.dbapi_connection
    db.end_request(None)
    with dbapi_connection.cursor() as cursor:  # still open: the pool keeps it
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%users.email%'")
        prepared = cursor.fetchone()[0]
    dbapi_connection.rollback()
    assert prepared == 1


def test_a_write_left_uncommitted_is_rolled_back(app, staff, ends):
    db.session.remove()
    db.session.execute(insert(User).values(email="left@example.org", name="Left", role="staff",
                                           password_hash="x", language="fr"))
    db.end_request(None)
    assert "commit" not in ends
    assert db.session.scalar(select(User.id).where(User.email == "left@example.org")) is None


def test_an_object_not_yet_flushed_is_rolled_back(app, staff, ends):
    db.session.remove()
    db.session.execute(select(User.id)).all()
    user = db.session.get(User, staff.id)
    user.name = "Changed, never saved"  # a form that failed its checks leaves it so
    db.end_request(None)
    assert "commit" not in ends
    assert db.session.scalar(select(User.name).where(User.id == staff.id)) != "Changed, never saved"


def test_a_failed_request_is_rolled_back(app, staff, ends):
    db.session.remove()
    db.session.execute(select(User.id)).all()
    db.end_request(RuntimeError("the view failed"))
    assert "commit" not in ends


def test_a_plain_set_is_not_committed(app, staff, ends):
    postgresql_only()
    db.session.remove()
    db.session.execute(text("SET statement_timeout = '7s'"))
    db.end_request(None)
    assert "commit" not in ends
    assert db.session.scalar(text("SHOW statement_timeout")) != "7s"


def test_rows_copied_and_left_uncommitted_are_rolled_back(app, staff, ends):
    """``insert_many`` writes through COPY on PostgreSQL, which the engine's events do not see."""
    from kernel.db import insert_many, utcnow
    from kernel.history import RecordChange

    db.session.remove()
    db.session.execute(select(User.id)).all()
    before = db.session.scalar(select(func.count()).select_from(RecordChange))
    insert_many(RecordChange.__table__, [{"entity": "client", "record_id": 1, "action": "update", "field": "city",
                                          "old_value": None, "new_value": "Iqaluit", "user_id": staff.id,
                                          "changed_at": utcnow()}])
    db.end_request(None)
    assert "commit" not in ends
    assert db.session.scalar(select(func.count()).select_from(RecordChange)) == before
