"""Reads never write: a plain GET of a list (a page or the API) sends no INSERT, UPDATE or DELETE
and, on SQLite, commits nothing, so that it never waits behind a running import's write lock (on
PostgreSQL its transaction, which wrote nothing, ends with a COMMIT: psycopg keeps its prepared
statements). The last-seen and last-used times are written at most once a minute (or five),
after the request."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, update

from kernel.db import db, utcnow
from kernel.registry import entities
from kernel.security.models import UserSession
from kernel.users import ApiToken

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "UPSERT")


@contextmanager
def statements_sent():
    """Every write statement and every commit sent to the database meanwhile."""
    sent = []

    def on_execute(_connection, _cursor, statement, _parameters, _context, _executemany):
        if statement.lstrip().upper().startswith(WRITES):
            sent.append(statement.split("\n")[0][:80])

    def on_commit(_connection):
        sent.append("COMMIT")

    event.listen(db.engine, "before_cursor_execute", on_execute)
    event.listen(db.engine, "commit", on_commit)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", on_execute)
        event.remove(db.engine, "commit", on_commit)


def wrote(sent: list[str]) -> list[str]:
    """The writes, and on SQLite the commits too (on PostgreSQL a read-only transaction commits)."""
    return [statement for statement in sent if statement != "COMMIT" or db.is_sqlite]


def _list_paths():
    return [f"/{entity.plural}/" for entity in entities()]


def test_list_pages_write_nothing(app, admin_client):
    paths = _list_paths()
    assert "/clients/" in paths
    assert admin_client.get("/").status_code == 200  # the last-seen time is fresh from the login
    for path in paths:
        with statements_sent() as sent:
            response = admin_client.get(path)
        assert response.status_code == 200, path
        assert wrote(sent) == [], path


@pytest.mark.parametrize("query", ["", "?q=a", "?page=2&sort=-id"])
def test_api_lists_write_nothing(app, admin, token_for, query):
    headers = token_for(admin)
    api = app.test_client()
    assert api.get("/api/v1/clients", headers=headers).status_code == 200  # first use noted
    for entity in entities():
        with statements_sent() as sent:
            response = api.get(f"/api/v1/{entity.plural}{query}", headers=headers)
        assert response.status_code == 200, entity.plural
        assert wrote(sent) == [], entity.plural


def test_a_read_after_a_while_writes_only_the_last_seen_time(app, admin_client, admin, token_for):
    headers = token_for(admin)
    long_ago = utcnow() - timedelta(hours=1)
    db.session.execute(update(UserSession).values(last_seen_at=long_ago))
    db.session.execute(update(ApiToken).values(last_used_at=long_ago))
    db.session.commit()
    with statements_sent() as sent:
        assert admin_client.get("/clients/").status_code == 200
    writes = [statement for statement in sent if statement != "COMMIT"]
    assert len(writes) == 1 and writes[0].startswith("UPDATE user_sessions SET last_seen_at")
    with statements_sent() as sent:
        assert app.test_client().get("/api/v1/clients", headers=headers).status_code == 200
    writes = [statement for statement in sent if statement != "COMMIT"]
    assert len(writes) == 1 and writes[0].startswith("UPDATE api_tokens SET last_used_at")


def test_an_api_read_of_one_record_writes_only_the_access_log_and_only_for_sensitive_entities(app, admin, token_for):
    """The access log (kernel.access_log) is the one write a read may send: one INSERT for a
    record of a sensitive entity (a client), nothing for the others (a partner)."""
    from plugins.clients.models import Client
    from plugins.partners.models import Partner

    client, partner = Client(last_name="Noël"), Partner(name="Carrefour")
    db.session.add_all([client, partner])
    db.session.commit()
    headers = token_for(admin)
    api = app.test_client()
    assert api.get("/api/v1/clients", headers=headers).status_code == 200  # first use noted
    with statements_sent() as sent:
        assert api.get(f"/api/v1/partners/{partner.id}", headers=headers).status_code == 200
    assert wrote(sent) == []
    with statements_sent() as sent:
        assert api.get(f"/api/v1/clients/{client.id}", headers=headers).status_code == 200
    assert sent[-1] == "COMMIT"
    writes = [statement for statement in sent if statement != "COMMIT"]
    assert len(writes) == 1 and writes[0].startswith("INSERT INTO record_reads")
