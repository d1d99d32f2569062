"""A person's consents: the Consents panel of every person's page (each purpose's state and the
history), recording a consent or a withdrawal with its channel, date, expiry and note, clear
messages for bad input with nothing saved, and permissions."""

from sqlalchemy import select

from kernel import records
from kernel.db import db
from kernel.registry import entities
from plugins.privacy.consent.models import Consent


def a_client(staff, name="Tremblay"):
    client = records.create(entities().get("client"), {"first_name": "Léa", "last_name": name}, staff)
    db.session.commit()
    return client


def consents(record_id) -> list[Consent]:
    db.session.expire_all()
    return list(db.session.scalars(select(Consent).where(Consent.record_id == record_id).order_by(Consent.id)))


def test_the_panel_shows_every_purpose_and_records_a_consent_then_its_withdrawal(staff, staff_client):
    client = a_client(staff)
    page = staff_client.get(f"/clients/{client.id}").get_data(as_text=True)
    assert "Consents" in page and "Research and funder statistics" in page and "Not asked" in page
    url = f"/privacy/consents/clients/{client.id}"
    response = staff_client.post(url, data={"purpose": "newsletters", "given": "1", "channel": "form",
                                            "decided_on": "2026-01-05", "expires_on": "2027-01-05",
                                            "note": "Signed at intake"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/clients/{client.id}")
    staff_client.post(url, data={"purpose": "newsletters", "given": "0", "channel": "web"})
    rows = consents(client.id)
    assert [(row.purpose, row.given, row.channel) for row in rows] == [("newsletters", True, "form"),
                                                                         ("newsletters", False, "web")]
    assert rows[0].recorded_by_id == staff.id and rows[0].note == "Signed at intake"
    assert str(rows[0].expires_on) == "2027-01-05"
    page = staff_client.get(f"/clients/{client.id}").get_data(as_text=True)
    assert "Withdrawn" in page and "History of consents (2)" in page and "Signed at intake" in page


def test_bad_input_is_refused_with_clear_messages_and_nothing_saved(staff, staff_client):
    client = a_client(staff)
    url = f"/privacy/consents/clients/{client.id}"
    cases = [
        ({"purpose": "mind_reading", "given": "1", "channel": "form"}, "Choose a purpose."),
        ({"purpose": "newsletters", "given": "maybe", "channel": "form"}, "Say whether consent is given or withdrawn."),
        ({"purpose": "newsletters", "given": "1", "channel": "pigeon"}, "Choose how the person said it."),
        ({"purpose": "newsletters", "given": "1", "channel": "form", "decided_on": "31/02/2026"},
         "Enter a date such as 2026-03-31."),
        ({"purpose": "newsletters", "given": "1", "channel": "form", "decided_on": "2999-01-01"},
         "The date cannot be in the future."),
        ({"purpose": "newsletters", "given": "1", "channel": "form", "decided_on": "2026-01-05",
          "expires_on": "2025-01-01"}, "The expiry cannot be before the date of the decision."),
        ({"purpose": "sharing", "given": "1", "channel": "form"},
         "Name the partner organisation the information is shared with."),
        ({"purpose": "sharing", "given": "1", "channel": "form", "scope": "x" * 300}, "At most 255 characters."),
    ]
    for data, message in cases:
        response = staff_client.post(url, data=data)
        assert response.status_code == 422, data
        assert message in response.get_data(as_text=True)
    assert consents(client.id) == []


def test_the_french_form_speaks_french(make_user, login_as):
    staff = make_user("staff", language="fr")
    client = a_client(staff)
    page = login_as(staff).post(f"/privacy/consents/clients/{client.id}", data={"purpose": "x", "given": "1"})
    assert page.status_code == 422
    assert "Choisissez une finalité." in page.get_data(as_text=True)


def test_read_only_users_see_the_states_but_record_nothing(staff, readonly, login_as):
    client = a_client(staff)
    reader = login_as(readonly)
    page = reader.get(f"/clients/{client.id}").get_data(as_text=True)
    assert "Research and funder statistics" in page and "Record a consent or a withdrawal" not in page
    assert reader.post(f"/privacy/consents/clients/{client.id}",
                       data={"purpose": "newsletters", "given": "1", "channel": "form"}).status_code == 403
    assert consents(client.id) == []


def test_unknown_people_and_entities_that_are_not_people_answer_404(staff_client):
    assert staff_client.get("/privacy/consents/clients/999999").status_code == 404
    assert staff_client.get("/privacy/consents/partners/1").status_code == 404
    assert staff_client.get("/privacy/consents/nothing/1").status_code == 404


def test_the_panel_reads_the_consents_in_one_query(staff, staff_client):
    from sqlalchemy import event

    client = a_client(staff)
    statements = []

    def count(_conn, _cursor, statement, *_args):
        if "privacy_consents" in statement:
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        staff_client.get(f"/clients/{client.id}")
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 1


def test_partner_contacts_and_caller_profiles_have_the_panel_too(staff, staff_client):
    partner = records.create(entities().get("partner"), {"name": "Northern Works"}, staff)
    db.session.flush()
    contact = records.create(entities().get("contact"), {"first_name": "Ana", "last_name": "Silva",
                                                         "partner_id": partner.id}, staff)
    profile = records.create(entities().get("caller_profile"), {"name": "Émile Noël"}, staff)
    db.session.commit()
    for path in (f"/contacts/{contact.id}", f"/caller-profiles/{profile.id}"):
        assert "Research and funder statistics" in staff_client.get(path).get_data(as_text=True), path
    assert "Research and funder statistics" not in staff_client.get(f"/partners/{partner.id}").get_data(as_text=True)
