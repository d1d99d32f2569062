"""The register of confidentiality incidents: administrators record, read, change and export
incidents through the kernel's screens and API; no one else sees them, in the pages or the API."""

import csv
import io

import pytest
from sqlalchemy import select

from kernel.db import db
from kernel.history import RecordChange
from plugins.privacy.incidents.models import Incident

FORM = {
    "summary": "Case notes e-mailed to the wrong partner", "occurred_on": "2026-11-20", "discovered_on": "2026-11-21",
    "kind": "disclosure", "description": "A counsellor sent a client's action plan to the wrong address.",
    "people_concerned": "One client", "people_count": "1", "data_concerned": "Name, action plan, barriers",
    "risk": "serious", "risk_assessment": "Health barriers were named.", "commission_notified_on": "2026-11-22",
    "people_notified_on": "2026-11-22", "notifications": "CAI by its form; the client by phone.",
    "measures": "The partner deleted the e-mail and confirmed it in writing.", "status": "open",
}


def an_incident(**values) -> Incident:
    incident = Incident(**{"summary": "Lost USB key", "occurred_on": __import__("datetime").date(2026, 10, 1),
                           "kind": "loss", "description": "A key with a list of callers was lost.", **values})
    db.session.add(incident)
    db.session.commit()
    return incident


def test_an_administrator_records_an_incident_and_sees_its_history(admin_client):
    response = admin_client.post("/privacy-incidents/new", data=FORM)
    assert response.status_code == 302
    incident = db.session.scalar(select(Incident))
    assert (incident.risk, incident.people_count, incident.kind) == ("serious", 1, "disclosure")
    page = admin_client.get(response.location).get_data(as_text=True)
    assert "Case notes e-mailed to the wrong partner" in page and "Risk of serious injury" in page
    edit = admin_client.post(f"/privacy-incidents/{incident.id}/edit",
                             data={**FORM, "status": "closed", "version": str(incident.version)})
    assert edit.status_code == 302
    changes = db.session.scalars(select(RecordChange).where(RecordChange.record_id == incident.id)).all()
    assert any(change.field == "status" and change.new_value == "closed" for change in changes)
    assert "Closed" in admin_client.get(f"/privacy-incidents/{incident.id}").get_data(as_text=True)


def test_the_list_and_the_csv_export(admin_client):
    an_incident()
    an_incident(summary="Wrong fax number", kind="disclosure", risk="low")
    page = admin_client.get("/privacy-incidents/").get_data(as_text=True)
    assert "Lost USB key" in page and "Wrong fax number" in page
    exported = admin_client.get("/privacy-incidents/export.csv")
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True))))
    assert len(rows) == 3 and "Summary" in rows[0]


def test_bad_input_is_refused_with_messages_and_nothing_saved(admin_client):
    bad = {**FORM, "occurred_on": "2026-11-25", "discovered_on": "2026-11-20", "risk": "nonsense",
           "people_count": "many", "summary": "x" * 256}
    response = admin_client.post("/privacy-incidents/new", data=bad)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose one of the options offered." in page and "At most 255 characters." in page
    assert db.session.scalar(select(Incident)) is None


@pytest.mark.parametrize("role", ["staff", "supervisor", "readonly"])
def test_no_one_but_administrators_sees_the_register(make_user, login_as, role):
    incident = an_incident()
    browser = login_as(make_user(role))
    for path in ("/privacy-incidents/", f"/privacy-incidents/{incident.id}", "/privacy-incidents/new",
                 "/privacy-incidents/export.csv"):
        response = browser.get(path)
        assert response.status_code == 403, path
    assert browser.post("/privacy-incidents/new", data=FORM).status_code == 403
    assert "privacy-incidents" not in browser.get("/administration/").get_data(as_text=True)


def test_the_api_is_for_administrators_only(app, admin, make_user, token_for):
    incident = an_incident()
    api = app.test_client()
    staff_headers = token_for(make_user("supervisor"))
    assert api.get("/api/v1/privacy-incidents", headers=staff_headers).status_code == 403
    assert api.get(f"/api/v1/privacy-incidents/{incident.id}", headers=staff_headers).status_code == 403
    refused = api.post("/api/v1/privacy-incidents", headers=staff_headers,
                       json={"summary": "x", "occurred_on": "2026-01-01", "kind": "loss", "description": "y", "risk": "low",
                             "status": "open"})
    assert refused.status_code == 403
    admin_headers = token_for(admin)
    listed = api.get("/api/v1/privacy-incidents", headers=admin_headers)
    assert listed.status_code == 200 and listed.get_json()["items"][0]["summary"] == "Lost USB key"
    created = api.post("/api/v1/privacy-incidents", headers=admin_headers,
                       json={"summary": "Stolen laptop", "occurred_on": "2026-02-03", "kind": "loss",
                             "description": "Stolen from a car.", "risk": "serious", "status": "open"})
    assert created.status_code == 201


def test_the_register_is_in_the_administration_area(admin_client):
    assert "/privacy-incidents/" in admin_client.get("/administration/").get_data(as_text=True)


def test_the_register_in_french(make_user, login_as):
    french = login_as(make_user("administrator", language="fr"))
    an_incident()
    page = french.get("/privacy-incidents/").get_data(as_text=True)
    assert "Incidents de confidentialité" in page
    form = french.get("/privacy-incidents/new").get_data(as_text=True)
    assert "Risque de préjudice sérieux" in form
