"""The pytest plugin of the testing kit (registered through the ``pytest11`` entry point).

Fixtures: a migrated database (SQLite in a temporary folder, or the PostgreSQL database of
``--database-url``), apps with chosen plugins, users of each role, logged-in clients, API tokens,
a stopped clock; the browser fixtures are in ``kernel.testing.browser``, the local S3 server
(``s3_server``) in ``kernel.testing.s3``. Kernel modules are
imported inside the fixtures, so that loading the plugin costs nothing to a test run that does
not use them.
"""

from __future__ import annotations

import pytest

from kernel.testing import TEST_PASSWORD, login

pytest_plugins = ["kernel.testing.browser", "kernel.testing.s3"]


def pytest_addoption(parser):
    parser.addoption("--database-url", default=None, help="run the suite on this database (PostgreSQL)")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", 'plugins(*names): the plugins the test\'s apps enable (default: every installed one), '
                   'e.g. @pytest.mark.plugins("clients", "volunteers")')
    from kernel.testing import speedups

    speedups.install()


@pytest.fixture(scope="session")
def database_url(request, tmp_path_factory):
    """A new SQLite file, or the ``--database-url`` database with its public schema emptied."""
    url = request.config.getoption("--database-url")
    if not url:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    from kernel.testing.database import fresh_postgresql_schema

    fresh_postgresql_schema(url)
    return url


@pytest.fixture(scope="session")
def instance_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("instance")


@pytest.fixture(scope="session")
def settings(database_url, instance_dir):
    """The settings of every app the kit builds (override the fixture to change them all)."""
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
    """Apply once per session the migrations of the kernel and of every enabled plugin (with the
    session's settings: every installed plugin, a module's own included)."""
    from kernel import migrate
    from kernel.app import create_app

    app = create_app(settings)
    with app.app_context():
        migrate.upgrade()
    return True


def plugins_setting(plugins) -> str:
    """``["clients", "volunteers"]`` → ``"clients,volunteers"`` (the ``PASSERELLE_PLUGINS`` setting)."""
    names = [plugins] if isinstance(plugins, str) else list(plugins)
    if not names:
        raise ValueError("name at least one plugin (an empty list would enable every installed plugin)")
    return ",".join(names)


@pytest.fixture
def make_app(settings, migrated, request):
    """``make_app(extra_plugins=None, plugins=None, **overrides)`` builds an app with some settings
    changed. ``plugins`` (or the test's ``@pytest.mark.plugins(...)`` marker) chooses the enabled
    plugins; ``extra_plugins`` adds plugin modules that are not installed (``{"name": module}``).
    The database is emptied after the test."""
    from kernel.app import create_app
    from kernel.db import db
    from kernel.testing.client import IsolatedClient
    from kernel.testing.database import empty_tables

    marker = request.node.get_closest_marker("plugins")
    made = []

    def build(extra_plugins=None, *, plugins=None, **overrides):
        if plugins is None and marker is not None and "PASSERELLE_PLUGINS" not in overrides:
            plugins = marker.args
        if plugins is not None:
            overrides["PASSERELLE_PLUGINS"] = plugins_setting(plugins)
        app = create_app({**settings, **overrides}, extra_plugins=extra_plugins)
        app.test_client_class = IsolatedClient
        made.append(app)
        return app

    yield build
    if made:
        with made[-1].app_context():
            db.session.remove()
            empty_tables()


@pytest.fixture
def app(make_app):
    """An app (every installed plugin, or the marker's), inside its app context."""
    from kernel.db import db

    app = make_app()
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def make_user(app):
    """``make_user(role="staff", email=None, name=None, language="en", password=TEST_PASSWORD, **fields)``
    creates and commits a user."""
    from kernel.db import db
    from kernel.users import User

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


@pytest.fixture
def login_as(app):
    """``login_as(user)`` → a test client logged in as ``user``."""

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
    """``token_for(user)`` → the ``Authorization`` header of a new API token of ``user``."""
    from kernel.db import db
    from kernel.users import create_token

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
