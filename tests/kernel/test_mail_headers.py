"""Text with line breaks in an e-mail's headers (a subject made of a record's name, an attachment's
file name) is put on one line: the message is sent, instead of failing on every attempt, and no
header of its own can be slipped in."""

from sqlalchemy import select

from kernel.db import db, utcnow
from kernel.mail import header_text, send_email
from kernel.outbox import QUEUED, SENT, OutboxMessage, drain, queue_email
from tests.kernel.test_outbox import mailbox  # noqa: F401  (the real SMTP server fixture)


def test_line_breaks_in_a_subject_are_collapsed_and_the_message_is_sent(app, mailbox):  # noqa: F811
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port, MAIL_FROM="crm@example.org")
    send_email("ann@example.org", "Hello\r\nBcc: victim@example.org\nX-Evil: yes", "Body")
    db.session.commit()
    assert drain().sent == 1
    [(recipients, message)] = mailbox.messages
    assert recipients == ["ann@example.org"]
    assert message["Subject"] == "Hello Bcc: victim@example.org X-Evil: yes"
    assert message["Bcc"] is None and message["X-Evil"] is None
    assert db.session.scalar(select(OutboxMessage.status)) == SENT


def test_a_message_queued_with_a_line_break_before_the_fix_is_sent(app, mailbox):  # noqa: F811
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port, MAIL_FROM="crm@example.org")
    db.session.add(OutboxMessage(channel="email", recipient="ann@example.org", subject="Shelter\r\nof the night",
                                 body="Body", status=QUEUED, attempts=0, next_attempt_at=utcnow()))
    db.session.commit()
    assert drain().sent == 1
    [(_recipients, message)] = mailbox.messages
    assert message["Subject"] == "Shelter of the night"


def test_an_attachment_name_with_a_line_break_is_sent(app, mailbox):  # noqa: F811
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port, MAIL_FROM="crm@example.org")
    queue_email("ann@example.org", "Report", "Body", attachments=[("report\r\n.csv", "text/csv", b"a,b\n")])
    db.session.commit()
    assert drain().sent == 1
    [(_recipients, message)] = mailbox.messages
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "report .csv"


def test_header_text_collapses_every_kind_of_line_break():
    assert header_text("a\r\nb\nc\rd\x0be\x0cf\u2028g\x85h\ti") == "a b c d e f g h i"
    assert header_text(None) == ""
