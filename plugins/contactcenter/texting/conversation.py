"""A text contact's conversation: an inbound SMS joins the open contact of its number (within
the window) or opens a new one; the agent's replies are queued in the outbox. Nothing commits."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from kernel.toolkit import InboundSms, OutboxMessage, db, notify, person_ref, phone_key, queue_sms, utcnow
from kernel.toolkit import gettext as _
from kernel.toolkit import lazy_gettext as _l
from plugins.contactcenter import workflow
from plugins.contactcenter.messages import delivery
from plugins.contactcenter.models import OPEN, Contact
from plugins.contactcenter.texting.models import INBOUND, OUTBOUND, TextMessage

WINDOW_HOURS = 24  # default of the setting CONTACTCENTER_SMS_WINDOW_HOURS
MAX_REPLY = 1600  # what a gateway sends as one (concatenated) SMS


class ReplyRefused(Exception):
    """The reply cannot be sent (empty, too long, no number, no consent); str() says why."""


def window() -> timedelta:
    try:
        hours = float(current_app.config.get("CONTACTCENTER_SMS_WINDOW_HOURS") or WINDOW_HOURS)
    except (TypeError, ValueError):
        hours = WINDOW_HOURS
    return timedelta(hours=max(hours, 0))


def take_inbound(message: InboundSms) -> bool:
    """Add the SMS to its conversation; a gateway id already taken adds nothing (retries)."""
    gateway_id = (message.gateway_id or "").strip()[:64]
    if not gateway_id or already_taken(gateway_id):
        return bool(gateway_id)
    key = phone_key(message.sender) or None
    try:
        with db.session.begin_nested():
            contact = open_contact_of(key, message.received_at)
            if contact is None:
                contact = start_text_contact(message)
            elif contact.assigned_user_id:
                tell_the_agent(contact)
            db.session.add(TextMessage(contact_id=contact.id, direction=INBOUND, body=message.body or "",
                                       at=message.received_at, phone_key=key, gateway_id=gateway_id))
            db.session.flush()
    except IntegrityError:  # the same message, taken at the same moment by another request
        return True
    return True


def tell_the_agent(contact: Contact) -> None:
    """The caller wrote again: the agent who has the contact is told, wherever they are."""
    notify(contact.assigned_user_id, "contactcenter_sms", _l("The caller of contact #%(id)s wrote again.", id=contact.id),
           "helpline_contact", contact)


def already_taken(gateway_id: str) -> bool:
    return db.session.scalar(select(TextMessage.id).where(TextMessage.gateway_id == gateway_id)) is not None


def open_contact_of(key: str | None, received_at) -> Contact | None:
    """The open contact the number last wrote to (or was answered on) within the window."""
    if not key:
        return None
    return db.session.scalar(
        select(Contact).join(TextMessage, TextMessage.contact_id == Contact.id)
        .where(TextMessage.phone_key == key, TextMessage.at >= received_at - window(),
               Contact.status == OPEN, Contact.deleted_at.is_(None))
        .order_by(TextMessage.at.desc(), TextMessage.id.desc()).limit(1))


def start_text_contact(message: InboundSms) -> Contact:
    line = workflow.line_by_code(current_app.config.get("CONTACTCENTER_SMS_LINE") or message.recipient or "")
    return workflow.start_contact(None, channel="sms", line=line, caller_number=(message.sender or "")[:255] or None)


def send_reply(contact: Contact, body: str, user) -> TextMessage:
    body = (body or "").strip()
    if contact.channel != "sms":
        raise ReplyRefused(_("Only a contact by SMS is answered here."))
    if not body:
        raise ReplyRefused(_("Write the reply first."))
    if len(body) > MAX_REPLY:
        raise ReplyRefused(_("A reply holds at most %(count)d characters.", count=MAX_REPLY))
    if not phone_key(contact.caller_number):
        raise ReplyRefused(_("The contact has no caller number to answer."))
    person = person_ref("caller_profile", contact.profile_id) if contact.profile_id else None
    outgoing = queue_sms(contact.caller_number, body, person=person, purpose="service_delivery")
    db.session.flush()
    reply = TextMessage(contact_id=contact.id, direction=OUTBOUND, body=body, at=utcnow(),
                        phone_key=phone_key(contact.caller_number) or None, outbox_message_id=outgoing.id,
                        sent_by_id=user.id if user else None)
    db.session.add(reply)
    db.session.flush()
    return reply


def latest_message_id(contact: Contact) -> int:
    return db.session.scalar(select(func.max(TextMessage.id)).where(TextMessage.contact_id == contact.id)) or 0


def thread(contact: Contact) -> list[tuple[TextMessage, tuple[str, str] | None]]:
    """The conversation, oldest first, each reply with its delivery (state, what happened) as the
    outbox knows it; one query."""
    rows = db.session.execute(
        select(TextMessage, OutboxMessage).outerjoin(OutboxMessage, OutboxMessage.id == TextMessage.outbox_message_id)
        .where(TextMessage.contact_id == contact.id).order_by(TextMessage.at, TextMessage.id))
    return [(text, delivery(outgoing) if outgoing is not None else None) for text, outgoing in rows]
