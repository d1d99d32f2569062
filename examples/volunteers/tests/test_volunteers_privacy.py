"""The volunteers example module takes part in privacy through the hooks alone: a volunteer's
name and contact details are anonymised with them; a client's erasure clears the link of the
volunteer helping them and leaves the volunteer, another person, alone; a client's export says
when volunteers help them, never who."""

import io
import json
import zipfile

import pytest
from sqlalchemy import select

from kernel.toolkit import db, entities, personal_data, records

pytestmark = pytest.mark.plugins("clients", "volunteers", "privacy")


def a_client_helped_by_a_volunteer(user):
    client = records.create(entities().get("client"), {"first_name": "Zoé", "last_name": "Tremblay",
                                                        "preferred_language": "en"}, user)
    db.session.flush()
    volunteer = records.create(entities().get("volunteer"), {
        "name": "Amina Diallo", "email": "amina@example.org", "phone": "(514) 555-0199",
        "availability": "evenings", "skills": "Wolof, French", "client_id": client.id}, user)
    db.session.commit()
    return client, volunteer


def test_the_module_declares_what_identifies_a_volunteer(app):
    declared = personal_data.declaration_of(entities().get("volunteer"))
    assert set(declared.fields) == {"name", "email", "phone", "skills"} and declared.detach == ("client_id",)


def test_anonymising_a_volunteer_empties_their_name_and_contact_details(app, staff):
    _client, volunteer = a_client_helped_by_a_volunteer(staff)
    plan = personal_data.plan(entities().get("volunteer"), [volunteer.id])
    personal_data.apply(plan)
    db.session.commit()
    db.session.expire_all()
    model = entities().get("volunteer").model
    kept = db.session.get(model, volunteer.id)
    assert (kept.name, kept.email, kept.phone, kept.skills, kept.availability) == ("—", None, None, None, "evenings")
    assert "amina" not in kept.search_text


def test_a_clients_erasure_clears_the_link_and_leaves_the_volunteer(app, staff):
    client, volunteer = a_client_helped_by_a_volunteer(staff)
    plan = personal_data.plan(entities().get("client"), [client.id])
    assert "volunteer" not in plan.counts()
    personal_data.apply(plan)
    db.session.commit()
    db.session.expire_all()
    kept = db.session.get(entities().get("volunteer").model, volunteer.id)
    assert (kept.name, kept.client_id) == ("Amina Diallo", None)


def test_a_clients_export_says_when_volunteers_help_but_not_who(app, staff, admin_client):
    client, _volunteer = a_client_helped_by_a_volunteer(staff)
    response = admin_client.get(f"/privacy/people/clients/{client.id}/export.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert json.loads(archive.read("volunteers.helping.json")) == [{"Availability": "Evenings"}]
    everything = "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    assert "Amina" not in everything and "amina@example.org" not in everything
    assert db.session.scalar(select(entities().get("client").model.last_name)) == "Tremblay"
