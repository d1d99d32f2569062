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
