"""Referrals: "Refer" creates one and fills the needs (primary from the first, secondary after);
sent by e-mail (the resource's details in the caller's language, received by a real SMTP server)
or by SMS (a short link to a public page that expires), each with its delivery status; deleted;
service gaps recorded."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from kernel.db import db, utcnow
from kernel.outbox import OutboxMessage, drain
from plugins.contactcenter.models import Need, Referral, ServiceGap
from tests.contactcenter.helpers import fresh, make_contact, make_profile, make_resource, make_term
from tests.kernel.test_outbox import smtp_server


@pytest.fixture
def directory(app):
    shelter = make_term("BH-1800.8500", "Emergency shelter", "Hébergement d'urgence")
    food = make_term("BD-1800.2000", "Food pantries", "Banques alimentaires")
    return {
        "shelter": make_resource("Night shelter", shelter, "Refuge de nuit", description="Beds for the night.",
                                 description_fr="Des lits pour la nuit.", email="shelter@example.org"),
        "food": make_resource("Food bank", food, "Banque alimentaire"),
        "food2": make_resource("Community pantry", food),
        "terms": (shelter, food),
    }


def needs(contact_id):
    db.session.expire_all()
    return [(need.term_id, need.is_primary) for need in db.session.scalars(
        select(Need).where(Need.contact_id == contact_id, Need.deleted_at.is_(None)).order_by(Need.id))]


def test_needs_follow_the_referrals_and_the_agent_can_change_them(app, staff, staff_client, directory):
    shelter, food = directory["terms"]
    contact = make_contact(staff, profile=make_profile(staff))
    for key in ("shelter", "food", "food2"):
        staff_client.post(f"/contactcenter/contacts/{contact.id}/referrals", data={"resource_id": directory[key].id})
    assert needs(contact.id) == [(shelter.id, True), (food.id, False)]  # the same need is not added twice
    food_need = db.session.scalar(select(Need).where(Need.term_id == food.id))
    staff_client.post(f"/contactcenter/contacts/{contact.id}/needs/{food_need.id}/primary")
    assert needs(contact.id) == [(shelter.id, False), (food.id, True)]
    page = staff_client.get(f"/contactcenter/contacts/{contact.id}?tab=referrals").get_data(as_text=True)
    assert "Night shelter" in page and "Food bank" in page and "Community pantry" in page


def test_an_agent_adds_and_removes_a_need_by_hand(app, staff, staff_client, directory):
    shelter, food = directory["terms"]
    contact = make_contact(staff, profile=make_profile(staff))
    staff_client.post(f"/contactcenter/contacts/{contact.id}/needs", data={"term_id": food.id})
    staff_client.post(f"/contactcenter/contacts/{contact.id}/needs", data={"term_id": shelter.id})
    assert needs(contact.id) == [(food.id, True), (shelter.id, False)]
    first = db.session.scalar(select(Need).where(Need.term_id == food.id))
    staff_client.post(f"/contactcenter/contacts/{contact.id}/needs/{first.id}/delete")
    assert needs(contact.id) == [(shelter.id, False)]
    assert staff_client.post(f"/contactcenter/contacts/{contact.id}/needs", data={"term_id": "999"}).status_code == 302


@pytest.fixture
def mailbox():
    box, controller = smtp_server()
    yield box
    controller.stop()


def test_the_referral_e_mail_is_received_by_the_smtp_server_in_the_callers_language(app, staff, staff_client,
                                                                                    directory, mailbox):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port, MAIL_FROM="contactcenter@example.org")
    profile = make_profile(staff, email="emile@example.org", preferred_language="fr")
    contact = make_contact(staff, profile=profile)
    staff_client.post(f"/contactcenter/contacts/{contact.id}/referrals", data={"resource_id": directory["shelter"].id})
    referral = db.session.scalar(select(Referral))
    response = staff_client.post(f"/contactcenter/referrals/{referral.id}/email")
    assert response.status_code == 302
    page = staff_client.get(f"/contactcenter/contacts/{contact.id}?tab=referrals").get_data(as_text=True)
    assert "emile@example.org" in page and "Queued" in page
    assert drain().sent == 1
    [(recipients, message)] = mailbox.messages
    assert recipients == ["emile@example.org"]
    body = message.get_content()
    assert "Refuge de nuit" in message["Subject"] and "Des lits pour la nuit." in body and "Bonjour" in body
    page = staff_client.get(f"/contactcenter/contacts/{contact.id}?tab=referrals").get_data(as_text=True)
    assert re.search(r'delivery-sent">\s*<span[^>]*>✔</span>\s*E-mail: emile@example.org — '
                     r'<span class="delivery-status">Sent', page)


def test_without_an_e_mail_address_the_referral_is_not_sent_and_the_agent_is_told(app, staff, staff_client,
                                                                                 directory):
    contact = make_contact(staff, profile=make_profile(staff))
    staff_client.post(f"/contactcenter/contacts/{contact.id}/referrals", data={"resource_id": directory["shelter"].id})
    referral = db.session.scalar(select(Referral))
    response = staff_client.post(f"/contactcenter/referrals/{referral.id}/email", follow_redirects=True)
    assert "no e-mail address on file" in response.get_data(as_text=True)
    assert db.session.scalar(select(OutboxMessage.id)) is None


def test_the_sms_carries_a_short_link_to_a_public_page_that_expires(app, staff, staff_client, directory, caplog):
    profile = make_profile(staff, preferred_language="en")
    contact = make_contact(staff, profile=profile)
    staff_client.post(f"/contactcenter/contacts/{contact.id}/referrals", data={"resource_id": directory["shelter"].id})
    referral = db.session.scalar(select(Referral))
    staff_client.post(f"/contactcenter/referrals/{referral.id}/sms")
    message = db.session.scalar(select(OutboxMessage))
    assert (message.channel, message.recipient) == ("sms", "(867) 979-1234")
    link = re.search(r"https?://\S+/contactcenter/r/(\S+)", message.body)
    assert message.body.startswith("Night shelter: ") and link and len(message.body) < 160
    assert drain().sent == 1 and fresh(OutboxMessage, message.id).status == "sent"
    anonymous = app.test_client()
    public = anonymous.get(f"/contactcenter/r/{link.group(1)}")
    assert public.status_code == 200 and "Beds for the night." in public.get_data(as_text=True)
    saved = fresh(Referral, referral.id)
    saved.link_expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    expired = anonymous.get(f"/contactcenter/r/{link.group(1)}")
    assert expired.status_code == 410 and "Beds for the night." not in expired.get_data(as_text=True)
    assert anonymous.get("/contactcenter/r/made-up").status_code == 410


def test_a_referral_is_deleted_from_the_referrals_tab(app, staff, staff_client, directory):
    contact = make_contact(staff, profile=make_profile(staff))
    staff_client.post(f"/contactcenter/contacts/{contact.id}/referrals", data={"resource_id": directory["food"].id})
    referral = db.session.scalar(select(Referral))
    staff_client.post(f"/contactcenter/referrals/{referral.id}/delete")
    assert fresh(Referral, referral.id).deleted_at is not None
    page = staff_client.get(f"/contactcenter/contacts/{contact.id}?tab=referrals").get_data(as_text=True)
    assert "No referral yet" in page


def test_a_service_gap_is_recorded_with_its_service_type_area_and_note(app, staff, staff_client, directory):
    shelter, _food = directory["terms"]
    contact = make_contact(staff, profile=make_profile(staff, postal_code="X0A 0H0"))
    missing = staff_client.post(f"/contactcenter/contacts/{contact.id}/gaps", data={"note": "Nothing open tonight"})
    assert missing.status_code == 422 and "This field is required" in missing.get_data(as_text=True)
    staff_client.post(f"/contactcenter/contacts/{contact.id}/gaps", data={"term_id": shelter.id,
                                                                     "note": "No shelter bed in Iqaluit"})
    gap = db.session.scalar(select(ServiceGap))
    assert (gap.contact_id, gap.term_id, gap.postal_code, gap.note) == (
        contact.id, shelter.id, "X0A 0H0", "No shelter bed in Iqaluit")
    page = staff_client.get(f"/contactcenter/contacts/{contact.id}?tab=referrals").get_data(as_text=True)
    assert "No shelter bed in Iqaluit" in page and "Emergency shelter" in page


def test_a_referral_made_through_the_api_fills_the_need_too(app, staff, admin, token_for, directory):
    shelter, _food = directory["terms"]
    contact = make_contact(staff, profile=make_profile(staff))
    response = app.test_client().post("/api/v1/referrals", headers=token_for(admin),
                                      json={"contact_id": contact.id, "resource_id": directory["shelter"].id})
    assert response.status_code == 201, response.get_json()
    assert needs(contact.id) == [(shelter.id, True)]
