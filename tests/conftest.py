"""Shared fixtures: a migrated database (SQLite, or PostgreSQL with --database-url), the app,
users of each role, logged-in clients and API tokens."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

from kernel.app import create_app
from kernel.db import Base, db, make_engine
from kernel.users import User, create_token

TEST_PASSWORD = "correct horse battery"


def pytest_addoption(parser):
    parser.addoption("--database-url", default=None, help="run the suite on this database (PostgreSQL)")


@pytest.fixture(scope="session")
def database_url(request, tmp_path_factory):
    url = request.config.getoption("--database-url")
    if not url:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def instance_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("instance")


@pytest.fixture(scope="session")
def settings(database_url, instance_dir):
    return {
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(instance_dir),
        "SECRET_KEY": "test-secret",
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "PASSERELLE_PLUGINS": "",
        "SMTP_HOST": None,
        "DEMO_DATA": False,
    }


@pytest.fixture(scope="session")
def migrated(settings):
    """Apply every migration once per session."""
    app = create_app(settings)
    with app.app_context():
        from kernel import migrate

        migrate.upgrade()
    return True


def _empty_tables() -> None:
    with db.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name == "security_events":
                _empty_append_only(connection, table)
            elif connection.dialect.has_table(connection, table.name):
                connection.execute(table.delete())


def _empty_append_only(connection, table) -> None:
    """The security log refuses deletes of young events (database triggers): the tests lift the
    triggers for the time of their clean-up, in the same transaction."""
    if not connection.dialect.has_table(connection, table.name):
        return
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"ALTER TABLE {table.name} DISABLE TRIGGER USER"))
        connection.execute(table.delete())
        connection.execute(text(f"ALTER TABLE {table.name} ENABLE TRIGGER USER"))
        return
    triggers = connection.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
                                  {"t": table.name}).all()
    for name, _sql in triggers:
        connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
    connection.execute(table.delete())
    for _name, sql in triggers:
        connection.exec_driver_sql(sql)


class IsolatedClient(FlaskClient):
    """Each request gets its own app context (own ``g``, own database session), as in production,
    even though the test itself runs inside an app context."""

    def open(self, *args, **kwargs):
        db.session.remove()  # the request starts with a session of its own, as in production
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def make_app(settings, migrated):
    """Build an app with some settings changed; the database is emptied after the test."""
    made = []

    def build(extra_plugins=None, **overrides):
        app = create_app({**settings, **overrides}, extra_plugins=extra_plugins)
        app.test_client_class = IsolatedClient
        made.append(app)
        return app

    yield build
    if made:
        with made[-1].app_context():
            db.session.remove()
            _empty_tables()


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def make_user(app):
    def build(role="staff", email=None, name=None, language="en", password=TEST_PASSWORD, **fields):
        count = db.session.query(User).count()
        user = User(
            email=email or f"{role}{count}@example.org", name=name or f"{role.title()} {count}",
            role=role, language=language, **fields,
        )
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user

    return build


@pytest.fixture
def admin(make_user):
    return make_user("administrator", email="admin@example.org", name="Ada Admin")


@pytest.fixture
def staff(make_user):
    return make_user("staff", email="patrick@example.org", name="Patrick Staff")


@pytest.fixture
def readonly(make_user):
    return make_user("readonly", email="reader@example.org", name="Rita Reader")


def login(client, user, password=TEST_PASSWORD):
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.data[:500]
    return client


@pytest.fixture
def login_as(app):
    def do(user):
        return login(app.test_client(), user)

    return do


@pytest.fixture
def staff_client(staff, login_as):
    return login_as(staff)


@pytest.fixture
def admin_client(admin, login_as):
    return login_as(admin)


@pytest.fixture
def token_for(app):
    def make(user):
        token = create_token(user, "tests")
        db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    return make


@pytest.fixture
def freeze_clock(monkeypatch):
    """``freeze_clock("2026-12-03 20:06", "America/Iqaluit")`` stops the application's clock
    (``kernel.clock``) at that wall-clock time of that zone."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from kernel import clock

    def freeze(moment: str, zone: str = "UTC"):
        frozen = datetime.fromisoformat(moment).replace(tzinfo=ZoneInfo(zone))
        monkeypatch.setattr(clock, "utc_now", lambda: frozen.astimezone(ZoneInfo("UTC")))
        return frozen

    return freeze


@pytest.fixture
def still_throttle_window(monkeypatch):
    """The throttle's clock stopped in the middle of a minute (and of an hour): attempts made by
    a test all fall in one window, however slow the machine."""
    from datetime import UTC, datetime

    from kernel.security import throttle

    moment = datetime(2026, 12, 4, 10, 30, 30, tzinfo=UTC)

    class StoppedClock(datetime):
        @classmethod
        def now(cls, tz=None):
            return moment if tz is not None else moment.replace(tzinfo=None)

    monkeypatch.setattr(throttle, "datetime", StoppedClock)
    return moment


def csrf_token_from(html: bytes | str) -> str:
    text_value = html.decode() if isinstance(html, bytes) else html
    match = re.search(r'name="csrf_token" value="([^"]+)"', text_value)
    assert match, "no CSRF token in the page"
    return match.group(1)


__all__ = ["TEST_PASSWORD", "csrf_token_from", "login"]

