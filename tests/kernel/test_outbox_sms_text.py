"""An SMS keeps to the GSM alphabet where French typography would leave it: a non-breaking space
(before « : », inside « ») would make the whole message UCS-2, 70 characters a part instead of 160."""

from sqlalchemy import select

from kernel.db import db
from kernel.outbox import OutboxMessage, queue_sms, sms_text


def test_non_breaking_spaces_become_plain_spaces():
    assert sms_text("Adresse\u00a0: «\u202fRefuge\u202f»") == "Adresse : « Refuge »"


def test_a_queued_sms_carries_plain_spaces(app):
    with app.app_context():
        queue_sms("+1 867 979 1234", "Horaires\u00a0: lun. au ven.")
        db.session.commit()
        body = db.session.scalars(select(OutboxMessage.body).order_by(OutboxMessage.id.desc())).first()
    assert body == "Horaires : lun. au ven."
    assert body.isascii()
