"""The database: declarative base, engine and the request-scoped session.

One transaction per request: views work on ``db.session`` and commit what they save; at the
end of the request (``Database.end_request``) whatever was not committed is rolled back. On
PostgreSQL the rollback of a transaction that only read is a COMMIT, so that psycopg keeps its
prepared statements (``kernel.postgres_connection``).
"""

from __future__ import annotations

import json
import logging
import os
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from select import POLLIN, poll

from sqlalchemy import ARRAY, MetaData, Text, bindparam, create_engine, event, func, select
from sqlalchemy import text as sql_text
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, scoped_session, sessionmaker

log = logging.getLogger(__name__)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """Aware UTC now; stored as naive UTC so SQLite and PostgreSQL behave alike."""
    return datetime.now(UTC).replace(tzinfo=None)


USUAL_SQLITE_CACHE_KB = 32_000


def _sqlite_pragmas(dbapi_connection, _record):
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute(f"PRAGMA cache_size=-{USUAL_SQLITE_CACHE_KB}")  # page cache per connection
    cursor.close()


@contextmanager
def bulk_writing(cache_mb: int):
    """Around a long write of many rows (an import): on SQLite the connection's page cache is
    raised to ``cache_mb``, so that the indexes the new rows go into (a million records' worth)
    stay in memory instead of being read again from the file for each row (a 100,000-row
    import: 57 s with the usual 32 MB, 43 s with 400 MB). PostgreSQL's cache is the server's."""
    connection = db.session.connection()
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.exec_driver_sql(f"PRAGMA cache_size=-{int(cache_mb) * 1000}")
    try:
        yield
    finally:
        if sqlite:
            connection.exec_driver_sql(f"PRAGMA cache_size=-{USUAL_SQLITE_CACHE_KB}")


def _sqlite_from_hint(_compiler, _table, text: str) -> str:
    return text


# SQLAlchemy's SQLite compiler drops the hints of ``Select.with_hint``; SQLite has one,
# ``INDEXED BY``, which the lists use (kernel.listing.walking_sort_index).
SQLiteCompiler.get_from_hint_text = _sqlite_from_hint


def make_engine(url: str, pool_size: int = 10) -> Engine:
    """``pool_size``: the connections kept open, as many as the requests served at once (SQLAlchemy
    keeps five: with eight threads the others opened a connection for each request and closed it).

    The pool hands out the connection returned last (``pool_use_lifo``), not the one idle longest:
    a connection prepares a statement after its fifth run, and PostgreSQL plans it once for all
    values after five more. Taken in turn, ten connections needed a hundred views of a page
    between them before each served it fast; taken last-in first-out, the few connections a quiet
    office needs stay warm, and the others are used when requests come at once."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        _private_sqlite_file(url)
        if ":memory:" in url or url in {"sqlite://", "sqlite:///"}:
            return _with_pragmas(create_engine(url, connect_args={"check_same_thread": False}))
        return _with_pragmas(create_engine(url, connect_args={"check_same_thread": False}, pool_size=pool_size,
                                           pool_use_lifo=True))
    return _checked_on_checkout(_with_passerelle_connections(create_engine(url, pool_size=pool_size, pool_use_lifo=True)))


def _with_passerelle_connections(engine: Engine) -> Engine:
    """psycopg's connection and cursor, each with what ``kernel.postgres_connection`` and
    ``kernel.postgres_cursor`` say: a rollback of reads keeps the prepared statements, a
    cursor's description is made only when read."""
    from kernel.postgres_connection import Connection
    from kernel.postgres_cursor import Cursor

    @event.listens_for(engine, "do_connect")
    def connect(_dialect, _record, arguments, keywords):
        return Connection.connect(*arguments, **{**keywords, "cursor_factory": Cursor})

    return engine


# -- a pooled connection is checked before a request uses it (PostgreSQL) ---------------------
# A connection idle this long is pinged (a round trip): firewalls and NAT drop silent ones.
PING_AFTER_IDLE_SECONDS = 30.0
IDLE_SINCE = "passerelle.idle_since"


def _checked_on_checkout(engine: Engine) -> Engine:
    """SQLAlchemy's ``pool_pre_ping`` sent a round trip before every request: one in six of an
    API request's. A connection back from a request moments ago needs none: a server that
    restarted or ended it has written to its socket (its last message, then the end), which a
    look at the socket sees without asking. A connection idle for longer is pinged as before.
    A connection found dead is replaced (``DisconnectionError``), and the request never sees it."""
    def note_checkin(_dbapi_connection, record):
        record.info[IDLE_SINCE] = time.monotonic()

    def check_before_use(dbapi_connection, record, _proxy):
        idle_since = record.info.pop(IDLE_SINCE, None)
        if idle_since is None:  # a new connection
            return
        if time.monotonic() - idle_since >= PING_AFTER_IDLE_SECONDS:
            _ping(engine, dbapi_connection)
        elif _server_has_spoken(dbapi_connection):
            raise DisconnectionError("the server ended this connection while it was in the pool")

    event.listen(engine, "checkin", note_checkin)
    event.listen(engine, "checkout", check_before_use)
    return engine


def _ping(engine: Engine, dbapi_connection) -> None:
    try:
        engine.dialect.do_ping(dbapi_connection)
    except Exception as error:
        raise DisconnectionError(f"the connection does not answer: {error}") from error


def _server_has_spoken(dbapi_connection) -> bool:
    """Whether an idle connection's socket holds something to read. Between two requests the
    server sends nothing unasked (no LISTEN here): what is there is its goodbye, or the end of the
    connection. Anything else unexpected only costs a new connection."""
    try:
        watch = poll()  # not select(): it refuses the descriptors above 1023 a busy worker has
        watch.register(dbapi_connection.fileno(), POLLIN)
        return bool(watch.poll(0))
    except Exception:  # noqa: BLE001 - closed, or no socket: not a connection to use
        log.debug("a pooled connection cannot be looked at; it is replaced", exc_info=True)
        return True


def _with_pragmas(engine: Engine) -> Engine:
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _private_sqlite_file(url: str) -> None:
    """The database file made readable by its owner only before SQLite opens it: SQLite gives its
    -wal and -shm files the database's own permissions. Files already there are tightened too."""
    from kernel.config import PRIVATE_FILE, private_opener

    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if not path.parent.is_dir():
        return  # SQLite will say what is wrong
    os.close(private_opener(path, os.O_CREAT | os.O_RDWR))
    for companion in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if companion.exists():
            companion.chmod(PRIVATE_FILE)


def stream_all(statement):
    """Execute a statement whose every row will be read, batch by batch (exports), as plain rows.
    PostgreSQL plans a streamed query (a cursor) for its first rows by default, which for a sorted
    export can mean walking a whole index; it is told that every row will be read. Read from the
    replica when there is one (``DATABASE_REPLICA_URL``)."""
    connection = db.reading.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL cursor_tuple_fraction = 1.0")
    return connection.execute(statement.execution_options(stream_results=True))


def reserve_ids(table, count: int) -> list[int]:
    """``count`` primary keys for new rows of ``table``, taken before inserting them: rows whose
    keys are known are inserted in one ``executemany`` (SQLite cannot return the keys of a
    many-row INSERT in order, so SQLAlchemy would insert them one by one). PostgreSQL takes them
    from the column's sequence; SQLite from the largest key, which is safe because the rows are
    inserted in the same transaction and SQLite lets one transaction write at a time."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        statement = sql_text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :count)")
        return list(connection.execute(statement, {"table": table.name, "count": count}).scalars())
    last = connection.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
    return list(range(last + 1, last + 1 + count))


def insert_many(table, rows: list[dict]) -> None:
    """Insert plain rows (all with the same keys) in the session's transaction: PostgreSQL takes
    them through COPY, half the cost of one INSERT per row (imports write a million key rows);
    other databases through one executemany."""
    if not rows:
        return
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(table.insert(), rows)
        return
    names = list(rows[0])
    columns = ", ".join(connection.dialect.identifier_preparer.quote(name) for name in names)
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[name] for name in names])


def text_pairs(pairs: list[tuple[str, str]], names: tuple[str, str]):
    """A list of text pairs as a table with columns ``names``, sent as one value per column: a
    VALUES list would cost a compilation and two parameters per pair (thousands, in imports)."""
    if db.session.get_bind().dialect.name == "postgresql":
        columns = [bindparam(name, [pair[index] for pair in pairs], type_=ARRAY(Text)) for index, name in enumerate(names)]
        return func.unnest(*columns).table_valued(*names).render_derived(name="pairs")
    rows = func.json_each(bindparam("pairs", json.dumps(pairs))).table_valued("value")
    return select(*(func.json_extract(rows.c.value, f"$[{index}]").label(name) for index, name in enumerate(names))
                  ).subquery("pairs")


class Database:
    """Holds the engine and a scoped session; one per application. With ``DATABASE_REPLICA_URL``
    a second engine and session read from a replica what reports and CSV exports read
    (``db.reading``); without it ``db.reading`` is the usual session."""

    def __init__(self):
        self.engine: Engine | None = None
        self.session = scoped_session(sessionmaker(expire_on_commit=False))
        self.replica_engine: Engine | None = None
        self.replica = scoped_session(sessionmaker(expire_on_commit=False))

    def init_app(self, app) -> None:
        pool_size = max(1, app.config.get("DATABASE_POOL_SIZE") or 10)
        self.engine = make_engine(app.config["DATABASE_URL"], pool_size)
        self.session.remove()
        self.session.configure(bind=self.engine)
        self._init_replica(app.config.get("DATABASE_REPLICA_URL") or "", pool_size)
        app.extensions["passerelle.db"] = self

        @app.teardown_appcontext
        def end_session(_exc):
            self.end_request()

    def end_request(self) -> None:
        """The request's sessions closed: closing rolls back whatever was not committed (on
        PostgreSQL a transaction that only read ends with a COMMIT, ``kernel.postgres_connection``)."""
        self.session.remove()
        self.replica.remove()

    def _init_replica(self, url: str, pool_size: int = 10) -> None:
        self.replica.remove()
        self.replica_engine = make_engine(url, pool_size) if url else None
        self.replica.configure(bind=self.replica_engine)

    @property
    def reading(self):
        """The session reports and exports read with: the replica's when there is one."""
        return self.replica if self.replica_engine is not None else self.session

    @property
    def is_sqlite(self) -> bool:
        return self.engine is not None and self.engine.dialect.name == "sqlite"


db = Database()
