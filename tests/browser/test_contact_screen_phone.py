"""The contact centre on screen (issue 16 §3), in English and in French: the contact screen fits a
390 px phone in each tab; the Resources tab searches near the caller's community, with hours in
words and a distance said approximate when only the postal code's area is known; the Referrals tab
says SMS is not configured before sending and, after, that the SMS went to the log; the profile
step's search fills its own region."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import insert

from kernel import records
from kernel.db import db
from kernel.outbox import drain
from kernel.registry import entities
from kernel.testing import give_consent
from plugins.contactcenter import workflow
from plugins.directory import index
from plugins.directory.models import Agency, Resource, Site, schedules, service_at_location
from tests.browser.test_picker_server_matches import log_in

PHONE = {"width": 390, "height": 844}
WORDS = {
    "en": {"tabs": ("Caller details", "Resources", "Referrals", "Programmes"), "search": "Search",
           "hours": "Mon–Fri, 11 am–1 pm", "approximate": "distance approximate", "sms": "SMS is not configured",
           "send_sms": "Send SMS", "logged": "Written to the log: no SMS provider configured",
           "profile_search": "Name, phone number or e-mail"},
    "fr": {"tabs": ("Détails de l'appelant", "Ressources", "Orientations", "Programmes"), "search": "Rechercher",
           "hours": "lun. au ven., 11 h à 13 h", "approximate": "distance approximative",
           "sms": "Les SMS ne sont pas configurés", "send_sms": "Envoyer SMS",
           "logged": "Écrit dans le journal\u00a0: aucun fournisseur de SMS configuré",
           "profile_search": "Nom, numéro de téléphone ou e-mail"},
}


def food_bank():
    agency = Agency(name="Qajaq Community Pantry Society")
    db.session.add(agency)
    db.session.flush()
    resource = Resource(name="Iqaluit food bank", name_fr="Banque alimentaire d'Iqaluit", organization_id=agency.id,
                        description="Grocery hampers for families, once a week, with country food when available.")
    site = Site(name="Pantry", address_1="1412 Niaqunngusiariaq Road", city="Iqaluit", postal_code="X0A 0H0",
                latitude=63.7467, longitude=-68.5170)
    db.session.add_all([resource, site])
    db.session.flush()
    db.session.execute(insert(service_at_location).values(service_id=resource.id, location_id=site.id))
    db.session.execute(insert(schedules).values(service_id=resource.id, byday="MO,TU,WE,TH,FR",
                                                opens_at="11:00", closes_at="13:00"))
    index.rebuild([resource.id])
    return resource


@pytest.fixture
def phone(browser, live_app, live_server, live_user):
    opened = []

    def open_as(language):
        email = f"agent-{language}@example.org"
        agent = live_user("staff", email=email, language=language)
        with live_app.app_context():
            resource = food_bank()
            profile = records.create(entities().get("caller_profile"), {
                "name": "Aputi Kilabuk", "phone": "867-979-5555", "postal_code": "X0A 9Z9",
                "preferred_language": language}, agent)
            contact = workflow.start_contact(agent, channel="phone", line=None, caller_number="867-979-5555", agent=agent)
            workflow.choose_profile(contact, profile, agent)
            give_consent("caller_profile", profile.id, "sms_referrals", user=agent)
            db.session.commit()
            workflow.refer(contact, resource.id, agent)
            db.session.commit()
            unknown = workflow.start_contact(agent, channel="phone", line=None, caller_number="867-979-5555", agent=agent)
            db.session.commit()
            ids = contact.id, unknown.id
            db.session.remove()
        context = browser.new_context(viewport=PHONE, locale="fr-CA" if language == "fr" else "en-CA")
        context.set_default_timeout(15_000)
        opened.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        log_in(page, live_server, email, language)
        return page, ids

    yield open_as
    for context in opened:
        context.close()


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_contact_screen_fits_a_phone_and_tells_the_truth(phone, live_app, live_server, language):
    page, (contact_id, unknown_id) = phone(language)
    words = WORDS[language]
    page.goto(f"{live_server}/contactcenter/contacts/{contact_id}")
    for tab in words["tabs"]:
        page.get_by_role("tab", name=tab).click()
        expect(page.get_by_role("tabpanel")).to_be_visible()
        assert page_width(page) <= PHONE["width"], tab

    page.get_by_role("tab", name=words["tabs"][1]).click()
    panel = page.get_by_role("tabpanel")
    panel.get_by_role("button", name=words["search"]).click()
    card = page.locator("#contact-resource-results .resource-card").first
    expect(card).to_contain_text(words["hours"])
    expect(card).to_contain_text(words["approximate"])
    assert page_width(page) <= PHONE["width"]

    page.get_by_role("tab", name=words["tabs"][2]).click()
    referrals = page.get_by_role("tabpanel")
    expect(referrals).to_contain_text(words["sms"])
    referrals.get_by_role("button", name=words["send_sms"]).click()
    expect(page.locator(".delivery-status")).to_be_visible()
    with live_app.app_context():
        assert drain().sent == 1  # what the worker does
        db.session.remove()
    page.reload()
    expect(page.locator(".delivery-status")).to_have_text(words["logged"])
    assert page_width(page) <= PHONE["width"]

    page.goto(f"{live_server}/contactcenter/contacts/{unknown_id}")
    expect(page.locator("#profile-candidates")).to_contain_text("Aputi Kilabuk")
    page.get_by_label(words["profile_search"]).fill("Kilabuc")
    expect(page.locator("#profile-results")).to_contain_text("Aputi Kilabuk")
    assert page_width(page) <= PHONE["width"]
    assert page.errors == []
