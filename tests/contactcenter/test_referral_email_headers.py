"""A resource whose name holds a line break (typed, pasted or imported) does not stop its referral
e-mail: the subject is put on one line and the message reaches the SMTP server."""

from sqlalchemy import select

from kernel.db import db
from kernel.outbox import SENT, OutboxMessage, drain
from plugins.contactcenter.models import Referral
from tests.contactcenter.helpers import make_contact, make_profile, make_resource
from tests.kernel.test_outbox import mailbox  # noqa: F401  (the real SMTP server fixture)


def test_a_resource_name_with_a_line_break_is_sent_on_one_line(app, staff, staff_client, mailbox):  # noqa: F811
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port, MAIL_FROM="contactcenter@example.org")
    resource = make_resource("Night\r\nshelter\nBcc: someone@example.org", None)
    contact = make_contact(staff, profile=make_profile(staff, email="emile@example.org", preferred_language="en"))
    staff_client.post(f"/contactcenter/contacts/{contact.id}/referrals", data={"resource_id": resource.id})
    referral = db.session.scalar(select(Referral))
    assert staff_client.post(f"/contactcenter/referrals/{referral.id}/email").status_code == 302
    assert drain().sent == 1
    [(recipients, message)] = mailbox.messages
    assert recipients == ["emile@example.org"]
    assert message["Subject"] == "Resource for you: Night shelter Bcc: someone@example.org"
    assert db.session.scalar(select(OutboxMessage.status)) == SENT
