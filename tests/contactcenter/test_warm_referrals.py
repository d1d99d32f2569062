"""Warm referrals (issue 20): sent to the organisation only with the caller's consent to sharing with
it, answered by the partner through a secure link (minimum data, in the link's language, recorded in
the access log, expiring), followed by the agent on the contact and in a queue with a stale flag."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from kernel.access_log import RecordRead
from kernel.db import db, utcnow
from kernel.outbox import OutboxMessage
from kernel.secure_links import SecureLink
from kernel.testing import give_consent
from plugins.contactcenter.models import Referral
from plugins.contactcenter.warm_referrals.models import WarmReferral, WarmReferralEvent
from plugins.directory.capacity.models import Capacity
from plugins.directory.models import Agency, Resource
from tests.contactcenter.helpers import make_contact, make_profile, make_resource, make_term

AGENCY = "Community Help Network"


@pytest.fixture
def referral(app, staff, staff_client):
    """A referral of Émile Noël (a housing need) to the Night shelter of an agency with a referrals e-mail."""
    db.session.add(Agency(name=AGENCY, email="intake@help.example.org"))
    db.session.commit()
    housing = make_term("BH", "Housing", "Logement")
    resource = make_resource("Night shelter", housing, name_fr="Refuge de nuit")
    profile = make_profile(staff, name="Émile Noël", email="emile@example.org", address="12 Secret Street",
                           postal_code="X0A 0H0")
    contact = make_contact(staff, profile=profile)
    staff_client.post(f"/contactcenter/contacts/{contact.id}/referrals", data={"resource_id": resource.id})
    made = db.session.scalar(select(Referral))
    return made, profile, contact


def consent_to_sharing(staff, profile, scope=AGENCY):
    give_consent("caller_profile", profile.id, "sharing", scope=scope, user=staff)
    db.session.commit()


def send(staff_client, made, **form):
    return staff_client.post(f"/contactcenter/referrals/{made.id}/warm", data={"note": "Needs a bed tonight",
                                                                               "language": "en", **form},
                             follow_redirects=True)


def sent_link(staff, staff_client, referral, **form) -> str:
    made, profile, _contact = referral
    consent_to_sharing(staff, profile)
    send(staff_client, made, **form)
    message = db.session.scalar(select(OutboxMessage).order_by(OutboxMessage.id.desc()))
    return re.search(r"https?://[^/\s]+(/contactcenter/warm/\S+)", message.body).group(1)


def warm_row() -> WarmReferral:
    db.session.expire_all()
    return db.session.scalar(select(WarmReferral))


def test_without_the_sharing_consent_for_that_organisation_nothing_is_sent(staff, staff_client, referral):
    made, profile, _contact = referral
    consent_to_sharing(staff, profile, scope="Another agency")
    page = send(staff_client, made).get_data(as_text=True)
    assert "has not consented to “Sharing with a partner organisation” with Community Help Network" in page
    assert db.session.scalar(select(OutboxMessage)) is None
    assert db.session.scalar(select(WarmReferral)) is None and db.session.scalar(select(SecureLink)) is None


def test_the_organisation_gets_an_email_with_a_link_that_expires(app, staff, staff_client, referral):
    path = sent_link(staff, staff_client, referral)
    message = db.session.scalar(select(OutboxMessage))
    assert message.recipient == "intake@help.example.org" and "Night shelter" in message.subject
    assert "Émile" not in message.body  # the person's details are behind the link only
    link = db.session.scalar(select(SecureLink))
    assert link.purpose == "warm_referral" and link.entity == "referral" and link.record_id == referral[0].id
    assert timedelta(days=29) < link.expires_at - utcnow() <= timedelta(days=30)
    assert path.rpartition("/")[2] not in link.token_hash
    warm = warm_row()
    assert warm.status == "sent" and warm.note == "Needs a bed tonight" and warm.message_id == message.id


def test_the_link_lasts_the_configured_days(make_app, staff, referral):
    app = make_app(CONTACTCENTER_WARM_REFERRAL_DAYS=7)
    with app.app_context():
        from plugins.contactcenter.warm_referrals.service import link_days

        assert link_days() == 7


def test_the_partner_sees_only_the_minimum_and_the_visit_is_logged(app, staff, staff_client, referral):
    path = sent_link(staff, staff_client, referral)
    answer = app.test_client().get(path, headers={"Accept-Language": "fr"})
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert "Émile" in page and "Noël" not in page  # the first name only
    assert "(867) 979-1234" in page and "emile@example.org" in page
    assert "Night shelter" in page and "Housing" in page and "Needs a bed tonight" in page
    assert "Secret Street" not in page and "X0A" not in page
    assert warm_row().status == "opened"
    reads = {(read.entity, read.via, read.user_id) for read in db.session.scalars(select(RecordRead))}
    assert ("helpline_contact", "link:warm_referral", None) in reads
    assert ("caller_profile", "link:warm_referral", None) in reads


def test_the_page_is_in_the_links_language_with_a_switch(app, staff, staff_client, referral):
    path = sent_link(staff, staff_client, referral, language="fr")
    client = app.test_client()
    page = client.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Accepter l’orientation" in page and "Refuge de nuit" in page
    assert 'href="/language/en?next=' in page
    client.get("/language/en")
    assert "Accept the referral" in client.get(path).get_data(as_text=True)


def test_accepting_then_reporting_the_outcome(app, staff, staff_client, referral):
    path = sent_link(staff, staff_client, referral)
    partner = app.test_client()
    assert partner.post(f"{path}/outcome", data={"outcome": "helped"}).status_code == 409  # accept first
    assert partner.post(f"{path}/accept").status_code == 302
    assert warm_row().status == "accepted"
    assert partner.post(f"{path}/accept").status_code == 409
    assert partner.post(f"{path}/outcome", data={"outcome": "maybe"}).status_code == 422
    assert partner.post(f"{path}/outcome", data={"outcome": "helped", "note": "Has a bed"}).status_code == 302
    warm = warm_row()
    assert (warm.status, warm.outcome, warm.outcome_note) == ("closed", "helped", "Has a bed")
    kinds = [event.kind for event in db.session.scalars(select(WarmReferralEvent).order_by(WarmReferralEvent.id))]
    assert kinds == ["sent", "opened", "accepted", "outcome"]
    screen = staff_client.get(f"/contactcenter/contacts/{referral[2].id}?tab=referrals").get_data(as_text=True)
    assert "Outcome reported" in screen and "Helped" in screen and "Has a bed" in screen


def test_declining_needs_a_reason_and_other_needs_words(app, staff, staff_client, referral):
    path = sent_link(staff, staff_client, referral)
    partner = app.test_client()
    assert partner.post(f"{path}/decline", data={}).status_code == 422
    refused = partner.post(f"{path}/decline", data={"reason": "other"}, headers={"Accept-Language": "en"})
    assert refused.status_code == 422 and "Say why in a few words." in refused.get_data(as_text=True)
    assert partner.post(f"{path}/decline", data={"reason": "full"}).status_code == 302
    warm = warm_row()
    assert (warm.status, warm.decline_reason) == ("declined", "full")
    screen = staff_client.get(f"/contactcenter/contacts/{referral[2].id}?tab=referrals").get_data(as_text=True)
    assert "Declined" in screen and "Programme full" in screen
    assert "Send again as a warm referral" not in screen  # answered: nothing to send again


def test_an_expired_link_answers_410_in_french(app, staff, staff_client, referral):
    path = sent_link(staff, staff_client, referral, language="fr")
    link = db.session.scalar(select(SecureLink))
    link.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    answer = app.test_client().get(path)
    assert answer.status_code == 410 and "Ce lien a expiré" in answer.get_data(as_text=True)
    assert app.test_client().post(f"{path}/accept").status_code == 410
    assert warm_row().status == "sent"


def test_an_unknown_token_answers_404(app):
    assert app.test_client().get("/contactcenter/warm/made-up-token").status_code == 404
    assert app.test_client().post("/contactcenter/warm/made-up-token/accept").status_code == 404


def test_sending_again_withdraws_the_first_link(app, staff, staff_client, referral):
    first = sent_link(staff, staff_client, referral)
    second = sent_link(staff, staff_client, referral)
    assert app.test_client().get(first).status_code == 410
    assert app.test_client().get(second).status_code == 200
    kinds = [event.kind for event in db.session.scalars(select(WarmReferralEvent).order_by(WarmReferralEvent.id))]
    assert kinds[:2] == ["sent", "resent"]


def test_the_partner_updates_only_its_own_programmes_capacity(app, staff, staff_client, referral):
    path = sent_link(staff, staff_client, referral)
    other_agency = Agency(name="Elsewhere")
    db.session.add(other_agency)
    db.session.flush()
    foreign = Resource(name="Food bank", organization_id=other_agency.id)
    db.session.add(foreign)
    db.session.commit()
    partner = app.test_client()
    own = referral[0].resource_id
    form = {"accepting": "no", "open_spots": "0", "waiting_list": "12"}
    assert partner.post(f"{path}/capacity/{foreign.id}", data=form).status_code == 404
    assert partner.post(f"{path}/capacity/{own}", data={**form, "open_spots": "-3"}).status_code == 422
    assert partner.post(f"{path}/capacity/{own}", data=form).status_code == 302
    db.session.expire_all()
    capacity = db.session.get(Capacity, own)
    assert (capacity.accepting, capacity.open_spots, capacity.waiting_list) == (False, 0, 12)
    assert capacity.updated_by_name == "intake@help.example.org" and db.session.get(Capacity, foreign.id) is None


def test_the_queue_flags_stale_referrals_and_filters_them(app, staff, staff_client, referral):
    sent_link(staff, staff_client, referral)
    queue = staff_client.get("/contactcenter/warm-referrals?which=stale").get_data(as_text=True)
    assert "data-warm=" not in queue
    warm = warm_row()
    warm.sent_at = utcnow() - timedelta(days=4)
    db.session.commit()
    stale = staff_client.get("/contactcenter/warm-referrals?which=stale").get_data(as_text=True)
    assert f'data-warm="{warm.id}"' in stale and "warm-stale-flag" in stale
    assert "warm-stale-flag" in staff_client.get(
        f"/contactcenter/contacts/{referral[2].id}?tab=referrals").get_data(as_text=True)
    assert f'data-warm="{warm.id}"' not in staff_client.get(
        "/contactcenter/warm-referrals?which=accepted").get_data(as_text=True)
    assert staff_client.get("/contactcenter/warm-referrals?which=nonsense").status_code == 200


def test_answered_referrals_are_not_stale(app, staff, staff_client, referral):
    path = sent_link(staff, staff_client, referral)
    app.test_client().post(f"{path}/accept")
    warm = warm_row()
    warm.sent_at = utcnow() - timedelta(days=10)
    db.session.commit()
    assert f'data-warm="{warm.id}"' not in staff_client.get(
        "/contactcenter/warm-referrals?which=stale").get_data(as_text=True)


def test_sending_needs_the_edit_permission_and_the_queue_an_account(app, make_user, login_as, referral):
    reader = login_as(make_user("readonly", email="reader@example.org"))
    assert reader.post(f"/contactcenter/referrals/{referral[0].id}/warm").status_code == 403
    assert reader.get("/contactcenter/warm-referrals").status_code == 200
    assert app.test_client().get("/contactcenter/warm-referrals").status_code == 302  # to the login page


def test_the_partners_pages_are_rate_limited(make_app):
    limited = make_app(RATELIMIT_ENABLED=True, CONTACTCENTER_WARM_REFERRAL_RATE_LIMIT="2 per minute")
    client = limited.test_client()
    answers = [client.get("/contactcenter/warm/made-up-token").status_code for _ in range(3)]
    assert answers == [404, 404, 429]


def test_the_agent_who_sent_it_is_notified_of_each_answer(app, staff, staff_client, referral):
    from kernel.notifications import Notification

    path = sent_link(staff, staff_client, referral)
    partner = app.test_client()
    partner.post(f"{path}/accept")
    partner.post(f"{path}/outcome", data={"outcome": "unreachable"})
    texts = [note.text for note in db.session.scalars(select(Notification).where(Notification.user_id == staff.id)
                                                      .order_by(Notification.id))]
    contact_id = referral[2].id
    assert texts == [f"Warm referral of contact #{contact_id}: Accepted",
                     f"Warm referral of contact #{contact_id}: Outcome reported"]
