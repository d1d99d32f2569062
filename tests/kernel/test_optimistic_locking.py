"""Saving a record that someone else saved in the meantime is refused; nobody's change is lost."""

from sqlalchemy import select

from kernel.db import db
from plugins.clients.models import Client


def test_a_stale_form_is_refused_and_shows_both_versions(staff_client, make_user, login_as):
    staff_client.post("/clients/new", data={"last_name": "Côté", "city": "Iqaluit"})
    record = db.session.scalar(select(Client))
    colleague = login_as(make_user("staff", name="Colleague"))
    assert colleague.post(f"/clients/{record.id}/edit", data={
        "last_name": "Côté", "city": "Rankin Inlet", "version": "1"}).status_code == 302

    response = staff_client.post(f"/clients/{record.id}/edit", data={
        "last_name": "Côté", "city": "Cambridge Bay", "version": "1"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Someone else saved this record" in page
    assert "Rankin Inlet" in page and 'value="Cambridge Bay"' in page
    db.session.expire_all()
    assert db.session.get(Client, record.id).city == "Rankin Inlet"

    resubmitted = staff_client.post(f"/clients/{record.id}/edit", data={
        "last_name": "Côté", "city": "Cambridge Bay", "version": "2"})
    assert resubmitted.status_code == 302
    db.session.expire_all()
    assert db.session.get(Client, record.id).city == "Cambridge Bay"


def test_validation_errors_on_edit_keep_the_typed_values(staff_client):
    staff_client.post("/clients/new", data={"last_name": "Côté"})
    record = db.session.scalar(select(Client))
    response = staff_client.post(f"/clients/{record.id}/edit", data={
        "last_name": "", "city": "Whitehorse", "version": "1"})
    assert response.status_code == 422
    assert 'value="Whitehorse"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Client, record.id).last_name == "Côté"
