"""A text contact's conversation names the caller (their number, what they wrote): anonymising or
deleting the contact deletes its messages and empties the replies' outbox messages."""

import pytest
from sqlalchemy import func, select

from kernel.db import db, utcnow
from kernel.inbound_sms import InboundSms, receive_sms
from kernel.outbox import OutboxMessage
from kernel.personal_data.applying import apply
from kernel.personal_data.planning import plan
from kernel.registry import entities
from plugins.contactcenter import workflow
from plugins.contactcenter.models import Contact
from plugins.contactcenter.texting.conversation import send_reply
from plugins.contactcenter.texting.models import TextMessage


@pytest.mark.parametrize("action", ["anonymise", "delete"])
def test_the_conversation_goes_with_the_caller(app, admin, action):
    receive_sms(InboundSms("+18679794444", "+18675550000", "My name is Aputi, I sleep outside", utcnow(), "SMp"))
    contact = db.session.scalars(select(Contact)).one()
    send_reply(contact, "Aputi, the shelter opens at 8 pm.", admin)
    workflow.force_close(contact, admin, "Done")
    db.session.commit()
    apply(plan(entities().get("helpline_contact"), [contact.id], action))
    db.session.commit()
    db.session.expire_all()
    assert db.session.scalar(select(func.count(TextMessage.id))) == 0
    assert "Aputi" not in (db.session.scalars(select(OutboxMessage.body)).one() or "")


def test_a_callers_export_holds_their_sms_conversations_and_nobody_elses(app, admin, admin_client):
    from tests.contactcenter.helpers import make_profile
    from tests.privacy.test_person_export import everything_in, unzip

    profile = make_profile(admin, name="Aputi Kilabuk", phone="867 979 4444")
    receive_sms(InboundSms("+18679794444", "+18675550000", "Aputi here, I need a coat", utcnow(), "SMa"))
    receive_sms(InboundSms("+18672223333", "+18675550000", "Somebody else entirely", utcnow(), "SMb"))
    mine = db.session.scalars(select(Contact).where(Contact.caller_number == "(867) 979-4444")).one()
    workflow.choose_profile(mine, profile, admin)
    db.session.commit()
    archive = unzip(admin_client.get(f"/privacy/people/caller-profiles/{profile.id}/export.zip"))
    assert any(name.startswith("contactcenter.sms") for name in archive.namelist()), archive.namelist()
    text = everything_in(archive)
    assert "I need a coat" in text and "Somebody else entirely" not in text
