"""What identifies a caller in the contact centre's records, and what anonymising keeps: the
contacts' moment, line, channel, status, needs and referrals, so that monthly counts by line,
area and need stay right (docs/privacy.md)."""

from __future__ import annotations

from sqlalchemy import case, func, select

from kernel.toolkit import IdentifyingData, PersonData, RetentionEvent, db, hookimpl, personal_data
from kernel.toolkit import lazy_gettext as _l

__all__ = ["passerelle_identifying_data", "passerelle_person_data"]

CALLER = "caller_profile"


def area(postal_code: str) -> str:
    """A Canadian postal code's forward sortation area (``H2X 1Y4`` → ``H2X``): an area, not an address."""
    return str(postal_code).replace(" ", "").upper()[:3]


def contact_closed(model):
    from plugins.contactcenter.models import OPEN

    return case((model.status != OPEN, func.coalesce(model.ended_at, model.updated_at)), else_=None)


def referral_messages(ids, deleting):
    """The e-mails and SMS that sent referrals to the caller: emptied (their content names them)."""
    from plugins.contactcenter.models import Referral

    message_ids = set()
    for email_id, sms_id in db.session.execute(select(Referral.email_message_id, Referral.sms_message_id)
                                               .where(Referral.id.in_(ids))):
        message_ids.update(value for value in (email_id, sms_id) if value)
    return {_l("Messages emptied"): personal_data.scrub_outbox(sorted(message_ids))} if message_ids else {}


def text_messages(ids, deleting):
    """A text contact's conversation (what the caller wrote, their number): deleted, and the replies'
    outbox messages emptied."""
    from plugins.contactcenter.texting.models import TextMessage

    of_contacts = TextMessage.contact_id.in_(ids)
    outbox_ids = sorted(db.session.scalars(select(TextMessage.outbox_message_id)
                                           .where(of_contacts, TextMessage.outbox_message_id.is_not(None))))
    deleted = db.session.execute(TextMessage.__table__.delete().where(of_contacts)).rowcount
    done = {_l("SMS of the conversation deleted"): deleted} if deleted else {}
    if outbox_ids:
        done[_l("Messages emptied")] = personal_data.scrub_outbox(outbox_ids)
    return done


@hookimpl
def passerelle_identifying_data():
    return [
        IdentifyingData(CALLER, fields=("name", "phone", "email", "address", "community", "phone_digits"),
                        coarsen={"postal_code": area},
                        keeps=_l("The preferred language and the area (first three characters of the postal code).")),
        IdentifyingData(
            "helpline_contact", fields=("caller_number", "call_id", "notes", "incomplete_reason"),
            persons={"profile_id": CALLER}, dependants=text_messages,
            keeps=_l("When it started and ended, the line, channel, status, service delivery and tags, with its "
                     "needs and referrals: the monthly counts by line, need and area stay right."),
            events=(RetentionEvent("closed", _l("Closing of the contact"), contact_closed),)),
        IdentifyingData("referral", fields=("link_token",), persons={"profile_id": CALLER},
                        dependants=referral_messages, keeps=_l("The resource referred to.")),
        IdentifyingData("programme_enrolment", fields=("note",), persons={"profile_id": CALLER},
                        keeps=_l("The programme and the enrolment date.")),
        IdentifyingData("survey_response", fields=("answers",), keeps=_l("Which survey, and whether it was complete.")),
        IdentifyingData("service_gap", fields=("note",), coarsen={"postal_code": area},
                        keeps=_l("The service type and the area.")),
    ]


@hookimpl
def passerelle_person_data(entity, record_id):
    """A caller's SMS conversations: the messages of their contacts, in and out."""
    if entity.name != CALLER:
        return None
    from plugins.contactcenter.models import Contact
    from plugins.contactcenter.texting.models import TextMessage

    rows = [{"contact_id": text.contact_id, "direction": text.direction, "at": text.at.isoformat(), "body": text.body}
            for text in db.session.scalars(select(TextMessage).join(Contact, Contact.id == TextMessage.contact_id)
                                           .where(Contact.profile_id == record_id)
                                           .order_by(TextMessage.at, TextMessage.id))]
    return [PersonData("contactcenter.sms", _l("SMS conversations"), rows=rows)] if rows else None
