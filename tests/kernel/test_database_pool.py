"""The database connections each process keeps open: as many as the requests it serves at once,
so that no request opens and closes a connection of its own (on SQLite one with a cold cache, on
PostgreSQL a new backend). ``passerelle serve`` raises the setting to its threads, plus two."""

import os
import resource
import socket
import threading
import time
from types import SimpleNamespace

import pytest
from flask import current_app
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.pool import NullPool

from kernel.cli import pool_size_for
from kernel.db import _server_has_spoken, db, make_engine
from kernel.serve import PasserelleServer, ServeOptions
from kernel.users import User

HIGH_DESCRIPTOR = 1500


def test_the_setting_sizes_the_pool(make_app):
    app = make_app(DATABASE_POOL_SIZE=14)
    with app.app_context():
        assert db.engine.pool.size() == 14


def test_the_default_keeps_ten_connections(app):
    assert current_app.config["DATABASE_POOL_SIZE"] == 10
    assert db.engine.pool.size() == 10


def test_the_pool_hands_out_the_connection_returned_last(app):
    """Requests one after another use one warm connection (its statements prepared and planned),
    not each idle connection in turn."""
    first, second = db.engine.connect(), db.engine.connect()
    first_driver, second_driver = first.connection.dbapi_connection, second.connection.dbapi_connection
    second.close()
    first.close()
    for _request in range(3):
        with db.engine.connect() as connection:
            assert connection.connection.dbapi_connection is first_driver
    with db.engine.connect() as one, db.engine.connect() as other:
        assert {one.connection.dbapi_connection, other.connection.dbapi_connection} == {first_driver, second_driver}


def test_serve_keeps_a_connection_for_each_thread(app):
    assert pool_size_for(8) == 10  # the default setting covers serve's default threads
    assert pool_size_for(16) == 18


def test_serve_hands_the_pool_size_to_its_workers(monkeypatch):
    seen = {}
    monkeypatch.setattr("kernel.app.create_app", lambda overrides=None: seen.update(overrides) or "app")
    monkeypatch.setattr("kernel.serve.gc.freeze", lambda: None)  # the test process's objects stay collectable
    server = PasserelleServer.__new__(PasserelleServer)
    server.options = ServeOptions(database_pool_size=18)
    assert server.load() == "app" and seen == {"DATABASE_POOL_SIZE": 18}


def test_a_worker_leaves_the_loaded_application_out_of_garbage_collection(monkeypatch):
    """A full collection walked every object of the application (about 100 ms, every few hundred
    requests, with the worker's requests waiting): the worker freezes them once loaded."""
    events = []
    monkeypatch.setattr("kernel.app.create_app", lambda overrides=None: events.append("app loaded") or "app")
    monkeypatch.setattr("kernel.serve.gc.collect", lambda: events.append("collected") or 0)
    monkeypatch.setattr("kernel.serve.gc.freeze", lambda: events.append("frozen"))
    server = PasserelleServer.__new__(PasserelleServer)
    server.options = ServeOptions()
    server.load()
    assert events == ["app loaded", "collected", "frozen"]


def test_eight_requests_at_once_reuse_the_kept_connections(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'pool.db'}", 10)
    opened = []
    event.listen(engine, "connect", lambda *_: opened.append(1))
    barrier = threading.Barrier(8)

    def request():
        with engine.connect() as connection:
            barrier.wait(timeout=10)
            connection.execute(text("SELECT 1"))

    for _round in range(3):
        threads = [threading.Thread(target=request) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(opened) == 8  # the first round opened them; the next two reused them
    engine.dispose()


def test_a_pool_size_below_one_keeps_one_connection(make_app):
    app = make_app(DATABASE_POOL_SIZE=-3)
    with app.app_context():
        assert db.engine.pool.size() == 1


# -- a pooled connection checked before use (PostgreSQL) -------------------------------------
def postgresql_only():
    if db.is_sqlite:
        pytest.skip("PostgreSQL's pooled connections")


@pytest.fixture
def pings(app, monkeypatch):
    """The pings the pool sent (a round trip each)."""
    sent = []
    original = db.engine.dialect.do_ping
    monkeypatch.setattr(db.engine.dialect, "do_ping", lambda connection: sent.append(1) or original(connection))
    return sent


@pytest.fixture
def backends(app):
    """The server processes of the connections the pool opens from now on."""
    opened = []
    db.engine.dispose()
    listener = lambda dbapi_connection, _record: opened.append(dbapi_connection.info.backend_pid)  # noqa: E731
    event.listen(db.engine, "connect", listener)
    yield opened
    event.remove(db.engine, "connect", listener)


def end_the_pools_connections(pids: list[int]) -> None:
    """What a restarted server or an administrator's ``pg_terminate_backend`` does to the pooled
    connections: the server ends them while no request uses them."""
    assert pids, "no pooled connection to end"
    killer = create_engine(db.engine.url, poolclass=NullPool)
    with killer.connect() as connection:
        for pid in pids:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        for _attempt in range(100):
            if not connection.execute(text("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(:pids)"),
                                      {"pids": pids}).scalar():
                break
            time.sleep(0.05)
    killer.dispose()


def test_a_connection_back_from_a_request_is_used_without_a_ping(app, staff_client, pings):
    postgresql_only()
    db.session.remove()
    for _request in range(5):
        assert staff_client.get("/profile/").status_code == 200
    assert pings == []  # pool_pre_ping sent one before each request


def test_a_connection_idle_for_long_is_pinged(app, staff_client, pings, monkeypatch):
    postgresql_only()
    db.session.remove()
    assert staff_client.get("/profile/").status_code == 200
    monkeypatch.setattr("kernel.db.PING_AFTER_IDLE_SECONDS", 0)
    assert staff_client.get("/profile/").status_code == 200
    assert pings == [1]


@pytest.mark.parametrize("idle_for_long", [False, True])
def test_a_connection_the_server_ended_is_replaced_before_a_request_uses_it(app, staff_client, monkeypatch, backends,
                                                                         idle_for_long):
    postgresql_only()
    db.session.remove()
    assert staff_client.get("/profile/").status_code == 200
    end_the_pools_connections(list(backends))
    if idle_for_long:
        monkeypatch.setattr("kernel.db.PING_AFTER_IDLE_SECONDS", 0)
    answer = staff_client.get("/profile/")
    assert answer.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(User)) >= 1


def test_a_connection_is_looked_at_whatever_its_descriptor(tmp_path):
    """``select()`` refuses descriptors above 1023, which a worker with many connections has: every
    connection would have looked dead, and been opened again for each request."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if max(soft, hard if hard != resource.RLIM_INFINITY else 4096) <= HIGH_DESCRIPTOR:
        pytest.skip("this machine allows too few open files")
    if soft <= HIGH_DESCRIPTOR:
        resource.setrlimit(resource.RLIMIT_NOFILE, (HIGH_DESCRIPTOR + 1, hard))
    ours, servers = socket.socketpair()
    try:
        os.dup2(ours.fileno(), HIGH_DESCRIPTOR)
        connection = SimpleNamespace(fileno=lambda: HIGH_DESCRIPTOR)
        assert not _server_has_spoken(connection)
        servers.sendall(b"E")  # what a server writes before it ends a connection
        assert _server_has_spoken(connection)
    finally:
        os.close(HIGH_DESCRIPTOR)
        ours.close()
        servers.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
