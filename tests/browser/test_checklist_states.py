"""The contact checklist's ⚠ and 🕒 (issue 16 §3), in a real browser, in English and in French: a
referral whose e-mail is still in the outbox shows ⚠; answering a required item (requester
served, a required postal code typed) shows 🕒 at once, clearing it brings back ✘, closing with
it unsaved is refused on the screen naming it, and saving turns it ✔."""

import pytest
from playwright.sync_api import expect

from kernel import records
from kernel.db import db
from kernel.registry import entities
from kernel.testing import give_consent
from plugins.contactcenter import messages, workflow
from plugins.contactcenter.models import ChecklistSettings, Contact
from plugins.directory.models import Agency, Resource
from tests.browser.helpers import press_shortcut
from tests.browser.test_picker_server_matches import log_in

WORDS = {
    "en": {"served": "Requester served", "postal_code": "Postal code", "close": "Close the contact", "saved": "Caller details saved.",
           "pending": "Pending: not saved yet", "missing": "Missing", "complete": "Complete",
           "queued": "Queued: not sent yet", "refused": "The contact is not closed: save what you entered first."},
    "fr": {"served": "Demandeur servi", "postal_code": "Code postal", "close": "Clore le contact",
           "saved": "Détails de l'appelant enregistrés.",
           "pending": "En attente\u00a0: pas encore enregistré", "missing": "Manquant", "complete": "Complet",
           "queued": "En file d'attente\u00a0: pas encore envoyé",
           "refused": "Le contact n'est pas clos\u00a0: enregistrez d'abord ce que vous avez saisi."},
}


def contact_with_a_queued_referral(live_app, agent) -> int:
    """An open contact whose referral's e-mail waits in the outbox (no worker runs here)."""
    with live_app.test_request_context():  # the e-mail's body is a template
        db.session.add(ChecklistSettings(require_tags=False, required_demographics=["postal_code"]))
        agency = Agency(name="Qajaq Community Pantry Society")
        db.session.add(agency)
        db.session.flush()
        resource = Resource(name="Iqaluit food bank", name_fr="Banque alimentaire d'Iqaluit", organization_id=agency.id)
        db.session.add(resource)
        profile = records.create(entities().get("caller_profile"), {
            "name": "Aputi Kilabuk", "phone": "867-979-5555", "email": "aputi@example.org"}, agent)
        contact = workflow.start_contact(agent, channel="phone", line=None, caller_number="867-979-5555", agent=agent)
        workflow.choose_profile(contact, profile, agent)
        give_consent("caller_profile", profile.id, "email_referrals", user=agent)
        db.session.flush()
        messages.send_by_email(workflow.refer(contact, resource.id, agent))
        db.session.commit()
        contact_id = contact.id
        db.session.remove()
    return contact_id


@pytest.mark.parametrize("language", ["en", "fr"])
def test_pending_and_attention_appear_when_they_apply(browser, live_app, live_server, live_user, language):
    words = WORDS[language]
    email = f"agent-{language}@example.org"
    agent = live_user("staff", email=email, language=language)
    contact_id = contact_with_a_queued_referral(live_app, agent)
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  locale="fr-CA" if language == "fr" else "en-CA")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    try:
        log_in(page, live_server, email, language)
        page.goto(f"{live_server}/contactcenter/contacts/{contact_id}")
        checklist = page.locator("#checklist")
        expect(checklist).to_be_visible()

        # The referral's e-mail is still queued: ⚠, saying so.
        delivery = checklist.locator('[data-check="delivery"]')
        expect(delivery).to_have_class("check check-attention")
        expect(delivery).to_contain_text("⚠")
        expect(delivery).to_contain_text(words["queued"])

        # The agent answers "requester served" without saving: 🕒 at once, with its words.
        served = checklist.locator('[data-check="requester_served"]')
        expect(served).to_have_class("check check-missing")
        details = page.locator("form.caller-details")
        details.get_by_label(words["served"]).select_option("yes")
        expect(served).to_have_class("check check-pending")
        expect(served.locator(".status-icon")).to_have_text("🕒")
        expect(served.locator(".status-icon")).to_have_attribute("title", words["pending"])
        expect(served.locator(".status-icon")).to_have_attribute("aria-label", words["pending"])
        expect(served.locator(".state")).to_have_text(words["pending"])

        # Cleared: back to ✘; answered again: 🕒.
        details.get_by_label(words["served"]).select_option("")
        expect(served).to_have_class("check check-missing")
        expect(served.locator(".state")).to_have_text(words["missing"])
        details.get_by_label(words["served"]).select_option("no")
        expect(served).to_have_class("check check-pending")

        # A required postal code typed: 🕒 as the agent types; erased: ✘.
        demographics = checklist.locator('[data-check="demographics"]')
        expect(demographics).to_have_class("check check-missing")
        postal_code = details.get_by_label(words["postal_code"], exact=True)
        postal_code.press_sequentially("X0A")
        expect(demographics).to_have_class("check check-pending")
        expect(demographics.locator(".detail")).to_be_hidden()  # "missing: postal code" no longer applies
        postal_code.fill("")
        expect(demographics).to_have_class("check check-missing")
        expect(demographics.locator(".detail")).to_be_visible()

        # Closing now would lose the answer: refused on the screen, naming the item; nothing is posted.
        page.get_by_role("button", name=words["close"]).click()
        refusal = page.locator("#pending-refusal")
        expect(refusal).to_be_visible()
        expect(refusal).to_contain_text(words["refused"])
        expect(refusal.locator(".pending-names")).to_have_text(words["served"])
        with live_app.app_context():
            assert db.session.get(Contact, contact_id).status == "open"
            db.session.remove()

        # Saved (Alt+S, the screen's shortcut): ✔, and the queued e-mail still needs attention.
        press_shortcut(page, "Alt+S")
        expect(page.locator(".flash-success")).to_contain_text(words["saved"])
        served = page.locator('#checklist [data-check="requester_served"]')
        expect(served).to_have_class("check check-complete")
        expect(served.locator(".status-icon")).to_have_text("✔")
        expect(served.locator(".state")).to_have_text(words["complete"])
        expect(page.locator('#checklist [data-check="delivery"]')).to_have_class("check check-attention")
        expect(page.locator("#pending-refusal")).to_be_hidden()

        # A change to a saved answer is pending again.
        page.locator("form.caller-details").get_by_label(words["served"]).select_option("yes")
        expect(served).to_have_class("check check-pending")
        with live_app.app_context():
            assert db.session.get(Contact, contact_id).requester_served == "no"
            db.session.remove()
        assert errors == []
    finally:
        context.close()
