"""An agent answers a text (issue 20, channels): an SMS from a caller opens a text contact, to which
the dashboard's waiting list takes the agent; the agent sees the conversation at the profile step, chooses the caller's profile found by the number, replies
from the contact screen, sees the reply's state, then the caller's answer appear in the same thread without reloading; in
English and French, at desktop and phone width, with no axe violation on the screen."""

import re

import pytest
from playwright.sync_api import expect

from kernel import records
from kernel.db import db, utcnow
from kernel.inbound_sms import InboundSms, receive_sms
from kernel.outbox import drain
from kernel.registry import entities
from kernel.testing import give_consent
from tests.browser.helpers import AXE, axe_violations, page_with_axe
from tests.browser.test_picker_server_matches import log_in

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
WORDS = {
    "en": {"thread": "Conversation by SMS", "reply": "Reply by SMS", "send": "Send the reply",
           "logged": "Written to the log: no SMS provider configured"},
    "fr": {"thread": "Conversation par SMS", "reply": "Répondre par SMS", "send": "Envoyer la réponse",
           "logged": "Écrit dans le journal\u00a0: aucun fournisseur de SMS configuré"},
}


def text_in(live_app, body, sid):
    with live_app.app_context():
        receive_sms(InboundSms("+1 867 979 4444", "+18675550000", body, utcnow(), sid))
        db.session.commit()
        db.session.remove()


@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_agent_answers_a_text(browser, live_app, live_server, live_user, language, size):
    words = WORDS[language]
    email = f"texter-{language}-{size}@example.org"
    agent = live_user("staff", email=email, language=language, workspace="contact_centre")  # an agent
    with live_app.app_context():
        profile = records.create(entities().get("caller_profile"), {"name": "Aputi Kilabuk", "phone": "867-979-4444"},
                                 agent)
        give_consent("caller_profile", profile.id, "service_delivery", user=agent)
        db.session.commit()
        db.session.remove()
    context, page, errors = page_with_axe(browser, SIZES[size], "fr-CA" if language == "fr" else "en-CA")
    try:
        log_in(page, live_server, email, language)
        text_in(live_app, "Is the shelter open tonight?", f"SM-{language}-{size}-1")
        # the dashboard's waiting list takes the agent to the new text contact, as it does for a call
        page.wait_for_url(re.compile(r"/contactcenter/contacts/\d+"))
        thread = page.locator(".text-thread")
        expect(thread.get_by_role("heading", name=words["thread"])).to_be_visible()
        expect(thread).to_contain_text("Is the shelter open tonight?")
        page.locator("#profile-candidates").get_by_role("button", name="Aputi Kilabuk").click()

        expect(page.locator(".text-thread")).to_contain_text("Is the shelter open tonight?")
        page.get_by_label(words["reply"]).fill("Yes, from 8 pm at 1412 Niaqunngusiariaq Road.")
        page.get_by_role("button", name=words["send"]).click()
        reply = page.locator(".text-message.text-out")
        expect(reply).to_contain_text("Yes, from 8 pm")
        expect(reply.locator(".text-state")).to_be_visible()
        with live_app.app_context():
            assert drain().sent == 1  # what the worker does
            db.session.remove()
        text_in(live_app, "Thank you!", f"SM-{language}-{size}-2")
        # no reload: the screen asks for new messages every few seconds
        expect(page.locator(".text-message.text-in").last).to_contain_text("Thank you!", timeout=15_000)
        expect(page.locator(".text-message.text-out .text-state")).to_have_text(words["logged"])
        assert page.locator(".text-message").count() == 3
        assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
        if AXE.is_file():
            assert axe_violations(page) == []
        assert errors == []
    finally:
        context.close()
