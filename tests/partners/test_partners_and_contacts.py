"""Partners and their contacts: the contact form's partner, the partner's contacts panel with
"Create a contact" already linked, and deleting a partner that has contacts."""

from sqlalchemy import select

from kernel import records
from kernel.db import db
from kernel.registry import entities
from plugins.partners.models import Contact, Partner


def _partner(user, name="KCR - Kelowna Com"):
    record = records.create(entities().get("partner"), {"name": name, "partner_type": "company"}, user)
    db.session.commit()
    return record


def test_a_contact_belongs_to_one_partner_shown_on_the_partner_page(staff_client, staff):
    partner = _partner(staff)
    response = staff_client.post("/contacts/new", data={
        "first_name": "Philip", "last_name": "MITCHELL", "job_title": "Directeur", "department": "RH",
        "partner_id": str(partner.id), "email": "philip@kcr.example"})
    assert response.status_code == 302
    contact = db.session.scalar(select(Contact))
    assert contact.partner_id == partner.id
    page = staff_client.get(f"/partners/{partner.id}").get_data(as_text=True)
    assert "Philip MITCHELL" in page and "Create a partner contact" in page
    assert f"/contacts/new?partner_id={partner.id}" in page
    form = staff_client.get(f"/contacts/new?partner_id={partner.id}").get_data(as_text=True)
    assert f'<option value="{partner.id}" selected>KCR - Kelowna Com</option>' in form
    detail = staff_client.get(f"/contacts/{contact.id}").get_data(as_text=True)
    assert "KCR - Kelowna Com" in detail


def test_the_partner_picker_searches_partners(staff_client, staff):
    _partner(staff)
    _partner(staff, "Northmart Iqaluit")
    found = staff_client.get("/partners/lookup?q=kelowna").get_json()
    assert [item["title"] for item in found] == ["KCR - Kelowna Com"]


def test_an_unknown_partner_is_refused(staff_client):
    response = staff_client.post("/contacts/new", data={"last_name": "Mitchell", "partner_id": "999"})
    assert response.status_code == 422
    assert "Choose an existing record." in response.get_data(as_text=True)


def test_deleting_a_partner_with_contacts_asks_what_to_do(staff_client, staff, make_user, login_as):
    partner = _partner(staff)
    entity = entities().get("contact")
    first = records.create(entity, {"last_name": "Mitchell", "partner_id": partner.id}, staff)
    second = records.create(entity, {"last_name": "Lavoie", "partner_id": partner.id}, staff)
    db.session.commit()
    supervisor = login_as(make_user("supervisor"))
    asked = supervisor.post(f"/partners/{partner.id}/delete", data={"version": "1"})
    assert asked.status_code == 200
    page = asked.get_data(as_text=True)
    assert "What should happen to them?" in page and "2 × Partner contacts" in page
    assert db.session.get(Partner, partner.id).deleted_at is None

    supervisor.post(f"/partners/{partner.id}/delete", data={"version": "1", "dependents": "detach"})
    db.session.expire_all()
    assert db.session.get(Partner, partner.id).deleted_at is not None
    assert {db.session.get(Contact, first.id).partner_id, db.session.get(Contact, second.id).partner_id} == {None}
    assert db.session.get(Contact, first.id).deleted_at is None


def test_deleting_a_partner_can_take_its_contacts_to_the_trash(staff, make_user, login_as):
    partner = _partner(staff)
    contact = records.create(entities().get("contact"), {"last_name": "Mitchell", "partner_id": partner.id}, staff)
    db.session.commit()
    supervisor = login_as(make_user("supervisor"))
    supervisor.post(f"/partners/{partner.id}/delete", data={"version": "1", "dependents": "delete"})
    db.session.expire_all()
    assert db.session.get(Contact, contact.id).deleted_at is not None


def test_the_api_delete_never_leaves_a_contact_pointing_at_a_deleted_partner(staff, make_user, token_for, app):
    partner = _partner(staff)
    contact = records.create(entities().get("contact"), {"last_name": "Mitchell", "partner_id": partner.id}, staff)
    db.session.commit()
    headers = token_for(make_user("supervisor"))
    assert app.test_client().delete(f"/api/v1/partners/{partner.id}", headers=headers).status_code == 204
    db.session.expire_all()
    assert db.session.get(Contact, contact.id).partner_id is None
