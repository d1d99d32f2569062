"""Duplicate warnings on partner names (legal forms and punctuation ignored) and on contacts."""

from kernel import records
from kernel.db import db
from kernel.registry import entities


def test_company_suffixes_and_punctuation_are_ignored(staff_client, staff):
    records.create(entities().get("partner"), {"name": "KCR - Kelowna Com"}, staff)
    db.session.commit()
    response = staff_client.post("/partners/new", data={"name": "KCR Kelowna Com inc."})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "KCR - Kelowna Com" in page and "Create anyway" in page


def test_contacts_by_name_and_email(staff_client, staff):
    records.create(entities().get("contact"), {"first_name": "Philip", "last_name": "Mitchell",
                                                "email": "philip@kcr.example"}, staff)
    db.session.commit()
    by_name = staff_client.post("/contacts/new", data={"first_name": "Phillip", "last_name": "Mitchel"})
    assert "Philip Mitchell" in by_name.get_data(as_text=True)
    by_email = staff_client.post("/contacts/new", data={"last_name": "Someone", "email": "PHILIP@kcr.example"})
    assert "Philip Mitchell" in by_email.get_data(as_text=True)
