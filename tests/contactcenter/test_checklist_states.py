"""The closing checklist's ⚠ and 🕒 states (issue 16 §3). ⚠: a referral's message still in the
outbox (queued or leaving), failed, or written to the log needs attention, with what happened,
in English and in French; it turns ✔ once sent, and never stops the closing. 🕒 is the screen's
own (contactcenter.js, tests/browser/test_checklist_states.py): here, that every item the agent answers
on the screen names the form and inputs the script watches, and that the checklist is in view."""

import html
import re

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from kernel.db import db
from kernel.outbox import OutboxMessage, drain
from plugins.contactcenter import checklist as checks
from plugins.contactcenter import messages
from plugins.contactcenter.models import ChecklistSettings, Contact, Referral, Survey, SurveyQuestion
from tests.contactcenter.helpers import fresh, make_contact, make_profile, make_resource, make_term
from tests.contactcenter.test_closing import checklist_states, ready_contact


class Gateway:
    def send(self, to, body):
        return "SM42"


@pytest.fixture
def gateway(app):
    """A real SMS provider: a sent SMS reached the caller."""
    app.config["SMS_PROVIDER"] = "gateway"
    app.extensions["passerelle.sms_provider"] = Gateway()


def referred(user, client, contact=None):
    contact = contact or make_contact(user, profile=make_profile(user, email="emile@example.org"))
    resource = make_resource("Night shelter", make_term("BH-1800", "Shelter", "Hébergement"), name_fr="Refuge")
    client.post(f"/contactcenter/contacts/{contact.id}/referrals", data={"resource_id": resource.id})
    return contact, db.session.scalar(select(Referral))


def screen(client, contact, tab="referrals", language="en") -> str:
    return client.get(f"/contactcenter/contacts/{contact.id}?tab={tab}",
                      headers={"Accept-Language": language}).get_data(as_text=True)


def watched_inputs(page: str) -> dict:
    """``{item key: (form id, input names, "all" or "any", saved state)}`` of the items the screen watches."""
    watched = {}
    for attributes, key in re.findall(r'<li ([^>]*)class="check check-\w+" data-check="(\w+)">', page):
        found = dict(re.findall(r'data-([\w-]+)="([^"]*)"', attributes))
        if found:
            watched[key] = (found["form"], found["inputs"], found["answer"], found["saved-state"])
    return watched


def check_item(page: str, key: str) -> str:
    return re.search(rf'data-check="{key}">.*?</li>', page, re.S).group(0)


def test_a_queued_sms_needs_attention_until_it_is_sent(app, staff, staff_client, gateway):
    contact, referral = referred(staff, staff_client)
    assert "delivery" not in checklist_states(screen(staff_client, contact))  # nothing sent yet
    staff_client.post(f"/contactcenter/referrals/{referral.id}/sms")
    page = screen(staff_client, contact)
    assert checklist_states(page)["delivery"] == "attention"
    item = check_item(page, "delivery")
    assert "⚠" in item and "Queued: not sent yet" in item and "🕒" not in item
    assert "Queued: not sent yet" in page.split('class="delivery delivery-queued"')[1][:400]
    assert drain().sent == 1
    page = screen(staff_client, contact)
    assert checklist_states(page)["delivery"] == "complete"
    assert "✔" in check_item(page, "delivery") and "not sent yet" not in page


def test_a_queued_email_says_it_in_french(app, make_user, login_as):
    agent = make_user(language="fr")
    client = login_as(agent)
    contact, referral = referred(agent, client)
    client.post(f"/contactcenter/referrals/{referral.id}/email")
    item = check_item(screen(client, contact, language="fr"), "delivery")
    assert "⚠" in item and "Nécessite une attention" in item
    assert "En file d&#39;attente\u00a0: pas encore envoyé" in item


@pytest.mark.parametrize(("status", "provider_id", "smtp", "state", "said"), [
    ("queued", None, "", "attention", "Queued: not sent yet"),
    ("sending", None, "", "attention", "Sending: not sent yet"),
    ("failed", None, "", "missing", "Failed"),
    ("sent", "log-1", "", "attention", "Written to the log: no SMS provider configured"),
    ("sent", "SM42", "", "complete", "Sent"),
])
def test_each_sms_status_as_the_screen_shows_it(app, status, provider_id, smtp, state, said):
    app.config["SMTP_HOST"] = smtp
    message = OutboxMessage(channel="sms", recipient="+18679791234", body="…", status=status,
                            provider_message_id=provider_id)
    with app.test_request_context(), force_locale("en"):
        assert checks.message_state(message) == (state, said)


def test_an_email_sent_without_a_mail_server_needs_attention_and_with_one_is_complete(app):
    message = OutboxMessage(channel=messages.EMAIL, recipient="emile@example.org", body="…", status="sent")
    with app.test_request_context(), force_locale("en"):
        app.config["SMTP_HOST"] = ""
        assert checks.message_state(message)[0] == "attention"
        app.config["SMTP_HOST"] = "mail.example.org"
        assert checks.message_state(message) == ("complete", "Sent")


def test_the_delivery_item_is_attention_while_any_message_is_not_sent_and_never_blocks(app, staff, staff_client,
                                                                                      gateway):
    term = make_term("BH-1800.8500", "Emergency shelter")
    contact = ready_contact(staff, term, email="emile@example.org")
    contact, referral = referred(staff, staff_client, contact)
    staff_client.post(f"/contactcenter/referrals/{referral.id}/sms")
    staff_client.post(f"/contactcenter/referrals/{referral.id}/email")
    sms_id = fresh(Referral, referral.id).sms_message_id
    db.session.get(OutboxMessage, sms_id).status = "sent"
    db.session.commit()
    with app.test_request_context(), force_locale("en"):
        [item] = [item for item in checks.checklist(fresh(Contact, contact.id)) if item.key == "delivery"]
    assert (item.state, item.detail, item.blocking, item.stops_closing) == (
        "attention", "Queued: not sent yet", False, False)
    response = staff_client.post(f"/contactcenter/contacts/{contact.id}/close",
                                 data={"version": fresh(Contact, contact.id).version})
    assert response.status_code == 302 and fresh(Contact, contact.id).status == "closed"


def test_the_checklist_is_in_view_and_names_what_the_screen_watches(app, staff, staff_client):
    db.session.add(ChecklistSettings(require_tags=True, required_demographics=["postal_code", "email"]))
    survey = Survey(name="Intake", required_to_close=True)
    db.session.add(survey)
    db.session.flush()
    asked = SurveyQuestion(survey_id=survey.id, label="Household size", kind="integer", required=True)
    optional = SurveyQuestion(survey_id=survey.id, label="Anything else", kind="text", required=False)
    db.session.add_all([asked, optional])
    db.session.commit()
    contact = make_contact(staff, profile=make_profile(staff))
    page = screen(staff_client, contact, tab="details")
    section = re.search(r'<section class="checklist[^>]*>', page).group(0)
    assert "hidden" not in section
    assert f'action="/contactcenter/contacts/{contact.id}/force-close"' not in page  # only after a refused close
    assert watched_inputs(page) == {
        "needs": ("add-need-form", "term_id", "all", "missing"),
        "primary_need": ("add-need-form", "term_id", "all", "missing"),
        "requester_served": ("caller-details-form", "requester_served", "all", "missing"),
        "service_delivery": ("caller-details-form", "service_delivery", "all", "missing"),
        "demographics": ("caller-details-form", "postal_code email", "all", "missing"),
        "tags": ("caller-details-form", "tags", "any", "missing"),
        f"survey_{survey.id}": (f"survey-form-{survey.id}", f"q{asked.id}", "all", "missing"),
    }
    for form_id in ("caller-details-form", "add-need-form", f"survey-form-{survey.id}"):
        assert f'id="{form_id}"' in page


def test_a_complete_need_is_no_longer_watched_and_saved_answers_stay_watched(app, staff, staff_client):
    contact = ready_contact(staff, make_term("BH-1800.8500", "Emergency shelter"))
    watched = watched_inputs(screen(staff_client, contact, tab="details"))
    assert "needs" not in watched and "primary_need" not in watched  # adding a need answers nothing more
    assert watched["requester_served"] == ("caller-details-form", "requester_served", "all", "complete")


def test_a_closed_contact_watches_nothing(app, staff, staff_client):
    term = make_term("BH-1800.8500", "Emergency shelter")
    contact = ready_contact(staff, term)
    staff_client.post(f"/contactcenter/contacts/{contact.id}/close", data={"version": fresh(Contact, contact.id).version})
    page = screen(staff_client, contact, tab="details")
    assert "data-inputs=" not in page and 'id="check-states"' not in page
    assert checklist_states(page)["needs"] == "complete"


@pytest.mark.parametrize(("language", "pending", "refusal"), [
    ("en", "Pending: not saved yet", "The contact is not closed: save what you entered first. Not saved yet:"),
    ("fr", "En attente\u00a0: pas encore enregistré",
     "Le contact n'est pas clos\u00a0: enregistrez d'abord ce que vous avez saisi. Pas encore enregistré\u00a0:"),
])
def test_the_screen_carries_the_pending_state_and_the_refusal_in_each_language(app, make_user, login_as, language,
                                                                               pending, refusal):
    agent = make_user(language=language)
    client = login_as(agent)
    contact = make_contact(agent, profile=make_profile(agent))
    page = screen(client, contact, tab="details", language=language)
    states = re.search(r'<template id="check-states">.*?</template>', page, re.S).group(0)
    assert f'aria-label="{pending}" title="{pending}">🕒</span>' in states
    assert f'<span class="state">{pending}</span>' in states
    assert refusal in html.unescape(page)
