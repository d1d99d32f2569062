"""Issue 20, automated verification: the worker e-mails each agency with stale records a secure link
(purpose directory_verification, 30 days) to its form; reminders (two at most); the agency confirms
("all correct": verified now, by the agency) or proposes changes (stored, not applied); response rates."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from kernel.db import db, utcnow
from kernel.outbox import OutboxMessage
from kernel.secure_links import SecureLink
from plugins.directory.models import Agency, Resource
from plugins.directory.verification import job
from plugins.directory.verification.maintenance import response_rates
from plugins.directory.verification.models import VerificationProposal, VerificationRequest
from tests.directory.verification_helpers import agency_with_services, services_of


def emails():
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def link_in(message) -> str:
    return re.search(r"http://[^\s]+(/directory/verification/[^\s]+)", message.body).group(1)


@pytest.fixture
def asked(app):
    """An agency with stale records, e-mailed by the worker's pass; its link's path."""
    agency = agency_with_services()
    assert job.run() == {"sent": 1, "reminded": 0}
    return agency, link_in(emails()[-1])


def test_the_worker_emails_only_agencies_with_stale_records_and_an_address(app):
    stale = agency_with_services()
    agency_with_services("Fresh", email="fresh@example.org", age=timedelta(days=20))
    agency_with_services("Verified", email="verified@example.org", verified_ago=timedelta(days=30))
    agency_with_services("No address", email=None)
    assert job.run()["sent"] == 1
    message = emails()[-1]
    assert message.recipient == stale.email and "Food Bank North" in message.body
    link = db.session.scalar(select(SecureLink))
    assert (link.purpose, link.entity, link.record_id) == ("directory_verification", "agency", stale.id)
    assert 29 <= (link.expires_at - utcnow()).days <= 30
    assert job.run()["sent"] == 0, "an open request is not sent again"


def test_the_email_and_the_form_are_in_the_agencys_language(app):
    app.config["DEFAULT_LANGUAGE"] = "en"
    agency_with_services()
    job.run()
    message = emails()[-1]
    assert "Please check your listing" in message.subject
    page = app.test_client().get(link_in(message)).get_data(as_text=True)
    assert 'lang="en"' in page and "Everything is correct" in page


def test_the_agencys_form_shows_its_current_records_in_french(app, asked):
    agency, path = asked
    page = app.test_client().get(path).get_data(as_text=True)
    assert 'lang="fr"' in page and "Food Bank North service 1" in page and "Food Bank North service 2" in page
    assert "Meals every day" in page and "Free" in page and "Anyone" in page
    request = db.session.scalar(select(VerificationRequest))
    assert request.opened_at is not None


def test_all_correct_verifies_every_record_by_the_agency(app, asked):
    agency, path = asked
    client = app.test_client()
    assert client.post(path, data={"answer": "confirm"}).status_code == 302
    db.session.expire_all()
    for record in [db.session.get(Agency, agency.id), *services_of(agency)]:
        assert record.last_verified_at is not None and record.last_verified_via == "agency"
        assert record.last_verified_by_id is None
    assert db.session.scalar(select(VerificationRequest)).outcome == "confirmed"
    assert 'id="verification-done"' in client.get(path).get_data(as_text=True)
    assert client.post(path, data={"answer": "confirm"}).status_code == 409


def test_proposed_changes_are_stored_not_applied(app, asked):
    agency, path = asked
    first, second = services_of(agency)
    answer = app.test_client().post(path, data={
        "answer": "propose", f"resource-{first.id}-fees_description": "5 $ per visit",
        f"resource-{first.id}-name": first.name, f"resource-{first.id}-comment": "New phone: 867-555-0100"})
    assert answer.status_code == 302
    db.session.expire_all()
    proposal = db.session.scalar(select(VerificationProposal))
    assert (proposal.entity, proposal.record_id, proposal.changes) == (
        "resource", first.id, {"fees_description": "5 $ per visit"})
    assert proposal.comment == "New phone: 867-555-0100" and proposal.status == "pending"
    assert db.session.get(Resource, first.id).fees_description == "Free"
    assert db.session.get(Resource, first.id).last_verified_at is None
    assert db.session.get(Resource, second.id).last_verified_via == "agency", "the unchanged ones are confirmed"
    assert db.session.scalar(select(VerificationRequest)).outcome == "changes"


def test_a_value_a_save_would_refuse_is_shown_again_with_its_message(app, asked):
    agency, path = asked
    answer = app.test_client().post(path, data={"answer": "propose", f"agency-{agency.id}-email": "not an address"})
    assert answer.status_code == 422 and "not an address" in answer.get_data(as_text=True)
    assert db.session.scalar(select(VerificationProposal)) is None


def test_a_bad_answer_or_token_is_refused_cleanly(app, asked):
    _agency, path = asked
    client = app.test_client()
    assert client.post(path, data={"answer": "whatever"}).status_code == 400
    assert client.get("/directory/verification/not-a-token").status_code == 404
    assert client.get("/directory/verification/" + "x" * 500).status_code == 404
    link = db.session.scalar(select(SecureLink))
    link.expires_at = utcnow() - timedelta(days=1)
    db.session.commit()
    assert client.get(path).status_code == 410


def test_reminders_after_the_delay_two_at_most_each_with_a_new_link(app, asked):
    _agency, first_path = asked
    request = db.session.scalar(select(VerificationRequest))
    assert job.run()["reminded"] == 0, "not before the delay"
    for expected in (1, 1, 0):
        request.sent_at = request.sent_at - timedelta(days=8)
        if request.last_reminder_at:
            request.last_reminder_at = request.last_reminder_at - timedelta(days=8)
        db.session.commit()
        assert job.run()["reminded"] == expected
        db.session.expire_all()
        request = db.session.scalar(select(VerificationRequest))
    assert request.reminders_sent == 2
    assert emails()[-1].subject.startswith("Rappel")  # in the agency's language (the default, French)
    assert app.test_client().get(first_path).status_code == 410, "the first link is withdrawn"
    assert app.test_client().get(link_in(emails()[-1])).status_code == 200


def test_response_rates_by_month(app, asked):
    _agency, path = asked
    agency_with_services("Second", email="second@example.org")
    agency_with_services("Third", email="third@example.org")
    job.run()
    app.test_client().post(path, data={"answer": "confirm"})
    [period] = response_rates()
    assert (period["sent"], period["opened"], period["confirmed"], period["changes"], period["no_answer"]) == (
        3, 1, 1, 0, 2)
    assert period["rate"] == 33


def test_the_report_page_and_the_dashboard_show_the_rate(app, asked, staff_client):
    _agency, path = asked
    app.test_client().post(path, data={"answer": "confirm"})
    page = staff_client.get("/directory/maintenance/responses").get_data(as_text=True)
    assert "100" in page and "Response rate" in page
