"""The volunteers example module: a volunteer linked to a client shows on the client's page, the
clients list offers "Find a volunteer", reports count a client's volunteers, a dashlet lists the
newest ones; in English and French."""

import pytest
from sqlalchemy import select

from kernel.toolkit import Period, db, entities, records

pytestmark = pytest.mark.plugins("clients", "volunteers")


def a_client(user, last_name="Tremblay"):
    client = records.create(entities().get("client"), {"first_name": "Zoé", "last_name": last_name}, user)
    db.session.commit()
    return client


def test_a_volunteer_helping_a_client_shows_on_the_clients_page(app, staff, staff_client):
    client = a_client(staff)
    created = staff_client.post("/volunteers/new", data={
        "name": "Amina Diallo", "email": "amina@example.org", "availability": "evenings",
        "skills": "Wolof, French; a driving licence", "client_id": str(client.id)})
    assert created.status_code == 302
    page = staff_client.get(f"/clients/{client.id}").get_data(as_text=True)
    assert 'id="panel-volunteers"' in page and "Volunteers helping" in page
    assert "Amina Diallo" in page and "Evenings" in page and "Wolof, French" in page
    assert 'id="panel-linked-volunteer-client_id"' not in page  # the kernel's plain list is replaced
    assert f'href="/volunteers/new?client_id={client.id}"' in page


def test_a_wrong_email_is_refused_with_a_message_and_nothing_saved(app, staff_client):
    refused = staff_client.post("/volunteers/new", data={"name": "Amina Diallo", "email": "amina@"})
    assert refused.status_code == 422
    assert db.session.scalar(select(entities().get("volunteer").model.id)) is None


def test_the_clients_list_offers_to_find_a_volunteer(app, staff_client):
    assert "Find a volunteer" in staff_client.get("/clients/").get_data(as_text=True)
    assert "Find a volunteer" not in staff_client.get("/volunteers/").get_data(as_text=True)


def test_reports_count_the_volunteers_of_each_client(app, staff):
    helped = a_client(staff, "Tremblay")
    a_client(staff, "Roy")
    volunteer = entities().get("volunteer")
    for name in ("Amina Diallo", "Luc Gagnon"):
        records.create(volunteer, {"name": name, "client_id": helped.id}, staff)
    gone = records.create(volunteer, {"name": "Gone", "client_id": helped.id}, staff)
    records.delete(volunteer, gone, staff)
    db.session.commit()
    from passerelle_volunteers.models import volunteer_count

    client_model = entities().get("client").model
    counts = dict(db.session.execute(select(client_model.last_name, volunteer_count(Period(None, None)))).all())
    assert counts == {"Tremblay": 2, "Roy": 0}


def test_the_newest_volunteers_dashlet_can_be_added(app, staff, staff_client):
    records.create(entities().get("volunteer"), {"name": "Amina Diallo"}, staff)
    db.session.commit()
    added = staff_client.post("/dashboard/add", data={"key": "volunteers:newest"})
    assert added.status_code in (302, 303)
    dashboard = staff_client.get("/").get_data(as_text=True)
    assert "New volunteers" in dashboard and "Amina Diallo" in dashboard


def test_in_french(app, make_user, login_as):
    user = make_user("staff", language="fr")
    client = a_client(user)
    browser = login_as(user)
    assert "Trouver un bénévole" in browser.get("/clients/").get_data(as_text=True)
    page = browser.get(f"/clients/{client.id}").get_data(as_text=True)
    assert "Bénévoles qui l’aident" in page and "Aucun bénévole n’aide encore ce client." in page
    form = browser.get("/volunteers/new").get_data(as_text=True)
    assert "Disponibilité" in form and "Le soir" in form and "Client aidé" in form


def test_installed_the_module_stays_off_until_the_setting_names_it(make_app):
    assert "volunteers" not in make_app(PASSERELLE_PLUGINS="").extensions["passerelle.plugins"].names()
    everything = make_app(PASSERELLE_PLUGINS="*, volunteers").extensions["passerelle.plugins"].names()
    assert {"clients", "volunteers"} <= set(everything) and len(everything) > 2
