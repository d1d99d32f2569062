"""Issue 20, structured proposals: on its verification form an agency proposes its services' phones,
weekly hours, languages and its places' address, postal code and community (the resource form's
inputs and checks); a resource manager accepts or rejects each one beside the current value, and an
accepted one is written through the normal save path (in the record's history)."""

import re

import pytest
from sqlalchemy import insert, select

from kernel.db import db, utcnow
from kernel.history import RecordChange
from kernel.outbox import OutboxMessage
from kernel.secure_links import SecureLink
from plugins.directory.models import Site, languages, phones, schedules, service_at_location
from plugins.directory.verification import job
from plugins.directory.verification.models import VerificationProposal, VerificationRequest
from tests.directory.verification_helpers import agency_with_services, services_of


@pytest.fixture
def asked(app):
    """An agency with one stale service: a phone, Monday–Friday hours, English, one place; its link."""
    agency = agency_with_services(services=1)
    service = services_of(agency)[0]
    site = Site(name="Main office", address_1="12 Lake Road", city="Iqaluit", postal_code="X0A 0H0",
                location_type="physical", organization_id=agency.id)
    db.session.add(site)
    db.session.flush()
    db.session.execute(insert(service_at_location), [{"service_id": service.id, "location_id": site.id}])
    db.session.execute(insert(phones), [{"service_id": service.id, "number": "867-979-1234", "type": "voice"}])
    db.session.execute(insert(schedules), [{"service_id": service.id, "freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR",
                                            "opens_at": "09:00:00", "closes_at": "17:00:00"}])
    db.session.execute(insert(languages), [{"service_id": service.id, "code": "en", "name": "English"}])
    db.session.commit()
    assert job.run()["sent"] == 1
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    path = re.search(r"http://[^\s]+(/directory/verification/[^\s]+)", message.body).group(1)
    return agency, service, site, path


def unchanged_form(service, site) -> dict:
    """What the form sends when nothing is touched (the inputs' current values)."""
    p = f"s{service.id}-"
    return {"answer": "propose", f"{p}section": ["phones", "hours", "languages"],
            f"{p}phone-0-id": "1", f"{p}phone-0-number": "867-979-1234", f"{p}phone-0-type": "voice",
            f"{p}hours-0-days": ["MO", "TU", "WE", "TH", "FR"], f"{p}hours-0-opens": "09:00",
            f"{p}hours-0-closes": "17:00", f"{p}languages": ["en"],
            f"site-{site.id}-address_1": site.address_1, f"site-{site.id}-postal_code": site.postal_code,
            f"site-{site.id}-city": site.city}


def test_the_form_shows_the_current_rows_as_inputs(app, asked):
    _agency, service, site, path = asked
    page = app.test_client().get(path).get_data(as_text=True)
    p = f"s{service.id}-"
    assert f'name="{p}phone-0-number"' in page and 'value="867-979-1234"' in page
    assert f'name="{p}hours-0-opens"' in page and 'value="09:00"' in page
    assert '<option value="en" selected>' in page
    assert f'name="site-{site.id}-postal_code"' in page and 'value="X0A 0H0"' in page
    assert "Autre chose à corriger\u00a0?" in page


def test_nothing_changed_confirms(app, asked):
    _agency, service, site, path = asked
    assert app.test_client().post(path, data=unchanged_form(service, site)).status_code == 302
    proposal = db.session.scalar(select(VerificationProposal))
    assert proposal is None, proposal.changes
    assert db.session.scalar(select(VerificationRequest)).outcome == "confirmed"


def test_structured_changes_are_proposed_per_field_not_applied(app, asked):
    _agency, service, site, path = asked
    p = f"s{service.id}-"
    form = unchanged_form(service, site) | {
        f"{p}phone-0-remove": "1", f"{p}phone-1-number": "8679795555", f"{p}phone-1-type": "text",
        f"{p}hours-0-closes": "16:30", f"{p}languages": ["en", "fr", "iu"],
        f"site-{site.id}-postal_code": "X0A 0H1", f"resource-{service.id}-comment": "We also open on Saturdays in summer"}
    assert app.test_client().post(path, data=form).status_code == 302
    db.session.expire_all()
    proposal = db.session.scalar(select(VerificationProposal))
    assert proposal.entity == "resource" and proposal.record_id == service.id
    assert [row["number"] for row in proposal.changes["phones"]] == ["(867) 979-5555"]
    assert proposal.changes["hours"][0]["closes"] == "16:30"
    assert sorted(proposal.changes["languages"]) == ["en", "fr", "iu"]
    assert proposal.changes[f"site-{site.id}-postal_code"] == "X0A 0H1"
    assert f"site-{site.id}-city" not in proposal.changes
    assert proposal.comment == "We also open on Saturdays in summer"
    assert db.session.scalar(select(phones.c.number).where(phones.c.service_id == service.id)) == "867-979-1234"
    assert db.session.get(Site, site.id).postal_code == "X0A 0H0"


@pytest.mark.parametrize("language, message", [("en", "Enter a valid phone number"),
                                               ("fr", "numéro de téléphone valide")])
def test_bad_rows_are_refused_with_translated_errors_keeping_what_was_typed(app, asked, language, message):
    _agency, service, site, path = asked
    db.session.scalar(select(SecureLink)).language = language  # the link's language is the form's
    db.session.commit()
    p = f"s{service.id}-"
    client = app.test_client()
    form = unchanged_form(service, site) | {
        f"{p}phone-1-number": "12", f"{p}hours-1-days": ["SA"], f"{p}hours-1-opens": "18:00",
        f"{p}hours-1-closes": "10:00", f"{p}languages": ["en", "zz-nope"],
        f"site-{site.id}-city": "Pangnirtung", f"resource-{service.id}-fees_description": "Two dollars"}
    answer = client.post(path, data=form)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert message in page, page[:3000]
    assert 'value="12"' in page and 'value="18:00"' in page and 'value="Pangnirtung"' in page
    assert "Two dollars" in page
    assert db.session.scalar(select(VerificationProposal)) is None
    assert db.session.scalar(select(VerificationRequest)).answered_at is None


def test_accepting_one_structured_field_and_rejecting_another(app, asked, staff_client, staff):
    _agency, service, site, path = asked
    p = f"s{service.id}-"
    form = unchanged_form(service, site) | {
        f"{p}phone-0-number": "867-979-7777", f"{p}languages": ["en", "fr"],
        f"{p}hours-0-closes": "16:00", f"site-{site.id}-city": "Apex", f"site-{site.id}-postal_code": "X0A 0H2"}
    assert app.test_client().post(path, data=form).status_code == 302
    proposal = db.session.scalar(select(VerificationProposal))
    review = staff_client.get(f"/directory/maintenance/proposals/{proposal.id}").get_data(as_text=True)
    assert "867-979-1234" in review and "(867) 979-7777" in review
    assert "English, French" in review or "English, French".lower() in review.lower()
    assert "Apex" in review and "Iqaluit" in review
    answer = staff_client.post(f"/directory/maintenance/proposals/{proposal.id}", data={
        "decision-phones": "accepted", "decision-languages": "rejected", "decision-hours": "accepted",
        f"decision-site-{site.id}-city": "accepted", f"decision-site-{site.id}-postal_code": "rejected"})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
    db.session.expire_all()
    assert list(db.session.scalars(select(phones.c.number).where(phones.c.service_id == service.id))) == [
        "(867) 979-7777"]
    assert list(db.session.scalars(select(languages.c.code).where(languages.c.service_id == service.id))) == ["en"]
    assert db.session.scalar(select(schedules.c.closes_at).where(schedules.c.service_id == service.id)) == "16:00:00"
    site = db.session.get(Site, site.id)
    assert (site.city, site.postal_code) == ("Apex", "X0A 0H0")
    service_history = set(db.session.scalars(select(RecordChange.field).where(
        RecordChange.entity == "resource", RecordChange.record_id == service.id)))
    assert {"phones", "hours", "last_verified_at"} <= service_history and "languages" not in service_history
    site_history = set(db.session.scalars(select(RecordChange.field).where(
        RecordChange.entity == "resource_location", RecordChange.record_id == site.id)))
    assert "city" in site_history and "postal_code" not in site_history
    reviewed = db.session.get(VerificationProposal, proposal.id)
    assert reviewed.status == "reviewed" and reviewed.decisions["languages"] == "rejected"
    page = staff_client.get(f"/directory/maintenance/proposals/{proposal.id}").get_data(as_text=True)
    assert "Value accepted" in page and "Value rejected" in page


def test_every_structured_field_needs_a_decision(app, asked, staff_client):
    _agency, service, site, path = asked
    form = unchanged_form(service, site) | {f"s{service.id}-languages": ["fr"]}
    app.test_client().post(path, data=form)
    proposal = db.session.scalar(select(VerificationProposal))
    assert staff_client.post(f"/directory/maintenance/proposals/{proposal.id}", data={
        "decision-languages": "maybe"}).status_code == 422
    db.session.expire_all()
    assert db.session.get(VerificationProposal, proposal.id).status == "pending"


def test_a_place_gone_since_the_proposal_is_refused_cleanly(app, asked, staff_client):
    _agency, service, site, path = asked
    app.test_client().post(path, data=unchanged_form(service, site) | {f"site-{site.id}-city": "Apex"})
    proposal = db.session.scalar(select(VerificationProposal))
    db.session.get(Site, site.id).deleted_at = utcnow()
    db.session.commit()
    page = staff_client.get(f"/directory/maintenance/proposals/{proposal.id}")
    assert page.status_code == 200
    answer = staff_client.post(f"/directory/maintenance/proposals/{proposal.id}",
                               data={f"decision-site-{site.id}-city": "accepted"})
    assert answer.status_code == 422


def _statements_for(client, path) -> int:
    from sqlalchemy import event

    sent = []

    def record(*_args):
        sent.append(1)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(sent)


def asked_with_services(number: int) -> tuple[list, str]:
    """An agency of ``number`` services, each with a phone and a language, asked to verify them:
    (its services, its form's path)."""
    agency = agency_with_services(f"Agency {number}", f"a{number}@example.org", services=number)
    services = services_of(agency)
    for service in services:
        db.session.execute(insert(phones), [{"service_id": service.id, "number": "867-979-1234"}])
        db.session.execute(insert(languages), [{"service_id": service.id, "code": "fr", "name": "French"}])
    db.session.commit()
    job.run()
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    return services, re.search(r"http://[^\s]+(/directory/verification/[^\s]+)", message.body).group(1)


def test_the_form_reads_the_same_number_of_statements_whatever_the_services(app):
    counts = []
    for number in (1, 4):
        _services, path = asked_with_services(number)
        client = app.test_client()
        client.get(path)  # the first opening writes; count the next
        counts.append(_statements_for(client, path))
    assert counts[0] == counts[1], counts


def _selects_for_post(client, path, data) -> tuple[int, int]:
    """(status, SELECT statements) of one answer of the form."""
    from sqlalchemy import event

    sent = []

    def record(_connection, _cursor, statement, *_args):
        sent.append(statement.lstrip().upper().startswith("SELECT"))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        status = client.post(path, data=data).status_code
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return status, sum(sent)


def _structured_answer(services, opens: str) -> dict:
    form = {"answer": "propose"}
    for service in services:
        p = f"s{service.id}-"
        form |= {f"{p}section": ["phones", "hours", "languages"], f"{p}phone-0-number": "867-979-1234",
                 f"{p}phone-0-type": "voice", f"{p}hours-0-days": ["MO"], f"{p}hours-0-opens": opens,
                 f"{p}hours-0-closes": "17:00", f"{p}languages": ["fr"]}
    return form


@pytest.mark.parametrize("opens, status", [("25:99", 422), ("09:00", 302)])
def test_an_answer_reads_the_same_number_of_statements_whatever_the_services(app, opens, status):
    """Refused (shown again with what was typed) or taken: the services' current phones, hours and
    languages are read for all of them at once, not service by service."""
    counts = []
    for number in (1, 4):
        services, path = asked_with_services(number)
        client = app.test_client()
        client.get(path)  # the first opening writes; count an answer
        answered, selects = _selects_for_post(client, path, _structured_answer(services, opens))
        assert answered == status
        counts.append(selects)
    assert counts[0] == counts[1], counts


def test_hostile_values_give_a_form_error_never_a_500(app, asked):
    _agency, service, site, path = asked
    p = f"s{service.id}-"
    client = app.test_client()
    for value in ("\x00", "x" * 5000, "=1+1", "9" * 400):
        form = unchanged_form(service, site) | {
            f"{p}phone-0-number": value, f"{p}phone-0-type": value, f"{p}hours-0-opens": value,
            f"{p}hours-0-days": [value], f"{p}languages": [value], f"site-{site.id}-city": value,
            f"{p}phone-0-id": value, "site-999999-city": value, f"{p}phone-99999-number": value}
        answer = client.post(path, data=form)
        assert answer.status_code in (302, 400, 422), (value[:10], answer.status_code)
    assert db.session.scalar(select(VerificationRequest)).answered_at is None
