"""Reads beside the request (``kernel.beside``): on PostgreSQL a read runs on a connection and in a
transaction of its own while the request goes on, and its result (or its error) comes where it is
asked for; on SQLite, or when every helper is busy, it runs in the request's own transaction when
its result is first asked for."""

import threading

import pytest
from sqlalchemy import text

from kernel import beside
from kernel.db import db


def backend() -> str:
    """Which connection the read is on: PostgreSQL's server process, SQLite's connection object."""
    if db.is_sqlite:
        return str(id(db.session.connection().connection.dbapi_connection))
    return str(db.session.scalar(text("SELECT pg_backend_pid()")))


def test_a_read_beside_runs_on_its_own_connection_on_postgresql(app):
    with app.test_request_context():
        mine = backend()
        started = beside.read_beside(backend)
        theirs = started.result()
        assert started.started_beside is (not db.is_sqlite)
        assert (theirs == mine) is db.is_sqlite
        assert started.result() == theirs  # asked again: the same answer, not read again
        db.session.rollback()


def test_on_sqlite_a_read_waits_until_its_result_is_asked_for(app):
    calls = []
    with app.test_request_context():
        started = beside.read_beside(lambda: calls.append(threading.current_thread().name) or len(calls))
        if db.is_sqlite:
            assert calls == []
        assert started.result() == 1 and started.result() == 1
        assert len(calls) == 1 and calls[0].startswith("passerelle-beside") is (not db.is_sqlite)


def test_a_read_beside_sees_what_was_committed_and_its_own_transaction_ends(app, make_user):
    user = make_user("staff", email="beside@example.org")

    def email_and_connection():
        return db.session.scalar(text("SELECT email FROM users WHERE id = :id"), {"id": user.id}), backend()

    with app.test_request_context():
        email, helper = beside.read_beside(email_and_connection).result()
        assert email == "beside@example.org"
        if not db.is_sqlite:  # the helper's connection went back to the pool with no transaction open
            # (the pool hands out the connection returned last: this statement may be on it)
            assert db.session.scalar(text("SELECT pid = pg_backend_pid() OR state = 'idle' FROM pg_stat_activity "
                                          "WHERE pid = :pid"), {"pid": int(helper)})
        db.session.rollback()


def test_an_error_of_the_read_comes_where_its_result_is_asked_for(app):
    def broken():
        raise LookupError("no such thing")

    with app.test_request_context():
        started = beside.read_beside(broken)
        with pytest.raises(LookupError, match="no such thing"):
            started.result()
        assert db.session.scalar(text("SELECT 1")) == 1  # the request's own transaction goes on


def test_when_every_helper_is_busy_the_read_runs_in_the_request(app):
    if db.is_sqlite:
        pytest.skip("on SQLite every read runs in the request")
    release = threading.Event()
    with app.test_request_context():
        busy = [beside.read_beside(release.wait) for _ in range(beside.BESIDE_THREADS)]
        try:
            late = beside.read_beside(backend)
            assert not late.started_beside and late.result() == backend()
        finally:
            release.set()
        assert all(one.result() for one in busy)
        assert beside.read_beside(backend).started_beside  # the helpers are free again
        db.session.rollback()


def test_a_search_page_counts_beside_and_shows_the_count(app, tmp_path, staff_client, monkeypatch):
    """The resource search's count and facets are read beside the page, which shows them."""
    from tests.directory.helpers import names_in, sample_client, search

    started = []
    reading = beside.read_beside

    def noted(read, *args):
        found = reading(read, *args)
        started.append(found.started_beside)
        return found

    monkeypatch.setattr("plugins.directory.search.read_beside", noted)
    client = sample_client(app, tmp_path, staff_client)
    for criteria in ({"q": "logement"}, {"type": "BD-1800"}, {"q": "logement", "postal_code": "K1P 1J1", "radius": 500}):
        started.clear()
        page = search(client, **criteria)
        found = len(names_in(page))
        assert found and f'<p class="result-count">{found} resource' in page, criteria
        assert started == [not db.is_sqlite], criteria
