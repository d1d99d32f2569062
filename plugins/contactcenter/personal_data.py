"""What identifies a caller in the contact centre's records, and what anonymising keeps: the
contacts' moment, line, channel, status, needs and referrals, so that monthly counts by line,
area and need stay right (docs/privacy.md)."""

from __future__ import annotations

from sqlalchemy import case, func, select, update

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
    done = {_l("Messages emptied"): personal_data.scrub_outbox(sorted(message_ids))} if message_ids else {}
    return done | ({} if deleting else _empty_warm_referrals(ids))


def _empty_warm_referrals(referral_ids) -> dict:
    """What the agent and the partner organisation wrote about the caller on warm referrals, and
    the e-mails that sent them: emptied (the status, reasons and dates stay for the reports)."""
    from plugins.contactcenter.warm_referrals.models import WarmReferral, WarmReferralEvent

    of_referrals = WarmReferral.referral_id.in_(referral_ids)
    warm_ids = select(WarmReferral.id).where(of_referrals).scalar_subquery()
    message_ids = sorted(db.session.scalars(select(WarmReferral.message_id)
                                            .where(of_referrals, WarmReferral.message_id.is_not(None))))
    emptied = db.session.execute(update(WarmReferral).where(of_referrals)
                                 .values(note=None, decline_note=None, outcome_note=None)).rowcount
    db.session.execute(update(WarmReferralEvent).where(WarmReferralEvent.warm_referral_id.in_(warm_ids))
                       .values(detail=None))
    if message_ids:
        personal_data.scrub_outbox(message_ids)
    return {_l("Warm referrals' notes emptied"): emptied} if emptied else {}


def _empty_followups(contact_ids) -> dict:
    """The follow-ups' free text (why, why cancelled, what the caller said, the changes' old and
    new values): emptied; when, how and what came of them stay for the follow-up reports."""
    from plugins.contactcenter.followups.models import FollowUp, FollowUpChange, FollowUpOutcome

    of_contacts = FollowUp.contact_id.in_(contact_ids)
    followup_ids = select(FollowUp.id).where(of_contacts).scalar_subquery()
    emptied = db.session.execute(update(FollowUp).where(of_contacts).values(reason="", cancel_reason=None)).rowcount
    db.session.execute(update(FollowUpOutcome).where(FollowUpOutcome.followup_id.in_(followup_ids)).values(note=None))
    db.session.execute(update(FollowUpChange).where(FollowUpChange.followup_id.in_(followup_ids))
                       .values(old_value=None, new_value=None))
    return {_l("Follow-ups' notes emptied"): emptied} if emptied else {}


def contact_dependants(ids, deleting):
    """A contact's conversation, and the free text of its follow-ups (deleted with it otherwise)."""
    return text_messages(ids, deleting) | ({} if deleting else _empty_followups(ids))


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
            persons={"profile_id": CALLER}, dependants=contact_dependants,
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
