"""Consent on the referral screen, in a real browser, in English and in French: the agent sees
that the caller has not consented to referrals by SMS, sending is refused with a clear message
and nothing is queued, the agent records the caller's verbal consent in two clicks (open, confirm)
and the SMS then leaves."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from kernel import records
from kernel.db import db
from kernel.outbox import OutboxMessage
from kernel.registry import entities
from plugins.contactcenter import workflow
from plugins.directory.models import Agency, Resource
from tests.browser.test_picker_server_matches import log_in

WORDS = {
    "en": {"tab": "Referrals", "send": "Send SMS", "open": "Record a verbal consent given on this call",
           "consents": "The caller consents: Referrals by SMS", "refused": "no current consent to “Referrals by SMS”",
           "recorded": "Consent to “Referrals by SMS” recorded.", "not_asked": "Not asked", "given": "Consented"},
    "fr": {"tab": "Orientations", "send": "Envoyer SMS",
           "open": "Enregistrer un consentement verbal donné pendant cet appel",
           "consents": "La personne consent\u00a0: Orientations par SMS",
           "refused": "pas de consentement en vigueur pour «\u00a0Orientations par SMS\u00a0»",
           "recorded": "Consentement à «\u00a0Orientations par SMS\u00a0» enregistré.", "not_asked": "Non demandé",
           "given": "Consentement donné"},
}


def referred_caller(live_app, agent) -> int:
    with live_app.app_context():
        agency = Agency(name="Qajaq Community Pantry Society")
        db.session.add(agency)
        db.session.flush()
        resource = Resource(name="Iqaluit food bank", name_fr="Banque alimentaire d'Iqaluit", organization_id=agency.id)
        db.session.add(resource)
        profile = records.create(entities().get("caller_profile"), {"name": "Aputi Kilabuk", "phone": "867-979-5555"},
                                 agent)
        contact = workflow.start_contact(agent, channel="phone", line=None, caller_number="867-979-5555", agent=agent)
        workflow.choose_profile(contact, profile, agent)
        db.session.flush()
        workflow.refer(contact, resource.id, agent)
        db.session.commit()
        contact_id = contact.id
        db.session.remove()
    return contact_id


def queued(live_app) -> int:
    with live_app.app_context():
        count = db.session.scalar(select(func.count()).select_from(OutboxMessage))
        db.session.remove()
    return count


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_agent_records_a_verbal_consent_in_two_clicks_and_the_sms_leaves(browser, live_app, live_server,
                                                                             live_user, language):
    words = WORDS[language]
    email = f"agent-consent-{language}@example.org"
    agent = live_user("staff", email=email, language=language)
    contact_id = referred_caller(live_app, agent)
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  locale="fr-CA" if language == "fr" else "en-CA")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        log_in(page, live_server, email, language)
        page.goto(f"{live_server}/contactcenter/contacts/{contact_id}?tab=referrals")
        panel = page.locator("#panel-referrals")
        sms_state = panel.locator('[data-consent-slot] li[data-purpose="sms_referrals"]')
        expect(sms_state).to_contain_text(words["not_asked"])

        # Without consent, sending is refused with the reason, and nothing is queued.
        panel.get_by_role("button", name=words["send"]).click()
        expect(page.locator(".flash-error")).to_contain_text(words["refused"])
        assert queued(live_app) == 0

        # Two clicks: open, then the caller's yes.
        panel = page.locator("#panel-referrals")
        panel.get_by_text(words["open"]).click()
        panel.get_by_role("button", name=words["consents"]).click()
        expect(page.locator(".flash-success")).to_contain_text(words["recorded"])
        expect(page.get_by_role("tab", name=words["tab"])).to_have_attribute("aria-selected", "true")
        expect(page.locator('#panel-referrals [data-consent-slot] li[data-purpose="sms_referrals"]')).to_contain_text(
            words["given"])

        page.locator("#panel-referrals").get_by_role("button", name=words["send"]).click()
        expect(page.locator("#panel-referrals .deliveries")).to_contain_text("SMS")
        assert queued(live_app) == 1
        assert errors == []
    finally:
        context.close()
