"""DATABASE_REPLICA_URL: reports and CSV exports read the replica, writes go to the primary.

The "replica" here is a second PostgreSQL database holding different rows, so that where each
read went shows in the answer."""

import csv
import io

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from kernel import migrate
from kernel.app import create_app
from kernel.db import db
from kernel.security.models import SecurityEvent
from kernel.testing.database import empty_tables
from kernel.users import User
from plugins.clients.models import Client
from tests.reports.helpers import make_client


def replica_app(settings, url):
    """An app on the replica database (the kernel's ``db`` follows the app made last)."""
    return create_app({**settings, "DATABASE_URL": url})


@pytest.fixture
def replica_url(settings):
    primary = make_url(settings["DATABASE_URL"])
    if primary.get_backend_name() != "postgresql":
        pytest.skip("a read replica is a PostgreSQL setting")
    url = primary.set(database=f"{primary.database}r").render_as_string(hide_password=False)
    create_database_if_missing(primary, f"{primary.database}r")
    with replica_app(settings, url).app_context():
        migrate.upgrade()
        empty_tables()
        seed_replica()
    yield url
    with replica_app(settings, url).app_context():
        db.session.remove()
        empty_tables()
    create_app(settings)  # the kernel's db on the primary again, for the tests' own clean-up


def create_database_if_missing(primary, name: str) -> None:
    """The replica's database, made beside the tests' own on first use (CI has only that one)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(primary, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name})
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()


def seed_replica():
    owner = User(email="replica@example.org", name="Replica", role="staff", language="en")
    owner.set_password("Replica-password-123!")
    db.session.add(owner)
    db.session.flush()
    make_client(owner, "2025-01-10", last_name="DansLaRéplique", country_of_origin="HT")
    db.session.commit()
    db.session.remove()


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_reports_and_exports_read_the_replica_and_writes_go_to_the_primary(make_app, make_user, login_as,
                                                                           replica_url):
    app = make_app(DATABASE_REPLICA_URL=replica_url)
    with app.app_context():
        staff = make_user("staff")
        make_client(staff, "2025-01-10", last_name="DansLePrimaire", country_of_origin="FR")
        db.session.commit()
        browser = login_as(staff)

        exported = csv_rows(browser.get("/clients/export.csv?cols=last_name"))
        assert [row[0] for row in exported[1:]] == ["DansLaRéplique"]
        report = csv_rows(browser.get("/reports/export.csv?entity=client&columns=last_name"))
        assert [row[0] for row in report[1:]] == ["DansLaRéplique"]
        page = browser.get("/reports/build?entity=client&columns=last_name").get_data(as_text=True)
        assert "DansLaRéplique" in page and "DansLePrimaire" not in page
        grouped = csv_rows(browser.get("/reports/export.csv?entity=client&group=country_of_origin&agg=count"))
        assert grouped[1:] == [["Haiti", "1"]]

        # the exports' security events and the client written above are in the primary only
        db.session.expire_all()
        assert db.session.scalar(select(func.count()).select_from(SecurityEvent)
                                 .where(SecurityEvent.event == "data.exported")) >= 2
        assert db.reading.scalar(select(func.count()).select_from(SecurityEvent)
                                 .where(SecurityEvent.event == "data.exported")) == 0
        assert db.reading.scalar(select(func.count()).select_from(Client)) == 1
        assert db.session.scalar(select(func.count()).select_from(Client)) == 1


def test_without_a_replica_reports_read_the_primary(app, make_user, login_as):
    staff = make_user("staff")
    make_client(staff, "2025-01-10", last_name="DansLePrimaire")
    db.session.commit()
    assert db.reading is db.session
    report = csv_rows(login_as(staff).get("/reports/export.csv?entity=client&columns=last_name"))
    assert [row[0] for row in report[1:]] == ["DansLePrimaire"]
