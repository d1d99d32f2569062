"""An SMS referral with the default log-only provider reached nobody: the screen says before sending
that SMS is not configured, and the status says the message was written to the log, never "Sent"
(issue 16 §3). With a real provider, "Sent" it is."""

import re

from sqlalchemy import select

from kernel.db import db
from kernel.outbox import OutboxMessage, drain
from plugins.contactcenter.models import Referral
from tests.contactcenter.helpers import fresh, make_contact, make_profile, make_resource, make_term


def referred_contact(staff, staff_client):
    contact = make_contact(staff, profile=make_profile(staff, preferred_language="en"))
    resource = make_resource("Night shelter", make_term("BH-1800", "Shelter", "Hébergement"), name_fr="Refuge")
    staff_client.post(f"/contactcenter/contacts/{contact.id}/referrals", data={"resource_id": resource.id})
    return contact, db.session.scalar(select(Referral))


def referrals_tab(client, contact, language="en") -> str:
    return client.get(f"/contactcenter/contacts/{contact.id}?tab=referrals",
                      headers={"Accept-Language": language}).get_data(as_text=True)


def test_with_the_log_provider_the_sms_is_said_written_to_the_log(app, staff, staff_client):
    contact, referral = referred_contact(staff, staff_client)
    assert "SMS is not configured" in referrals_tab(staff_client, contact)
    sent = staff_client.post(f"/contactcenter/referrals/{referral.id}/sms", follow_redirects=True).get_data(as_text=True)
    assert "No SMS provider is configured" in sent
    assert drain().sent == 1
    page = referrals_tab(staff_client, contact)
    status = re.search(r'SMS: [^<]+ — <span class="delivery-status">([^<]+)</span>', page).group(1)
    assert status == "Written to the log: no SMS provider configured"
    assert "status-attention" in page.split("delivery-sent")[1][:200]
    checklist_item = re.search(r'data-check="delivery">.*?</li>', page, re.S).group(0)
    assert "⚠" in checklist_item and "no SMS provider configured" in checklist_item


def test_french_screen_says_it_too(app, make_user, login_as):
    agent = make_user(language="fr")
    client = login_as(agent)
    contact, referral = referred_contact(agent, client)
    assert "Les SMS ne sont pas configurés" in referrals_tab(client, contact, "fr")
    client.post(f"/contactcenter/referrals/{referral.id}/sms")
    drain()
    assert "Écrit dans le journal\u00a0: aucun fournisseur de SMS configuré" in referrals_tab(client, contact, "fr")


class Gateway:
    def send(self, to, body):
        return "SM123"


def test_a_queued_sms_needs_attention_and_a_real_provider_says_sent(app, staff, staff_client):
    app.config["SMS_PROVIDER"] = "gateway"
    app.extensions["passerelle.sms_provider"] = Gateway()
    contact, referral = referred_contact(staff, staff_client)
    assert "SMS is not configured" not in referrals_tab(staff_client, contact)
    staff_client.post(f"/contactcenter/referrals/{referral.id}/sms")
    page = referrals_tab(staff_client, contact)
    assert '<span class="delivery-status">Queued: not sent yet</span>' in page
    assert "⚠" in re.search(r'data-check="delivery">.*?</li>', page, re.S).group(0)
    assert drain().sent == 1
    sms = fresh(OutboxMessage, fresh(Referral, referral.id).sms_message_id)
    assert sms.provider_message_id == "SM123"
    assert '<span class="delivery-status">Sent</span>' in referrals_tab(staff_client, contact)
