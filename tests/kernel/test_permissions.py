"""What each role may do on the clients screens, and what its sidebar offers."""

import re

import pytest
from sqlalchemy import func, select

from kernel import records
from kernel.db import db
from kernel.registry import entities
from plugins.clients.models import Client


@pytest.fixture
def client_id(staff):
    record = records.create(entities().get("client"), {"first_name": "Zoé", "last_name": "Côté"}, staff)
    db.session.commit()
    return record.id


@pytest.fixture
def reader(readonly, login_as):
    return login_as(readonly)


def _row(record_id) -> Client:
    db.session.expire_all()
    return db.session.get(Client, record_id)


def _count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Client))


def _sidebar(page: str) -> str:
    match = re.search(r'<aside class="sidebar".*?</aside>', page, re.S)
    assert match, "no sidebar in the page"
    return match.group(0)


def test_a_readonly_user_can_view_clients(reader, client_id):
    listing = reader.get("/clients/")
    assert listing.status_code == 200
    assert "Zoé Côté" in listing.get_data(as_text=True)
    detail = reader.get(f"/clients/{client_id}")
    assert detail.status_code == 200 and "Zoé Côté" in detail.get_data(as_text=True)
    assert reader.get("/clients/lookup?q=zoe").get_json() == [{"id": client_id, "title": "Zoé Côté"}]


def test_a_readonly_user_cannot_create(reader, client_id):
    assert reader.get("/clients/new").status_code == 403
    response = reader.post("/clients/new", data={"last_name": "Noël"})
    assert response.status_code == 403
    assert "You are not allowed to see this page." in response.get_data(as_text=True)
    assert _count() == 1


def test_a_readonly_user_cannot_edit(reader, client_id):
    assert reader.get(f"/clients/{client_id}/edit").status_code == 403
    response = reader.post(f"/clients/{client_id}/edit", data={"last_name": "Changed", "version": "1"})
    assert response.status_code == 403
    row = _row(client_id)
    assert (row.last_name, row.version) == ("Côté", 1)


def test_a_readonly_user_cannot_delete(reader, client_id):
    assert reader.post(f"/clients/{client_id}/delete", data={"version": "1"}).status_code == 403
    assert _row(client_id).deleted_at is None


def test_the_pages_of_a_readonly_user_offer_no_change(reader, client_id):
    detail = reader.get(f"/clients/{client_id}").get_data(as_text=True)
    assert f'action="/clients/{client_id}/delete"' not in detail
    assert f'href="/clients/{client_id}/edit"' not in detail
    assert 'href="/clients/new"' not in reader.get("/clients/").get_data(as_text=True)


def test_staff_creates_and_edits_but_cannot_delete(staff_client, client_id):
    assert staff_client.get("/clients/new").status_code == 200
    assert staff_client.post(f"/clients/{client_id}/edit", data={
        "first_name": "Zoé", "last_name": "Côté", "city": "Iqaluit", "version": "1"}).status_code == 302
    assert _row(client_id).city == "Iqaluit"

    response = staff_client.post(f"/clients/{client_id}/delete", data={"version": "2"})
    assert response.status_code == 403
    assert _row(client_id).deleted_at is None
    detail = staff_client.get(f"/clients/{client_id}").get_data(as_text=True)
    assert f'href="/clients/{client_id}/edit"' in detail
    assert f'action="/clients/{client_id}/delete"' not in detail
    assert 'href="/clients/new"' in staff_client.get("/clients/").get_data(as_text=True)


@pytest.mark.parametrize("role", ["supervisor", "administrator"])
def test_supervisors_and_administrators_delete(make_user, login_as, client_id, role):
    client = login_as(make_user(role))
    assert f'action="/clients/{client_id}/delete"' in client.get(f"/clients/{client_id}").get_data(as_text=True)
    response = client.post(f"/clients/{client_id}/delete", data={"version": "1"})
    assert response.status_code == 302 and response.location == "/clients/"
    assert _row(client_id).deleted_at is not None
    assert client.get(f"/clients/{client_id}").status_code == 404


def test_the_sidebar_of_a_readonly_user_offers_viewing_only(reader):
    sidebar = _sidebar(reader.get("/clients/").get_data(as_text=True))
    assert "View clients" in sidebar
    assert "Create a client" not in sidebar
    assert 'href="/clients/new"' not in sidebar


def test_the_sidebar_of_staff_offers_creating(staff_client):
    sidebar = _sidebar(staff_client.get("/clients/").get_data(as_text=True))  # the actions of the module shown
    assert "View clients" in sidebar and "Create a client" in sidebar


def test_the_sidebar_is_translated(make_user, login_as):
    client = login_as(make_user("readonly", language="fr"))
    sidebar = _sidebar(client.get("/clients/").get_data(as_text=True))
    assert "Voir les clients" in sidebar and "Créer un client" not in sidebar


def test_anonymous_visitors_are_sent_to_the_login_page(app, client_id):
    anonymous = app.test_client()
    for response in (anonymous.get("/clients/"), anonymous.get(f"/clients/{client_id}"),
                     anonymous.post("/clients/new", data={"last_name": "Noël"}),
                     anonymous.post(f"/clients/{client_id}/delete")):
        assert response.status_code == 302 and response.location.startswith("/login")
    assert _count() == 1 and _row(client_id).deleted_at is None
