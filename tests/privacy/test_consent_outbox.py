"""Consent is enforced where messages leave: a referral by SMS or e-mail to a caller without a
current consent for that purpose is refused, with a clear message, and nothing reaches the
outbox; with consent it goes; a withdrawn or expired consent refuses again; sending the caller's
details to a partner organisation needs their consent to sharing with that organisation."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from kernel.clock import today
from kernel.db import db
from kernel.outbox import OutboxMessage
from kernel.testing import give_consent
from plugins.privacy.consent.models import Consent
from plugins.privacy.consent.state import record
from tests.contactcenter.helpers import make_contact, make_profile, make_resource, make_term


@pytest.fixture
def referral(app, staff, staff_client):
    term = make_term("BH-1800.8500", "Emergency shelter", "Hébergement d'urgence")
    shelter = make_resource("Night shelter", term, "Refuge de nuit", email="shelter@example.org")
    profile = make_profile(staff, email="emile@example.org", consent=False)
    contact = make_contact(staff, profile=profile)
    staff_client.post(f"/contactcenter/contacts/{contact.id}/referrals", data={"resource_id": shelter.id})
    from plugins.contactcenter.models import Referral

    made = db.session.scalar(select(Referral).where(Referral.contact_id == contact.id))
    return made, profile, contact


def outbox_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def send(staff_client, referral, channel):
    return staff_client.post(f"/contactcenter/referrals/{referral.id}/{channel}", follow_redirects=True)


@pytest.mark.parametrize("channel, purpose", [("sms", "SMS"), ("email", "e-mail")])
def test_a_referral_without_consent_is_refused_and_nothing_reaches_the_outbox(staff_client, referral, channel,
                                                                                purpose):
    made, _profile, _contact = referral
    page = send(staff_client, made, channel).get_data(as_text=True)
    assert f"no current consent to “Referrals by {purpose}”" in page
    assert outbox_count() == 0


def test_with_consent_the_referral_goes(staff, staff_client, referral):
    made, profile, _contact = referral
    give_consent("caller_profile", profile.id, "sms_referrals", user=staff)
    db.session.commit()
    send(staff_client, made, "sms")
    assert outbox_count() == 1
    send(staff_client, made, "email")  # the SMS consent is not an e-mail consent
    assert outbox_count() == 1


def test_a_withdrawn_consent_refuses_again(staff, staff_client, referral):
    made, profile, _contact = referral
    record("caller_profile", profile.id, purpose="sms_referrals", given=True, channel="verbal", user=staff)
    record("caller_profile", profile.id, purpose="sms_referrals", given=False, channel="web", user=staff)
    db.session.commit()
    assert "no current consent" in send(staff_client, made, "sms").get_data(as_text=True)
    assert outbox_count() == 0


def test_an_expired_consent_refuses(staff, staff_client, referral):
    made, profile, _contact = referral
    yesterday = today() - timedelta(days=1)
    db.session.add(Consent(entity="caller_profile", record_id=profile.id, purpose="sms_referrals", scope="",
                           given=True, decided_on=yesterday - timedelta(days=365), channel="form",
                           expires_on=yesterday))
    db.session.commit()
    assert "no current consent" in send(staff_client, made, "sms").get_data(as_text=True)
    assert outbox_count() == 0


def test_sharing_with_a_partner_needs_the_sharing_consent_for_that_organisation(staff, staff_client, referral):
    made, profile, _contact = referral
    give_consent("caller_profile", profile.id, "sms_referrals", "email_referrals", user=staff)
    record("caller_profile", profile.id, purpose="sharing", scope="Another agency", given=True, channel="form",
           user=staff)
    db.session.commit()
    page = send(staff_client, made, "share").get_data(as_text=True)
    assert "has not consented to “Sharing with a partner organisation” with Community Help Network" in page
    assert outbox_count() == 0
    record("caller_profile", profile.id, purpose="sharing", scope="Community Help Network", given=True,
           channel="verbal", user=staff)
    db.session.commit()
    send(staff_client, made, "share")
    assert outbox_count() == 1
    message = db.session.scalar(select(OutboxMessage))
    assert message.recipient == "shelter@example.org" and "Émile Noël" in message.body


def test_messages_to_staff_are_not_checked(app, staff):
    from kernel.outbox import queue_email

    queue_email(staff.email, "Reminder", "A call starts soon.")  # no person named: nothing to consent to
    db.session.commit()
    assert outbox_count() == 1


def test_without_the_privacy_plugin_everything_goes_as_before(make_app, staff):
    from kernel.outbox import queue_sms

    app = make_app(plugins=["clients", "partners", "directory", "contactcenter"])
    with app.app_context():
        queue_sms("+18679791234", "A referral", person="caller_profile:1", purpose="sms_referrals")
        db.session.commit()
        assert outbox_count() == 1
        db.session.remove()


@pytest.mark.parametrize("channel, purpose", [("sms", "follow_up_calls"), ("email", "follow_up_calls"),
                                              ("sms", "newsletters"), ("email", "newsletters")])
def test_a_reminder_or_a_newsletter_to_a_client_needs_its_consent(app, staff, channel, purpose):
    """A module that sends a client a reminder (purpose "follow-up calls") or a newsletter names the
    person and the purpose: refused without consent, nothing queued; with it, it goes."""
    from kernel.consent import MessageRefused, person_ref
    from kernel.outbox import queue_email, queue_sms
    from tests.privacy.person_helpers import a_client_with_data

    zoe = a_client_with_data(staff)
    person = person_ref("client", zoe.id)

    def send_it():
        if channel == "sms":
            queue_sms("(514) 555-0101", "Your appointment is tomorrow.", person=person, purpose=purpose)
        else:
            queue_email("zoe.tremblay@example.org", "Reminder", "Your appointment is tomorrow.", person=person,
                        purpose=purpose)

    with pytest.raises(MessageRefused):
        send_it()
    db.session.rollback()
    assert outbox_count() == 0
    give_consent("client", zoe.id, purpose, user=staff)
    send_it()
    db.session.commit()
    assert outbox_count() == 1
