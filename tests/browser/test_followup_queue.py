"""The agent's follow-up queue (issue 20): the agent opens their follow-ups, filters the overdue ones,
works one (the caller reached, the referral's outcome) and finds the queue without it; in English and
French, at desktop and phone width, with no axe violation on the queue and the follow-up."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from kernel.db import db, utcnow
from kernel.testing import give_consent
from plugins.contactcenter import workflow
from plugins.contactcenter.followups import service
from tests.browser.helpers import axe_violations, page_with_axe
from tests.browser.test_picker_server_matches import log_in
from tests.contactcenter.followup_helpers import withdraw_consent
from tests.contactcenter.helpers import make_profile, make_resource, make_term

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
WORDS = {
    "en": {"overdue": "Overdue", "reached": "Yes", "helped": "Did they get help?", "record": "Record the attempt",
           "done": "Attempt recorded.", "empty": "No follow-up to do."},
    "fr": {"overdue": "En retard", "reached": "Oui", "helped": "A-t-elle reçu de l’aide\u00a0?",
           "record": "Enregistrer la tentative", "done": "Tentative enregistrée.", "empty": "Aucun suivi à faire."},
}


def overdue_followup(live_app, agent, reason):
    with live_app.app_context():
        food = make_term(f"food-{reason}", "Food pantries", "Banques alimentaires")
        contact = workflow.start_contact(agent, channel="phone", line=None, caller_number="867-979-5555", agent=None)
        profile = make_profile(agent, name=f"Caller {reason}", phone="867-979-5555")
        give_consent("caller_profile", profile.id, "follow_up_calls", user=agent)
        workflow.choose_profile(contact, profile, agent)
        workflow.refer(contact, make_resource("Food bank", food, "Banque alimentaire").id, agent)
        workflow.force_close(contact, agent, "test")
        service.schedule(contact, agent, due_at=utcnow() - timedelta(days=1), channel="phone", reason=reason,
                         consent=True)
        db.session.commit()
        contact_id = contact.id
        db.session.remove()
    return contact_id


@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_agent_works_a_follow_up_from_the_queue(browser, live_app, live_server, live_user, language, size):
    words = WORDS[language]
    email = f"followup-{language}-{size}@example.org"
    agent = live_user("staff", email=email, language=language, workspace="contact_centre")
    reason = f"Food bank {language} {size}"
    overdue_followup(live_app, agent, reason)
    context, page, errors = page_with_axe(browser, SIZES[size], "fr-CA" if language == "fr" else "en-CA")
    try:
        log_in(page, live_server, email, language)
        page.goto(f"{live_server}/contactcenter/followups?which=mine")
        page.get_by_role("link", name=words["overdue"]).click()
        row = page.get_by_role("row").filter(has_text=reason)
        expect(row).to_be_visible()
        assert axe_violations(page) == []
        row.get_by_role("link").first.click()
        page.get_by_role("radio", name=words["reached"]).check()
        page.get_by_label(words["helped"]).select_option("yes")
        assert axe_violations(page) == []
        page.get_by_role("button", name=words["record"]).click()
        expect(page.get_by_text(words["done"])).to_be_visible()
        page.goto(f"{live_server}/contactcenter/followups?which=mine")
        expect(page.get_by_text(reason)).to_have_count(0)
        assert errors == []
    finally:
        context.close()


EDIT_WORDS = {
    "en": {"change": "Change the follow-up", "why": "Why", "save": "Save the follow-up", "changed": "Follow-up changed.",
           "cancel": "Cancel the follow-up", "cancel_why": "Why is it cancelled?", "cancelled": "Follow-up cancelled."},
    "fr": {"change": "Modifier le suivi", "why": "Pourquoi", "save": "Enregistrer le suivi", "changed": "Suivi modifié.",
           "cancel": "Annuler le suivi", "cancel_why": "Pourquoi est-il annulé\u00a0?", "cancelled": "Suivi annulé."},
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_agent_changes_then_cancels_a_follow_up(browser, live_app, live_server, live_user, language):
    words = EDIT_WORDS[language]
    email = f"followup-edit-{language}@example.org"
    agent = live_user("staff", email=email, language=language, workspace="contact_centre")
    reason = f"Housing {language}"
    contact_id = overdue_followup(live_app, agent, reason)
    context, page, errors = page_with_axe(browser, SIZES["phone"], "fr-CA" if language == "fr" else "en-CA")
    try:
        log_in(page, live_server, email, language)
        page.goto(f"{live_server}/contactcenter/contacts/{contact_id}/followups/new")
        expect(page.locator("[data-followup-consent=given]")).to_be_visible()
        assert axe_violations(page) == []
        page.goto(f"{live_server}/contactcenter/followups?which=all")
        page.get_by_role("row").filter(has_text=reason).get_by_role("link").first.click()
        page.get_by_role("link", name=words["change"]).click()
        expect(page.get_by_label(words["why"], exact=True)).to_be_visible()  # the change form, loaded
        assert axe_violations(page) == []
        page.get_by_label(words["why"], exact=True).fill(f"{reason}, changed")
        page.get_by_role("button", name=words["save"]).click()
        expect(page.get_by_text(words["changed"])).to_be_visible()
        expect(page.get_by_text(f"{reason}, changed").first).to_be_visible()
        page.locator("summary", has_text=words["cancel"]).click()
        page.get_by_label(words["cancel_why"]).fill("Moved away")
        assert axe_violations(page) == []
        page.locator("form[action$='/cancel'] button[type=submit]").click()
        expect(page.get_by_text(words["cancelled"])).to_be_visible()
        page.goto(f"{live_server}/contactcenter/followups?which=all")
        expect(page.get_by_text(reason)).to_have_count(0)
        with live_app.app_context():
            from plugins.contactcenter.models import Contact

            withdraw_consent(db.session.get(Contact, contact_id).profile_id, None)
            db.session.remove()
        page.goto(f"{live_server}/contactcenter/contacts/{contact_id}/followups/new")
        expect(page.locator("[data-followup-consent=missing]")).to_be_visible()
        page.locator("[data-consent-slot] summary").click()
        expect(page.locator("[data-consent-purpose=follow_up_calls]")).to_be_visible()
        assert axe_violations(page) == []
        assert errors == []
    finally:
        context.close()
