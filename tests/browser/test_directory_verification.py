"""The directory's verification cycle (issue 20) in a browser: the agency opens its verification form
from the link (no account) on a phone, in French and in English, and proposes a correction; a
resource manager reviews it side by side and accepts or rejects it field by field. No axe violation,
nothing wider than the phone."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from kernel import secure_links
from kernel.db import db, utcnow
from plugins.directory.models import Agency, Resource, Site, phones, service_at_location
from plugins.directory.verification.models import PURPOSE, VerificationProposal, VerificationRequest
from tests.browser.helpers import AXE, PHONE, axe_violations, fits_the_phone
from tests.conftest import TEST_PASSWORD

TIMEOUT = 15_000
WORDS = {
    "en": {"title": "Your listing in our resource directory", "fees": "Fees", "send": "Send my corrections",
           "done": "your proposed changes were received", "other": "Français",
           "other_title": "Votre inscription dans notre répertoire des ressources",
           "bad_phone": "Enter a valid phone number", "monday": "Mon", "postal": "Postal code"},
    "fr": {"title": "Votre inscription dans notre répertoire des ressources", "fees": "Frais",
           "send": "Envoyer mes corrections", "done": "vos corrections ont bien été reçues", "other": "English",
           "other_title": "Your listing in our resource directory",
           "bad_phone": "numéro de téléphone valide", "monday": "lun.", "postal": "Code postal"},
}


def verification_link(language: str) -> tuple[str, int]:
    """A stale agency with one service, asked to verify: the path of its link and the service's id."""
    long_ago = utcnow() - timedelta(days=500)
    agency = Agency(name="Community Help Network", email="intake@help.example.org", created_at=long_ago)
    db.session.add(agency)
    db.session.flush()
    service = Resource(name="Night shelter", name_fr="Refuge de nuit", organization_id=agency.id,
                       fees_description="Free", eligibility_description="Adults", created_at=long_ago)
    db.session.add(service)
    db.session.flush()
    site = Site(name="Main office", address_1="12 Lake Road", city="Iqaluit", postal_code="X0A 0H0",
                location_type="physical", organization_id=agency.id)
    db.session.add(site)
    db.session.flush()
    db.session.execute(service_at_location.insert(), [{"service_id": service.id, "location_id": site.id}])
    db.session.execute(phones.insert(), [{"service_id": service.id, "number": "867-979-1234", "type": "voice"}])
    token = secure_links.issue(PURPOSE, entity="agency", record_id=agency.id, days=30, language=language,
                               email=agency.email)
    db.session.flush()
    db.session.add(VerificationRequest(organization_id=agency.id, email=agency.email, language=language,
                                       sent_at=utcnow(), reminders_sent=0,
                                       link_id=secure_links.links_for("agency", agency.id)[0].id))
    db.session.commit()
    return f"/directory/verification/{token}", service.id


def phone_page(browser, language):
    context = browser.new_context(viewport=PHONE, locale="en-CA" if language == "fr" else "fr-CA")
    context.set_default_timeout(TIMEOUT)
    if AXE.is_file():
        context.add_init_script(path=str(AXE))
    return context, context.new_page()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_agency_proposes_a_correction_on_a_phone(browser, live_app, live_server, language):
    words = WORDS[language]
    with live_app.app_context():
        path, service_id = verification_link(language)
        db.session.remove()
    context, page = phone_page(browser, language)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{live_server}{path}")  # the browser prefers the other language: the link's wins
        expect(page.get_by_role("heading", level=1)).to_have_text(words["title"])
        expect(page.get_by_text("Adults")).to_be_visible()
        assert axe_violations(page) == [] and fits_the_phone(page)
        page.locator(f"#resource-{service_id}-fees_description").fill("5 $")
        page.locator(f"#s{service_id}-phone-0-number").fill("12")  # refused, then corrected
        page.get_by_role("button", name=words["send"]).click()
        expect(page.locator(f"#s{service_id}-phone-0-number-error")).to_contain_text(words["bad_phone"])
        expect(page.locator(f"#resource-{service_id}-fees_description")).to_have_value("5 $")
        assert axe_violations(page) == [] and fits_the_phone(page)
        page.locator(f"#s{service_id}-phone-0-number").fill("867-979-5555")
        page.locator(f"#s{service_id}-phone-1-number").fill("867-979-6666")
        page.locator(f"#s{service_id}-phone-1-type").select_option("fax")
        page.get_by_role("checkbox", name=words["monday"]).first.check()
        page.locator(f"#s{service_id}-hours-0-opens").fill("09:00")
        page.locator(f"#s{service_id}-hours-0-closes").fill("12:00")
        page.get_by_label(words["postal"]).fill("X0A 0H1")
        page.get_by_role("button", name=words["send"]).click()
        expect(page.locator("#verification-done")).to_contain_text(words["done"])
        assert axe_violations(page) == [] and fits_the_phone(page)
        page.get_by_role("link", name=words["other"]).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(words["other_title"])
        assert axe_violations(page) == [] and fits_the_phone(page)
        assert errors == []
    finally:
        context.close()
    with live_app.app_context():
        proposal = db.session.scalar(select(VerificationProposal))
        changes = dict(proposal.changes)
        assert changes.pop("fees_description") == "5 $"
        assert [(row["number"], row["type"]) for row in changes.pop("phones")] == [
            ("(867) 979-5555", "voice"), ("(867) 979-6666", "fax")]
        assert [(row["days"], row["opens"], row["closes"]) for row in changes.pop("hours")] == [
            (["MO"], "09:00", "12:00")]
        assert list(changes.values()) == ["X0A 0H1"]
        assert db.session.get(Resource, service_id).fees_description == "Free"
        db.session.remove()


def log_in(page, live_server, email):
    page.goto(f"{live_server}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/login"), timeout=TIMEOUT)


def test_a_manager_reviews_a_proposal_side_by_side(browser, live_app, live_server, live_user):
    with live_app.app_context():
        _path, service_id = verification_link("en")
        request = db.session.scalar(select(VerificationRequest))
        proposal = VerificationProposal(request_id=request.id, organization_id=request.organization_id,
                                        entity="resource", record_id=service_id,
                                        changes={"fees_description": "5 $", "eligibility_description": "Everyone",
                                                 "phones": [{"id": "", "number": "(867) 979-7777", "extension": "",
                                                             "type": "voice", "description": ""}]},
                                        comment="New phone: 867-555-0100")
        db.session.add(proposal)
        db.session.commit()
        proposal_id = proposal.id
        db.session.remove()
    live_user("staff", email="manager@example.org", language="en")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT)
    if AXE.is_file():
        context.add_init_script(path=str(AXE))
    page = context.new_page()
    try:
        log_in(page, live_server, "manager@example.org")
        page.goto(f"{live_server}/directory/maintenance?which=proposals")
        assert axe_violations(page) == []
        page.get_by_role("link", name=re.compile("Review")).first.click()
        expect(page).to_have_url(re.compile(rf"/directory/maintenance/proposals/{proposal_id}$"))
        row = page.locator("tr", has=page.get_by_role("rowheader", name="Fees"))
        expect(row.locator(".current-value")).to_have_text("Free")
        expect(row.locator(".proposed-value")).to_have_text("5 $")
        assert axe_violations(page) == []
        row.get_by_label("Accept").check()
        page.locator("tr", has=page.get_by_role("rowheader", name="Eligibility")).get_by_label("Reject").check()
        phones_row = page.locator("tr", has=page.get_by_role("rowheader", name="Phones"))
        expect(phones_row.locator(".current-value")).to_contain_text("867-979-1234")
        expect(phones_row.locator(".proposed-value")).to_contain_text("(867) 979-7777")
        phones_row.get_by_label("Accept").check()
        page.get_by_role("button", name="Save the decisions").click()
        expect(page.get_by_text("Proposal reviewed")).to_be_visible()
    finally:
        context.close()
    with live_app.app_context():
        service = db.session.get(Resource, service_id)
        assert (service.fees_description, service.eligibility_description) == ("5 $", "Adults")
        assert service.last_verified_at is not None
        assert list(db.session.scalars(select(phones.c.number).where(phones.c.service_id == service_id))) == [
            "(867) 979-7777"]
        db.session.remove()
