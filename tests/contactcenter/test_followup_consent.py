"""A follow-up needs the caller's consent to be contacted again (issue 20): the schedule page shows
the profile's consent to follow-up calls with the two-click verbal consent of the call (the kernel's
person_consent slot), refuses without it and saves nothing, says so for an anonymous caller; a
consent withdrawn later marks the follow-up in the queue and refuses working it (it can be
cancelled). In English and French."""

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

from sqlalchemy import func, select

from kernel.db import db, utcnow
from plugins.contactcenter.followups import service
from plugins.contactcenter.followups.models import CANCELLED, DUE, FollowUp, FollowUpOutcome
from tests.contactcenter.followup_helpers import consenting_contact, withdraw_consent
from tests.contactcenter.helpers import make_contact, make_profile

FORM = {"due_at": "2026-01-05T10:30", "channel": "phone", "reason": "Food bank?"}


def count_followups() -> int:
    return db.session.scalar(select(func.count(FollowUp.id)))


def test_without_consent_the_page_offers_the_verbal_consent_and_refuses(app, staff, staff_client):
    contact = make_contact(staff, profile=make_profile(staff))
    url = f"/contactcenter/contacts/{contact.id}/followups/new"
    page = staff_client.get(url).get_data(as_text=True)
    assert 'data-followup-consent="missing"' in page
    assert 'data-consent-purpose="follow_up_calls"' in page  # the slot's two-click verbal consent
    answer = staff_client.post(url, data=FORM)
    assert answer.status_code == 422
    assert "no current consent to follow-up calls" in answer.get_data(as_text=True)
    assert count_followups() == 0


def test_a_verbal_consent_recorded_from_the_page_brings_the_agent_back_with_what_they_typed(app, staff, staff_client):
    contact = make_contact(staff, profile=make_profile(staff))
    url = f"/contactcenter/contacts/{contact.id}/followups/new"
    refused = staff_client.post(url, data=FORM).get_data(as_text=True)
    slot = refused.split("data-consent-slot")[1]
    back = slot.split('name="next" value="')[1].split('"')[0].replace("&amp;", "&")
    assert urlparse(back).path == url and parse_qs(urlparse(back).query)["reason"] == ["Food bank?"]
    action = slot.split('action="')[1].split('"')[0]
    consent = staff_client.post(action, data={
        "purpose": "follow_up_calls", "given": "1", "channel": "verbal", "next": back})
    assert consent.status_code == 302 and consent.headers["Location"].endswith(back)
    again = staff_client.get(back).get_data(as_text=True)
    assert 'data-followup-consent="given"' in again and "Food bank?" in again and 'value="2026-01-05T10:30"' in again
    assert staff_client.post(url, data=FORM).status_code == 302
    assert count_followups() == 1


def test_an_anonymous_caller_is_told_apart_and_refused(app, staff, staff_client):
    contact = make_contact(staff)
    url = f"/contactcenter/contacts/{contact.id}/followups/new"
    page = staff_client.get(url).get_data(as_text=True)
    assert 'data-followup-consent="anonymous"' in page and "Anonymous caller" in page
    answer = staff_client.post(url, data={**FORM, "consent": "1"})
    assert answer.status_code == 422 and "anonymous" in answer.get_data(as_text=True)
    assert count_followups() == 0


def test_with_a_current_consent_the_follow_up_is_saved(app, staff, staff_client):
    contact = consenting_contact(staff)
    url = f"/contactcenter/contacts/{contact.id}/followups/new"
    assert 'data-followup-consent="given"' in staff_client.get(url).get_data(as_text=True)
    assert staff_client.post(url, data=FORM).status_code == 302
    assert db.session.scalar(select(FollowUp.consent_to_contact)) is True


def scheduled(user, days=-1):
    contact = consenting_contact(user)
    followup = service.schedule(contact, user, due_at=utcnow() + timedelta(days=days), channel="phone",
                                reason="Did it help?")
    db.session.commit()
    return contact, followup


def test_a_withdrawn_consent_is_shown_and_refuses_the_work_but_not_the_cancelling(app, staff, staff_client):
    contact, followup = scheduled(staff)
    _other, kept = scheduled(staff)
    withdraw_consent(contact.profile_id, staff)
    queue = staff_client.get("/contactcenter/followups?which=all").get_data(as_text=True)
    assert queue.count('data-followup-consent="withdrawn"') == 1
    page = staff_client.get(f"/contactcenter/followups/{followup.id}").get_data(as_text=True)
    assert 'data-followup-consent="withdrawn"' in page and "Record the attempt" not in page
    assert 'data-followup-consent="withdrawn"' not in staff_client.get(
        f"/contactcenter/followups/{kept.id}").get_data(as_text=True)
    answer = staff_client.post(f"/contactcenter/followups/{followup.id}", data={"reached": "yes"})
    assert answer.status_code == 422 and "withdrew their consent" in answer.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(FollowUp, followup.id).status == DUE
    assert db.session.scalar(select(func.count(FollowUpOutcome.id))) == 0
    cancel = staff_client.post(f"/contactcenter/followups/{followup.id}/cancel",
                               data={"cancel_reason": "Consent withdrawn"})
    assert cancel.status_code == 302
    db.session.expire_all()
    assert db.session.get(FollowUp, followup.id).status == CANCELLED


def test_the_consent_messages_in_french(app, make_user, login_as):
    agent = make_user("staff", email="fr-consent@example.org", language="fr", workspace="contact_centre")
    client = login_as(agent)
    anonymous = make_contact(agent)
    page = client.get(f"/contactcenter/contacts/{anonymous.id}/followups/new").get_data(as_text=True)
    assert "Appelant anonyme" in page
    refused = client.post(f"/contactcenter/contacts/{anonymous.id}/followups/new", data=FORM)
    assert refused.status_code == 422 and "anonyme" in refused.get_data(as_text=True)
    contact, _followup = scheduled(agent)
    withdraw_consent(contact.profile_id, agent)
    assert "Consentement retiré" in client.get("/contactcenter/followups?which=all").get_data(as_text=True)
