"""Fixtures of the SAE tests: a counsellor on the SAE team, a staff member who is not, a client,
an employer and a case file."""

import pytest

from kernel import records
from kernel.app import create_app
from kernel.db import db
from kernel.registry import entities
from plugins.sae.settings import save_members

# The SAE tests choose their plugins, so that they do not depend on which others are installed.
SAE_PLUGINS = "clients,partners,activities,sae"


@pytest.fixture(scope="session")
def migrated(settings):
    app = create_app({**settings, "PASSERELLE_PLUGINS": SAE_PLUGINS})
    with app.app_context():
        from kernel import migrate

        migrate.upgrade()
    return True


@pytest.fixture
def app(make_app):
    app = make_app(PASSERELLE_PLUGINS=SAE_PLUGINS)
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def counsellor(make_user):
    user = make_user("staff", email="conseillere@example.org", name="Claire Conseillère")
    save_members({user.id}, set())
    db.session.commit()
    return user


@pytest.fixture
def outsider(make_user):
    """A staff member who is not on the SAE team."""
    return make_user("staff", email="outsider@example.org", name="Oscar Outsider")


@pytest.fixture
def supervisor(make_user):
    return make_user("supervisor", email="sup@example.org", name="Sophie Supervisor")


@pytest.fixture
def a_client(counsellor):
    client = records.create(entities().get("client"), {"first_name": "Émile", "last_name": "Noël",
                                                       "email": "emile@example.org", "phone": "867 979 1234"},
                            counsellor)
    db.session.commit()
    return client


@pytest.fixture
def employer(counsellor):
    partner = records.create(entities().get("partner"), {"name": "Northmart Iqaluit"}, counsellor)
    db.session.commit()
    return partner


@pytest.fixture
def case_file(a_client, counsellor):
    record = records.create(entities().get("case_file"), {
        "file_number": "SAE-2026-0001", "client_id": a_client.id, "assigned_user_id": counsellor.id,
        "status": "active", "intake_date": "2026-01-12", "employment_goal": "Caissière"}, counsellor)
    db.session.commit()
    return record
