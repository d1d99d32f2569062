"""Sending a warm referral, the partner's answers through its link, and what the agent sees."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from sqlalchemy import select

from kernel.toolkit import db, note_read, notify, person_ref, queue_email, secure_links, utcnow
from kernel.toolkit import gettext as _
from kernel.toolkit import lazy_gettext as _l
from plugins.contactcenter.messages import CannotSend
from plugins.contactcenter.models import Contact, Need, Profile, Referral
from plugins.contactcenter.warm_referrals.models import (
    ACCEPTED,
    CLOSED,
    DECLINE_REASONS,
    DECLINED,
    OPENED,
    OUTCOMES,
    SENT,
    STATUSES,
    WAITING,
    WarmReferral,
    WarmReferralEvent,
)
from plugins.directory.models import Agency, Resource, TaxonomyTerm, service_taxonomy

PURPOSE = "warm_referral"
LINK_DAYS = 30  # default of CONTACTCENTER_WARM_REFERRAL_DAYS
STALE_DAYS = 3  # default of CONTACTCENTER_WARM_REFERRAL_STALE_DAYS
NOTE_MAX = 2000
LANGUAGES = ("fr", "en")


class Refused(Exception):
    """The partner's action is not possible now (already answered…): ``str()`` says why."""


def link_days() -> int:
    return int(current_app.config.get("CONTACTCENTER_WARM_REFERRAL_DAYS") or LINK_DAYS)


def stale_days() -> int:
    return int(current_app.config.get("CONTACTCENTER_WARM_REFERRAL_STALE_DAYS") or STALE_DAYS)


def stale_before() -> datetime:
    return utcnow() - timedelta(days=stale_days())


def is_stale(warm: WarmReferral) -> bool:
    return warm.status in WAITING and warm.sent_at <= stale_before()


def record_event(warm: WarmReferral, kind: str, detail: str | None = None, user=None) -> None:
    db.session.add(WarmReferralEvent(warm_referral_id=warm.id, at=utcnow(), kind=kind, detail=detail,
                                     by_user_id=getattr(user, "id", None)))


def tell_the_agent(warm: WarmReferral) -> None:
    """The agent who sent it learns of the partner's answer (a notification linking to the contact)."""
    if warm.sent_by_id:
        notify(warm.sent_by_id, "contactcenter_warm_referral",
               _l("Warm referral of contact #%(id)s: %(status)s", id=warm.contact_id, status=STATUSES[warm.status]),
               entity="helpline_contact", record=warm.contact_id)


# -- sending -------------------------------------------------------------------------------------
def organisation_of(referral: Referral) -> tuple[Resource, Agency | None]:
    resource = db.session.get(Resource, referral.resource_id)
    agency = db.session.get(Agency, resource.organization_id) if resource and resource.organization_id else None
    return resource, agency


def referral_address(resource: Resource, agency: Agency | None) -> str | None:
    """Where the organisation takes referrals: its e-mail, else the programme's."""
    return (agency.email if agency else None) or resource.email


def send(referral: Referral, user, *, note: str = "", language: str | None = None) -> WarmReferral:
    """Send ``referral`` to its organisation with a new secure link. The caller's sharing consent
    for that organisation is checked by the outbox (``MessageRefused``: nothing queued); the
    caller commits, or rolls back on ``CannotSend``/``MessageRefused``."""
    profile = db.session.get(Profile, referral.profile_id) if referral.profile_id else None
    if profile is None:
        raise CannotSend(_("The referral has no caller profile: choose the caller's profile first."))
    resource, agency = organisation_of(referral)
    if resource is None or resource.deleted_at is not None:
        raise CannotSend(_("This resource is no longer in the directory."))
    address = referral_address(resource, agency)
    if not address:
        raise CannotSend(_("The organisation has no e-mail address: the warm referral cannot be sent to it."))
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise CannotSend(_("The note is too long (at most %(max)d characters).", max=NOTE_MAX))
    language = language if language in LANGUAGES else current_app.config.get("DEFAULT_LANGUAGE", "fr")
    warm = db.session.scalar(select(WarmReferral).where(WarmReferral.referral_id == referral.id))
    if warm is not None and warm.status not in WAITING:
        raise CannotSend(_("The organisation has already answered this warm referral."))
    resent = warm is not None
    _revoke_links(referral.id)
    if warm is None:
        warm = WarmReferral(referral_id=referral.id, contact_id=referral.contact_id)
        db.session.add(warm)
    warm.agency_id, warm.email, warm.language = (agency.id if agency else None), address, language
    warm.note, warm.status, warm.sent_at, warm.sent_by_id = note or None, SENT, utcnow(), getattr(user, "id", None)
    warm.opened_at = None
    token = secure_links.issue(PURPOSE, entity="referral", record_id=referral.id, days=link_days(),
                               language=language, email=address, created_by=user)
    message = _queue_email(profile, resource, agency, address, language, token)
    db.session.flush()
    warm.message_id = message.id
    warm.link_id = secure_links.links_for("referral", referral.id)[0].id
    record_event(warm, "resent" if resent else "sent", address, user)
    return warm


def _revoke_links(referral_id: int) -> None:
    for link in secure_links.links_for("referral", referral_id):
        if link.purpose == PURPOSE:
            secure_links.revoke(link)


def _queue_email(profile: Profile, resource: Resource, agency: Agency | None, address: str, language: str,
                 token: str):
    url = url_for("contactcenter.warm_referral_page", token=token, _external=True)
    with force_locale(language):
        programme = resource.name_fr if language == "fr" and resource.name_fr else resource.name
        subject = _("New referral to %(programme)s", programme=programme)
        body = render_template("contactcenter/warm_referrals/email.txt", programme=programme, url=url,
                               days=link_days())
    return queue_email(address, subject, body, person=person_ref("caller_profile", profile.id), purpose="sharing",
                       scope=agency.name if agency else resource.name)


# -- the partner's page --------------------------------------------------------------------------
@dataclass
class PartnerView:
    """The minimum a partner sees of one referral."""

    warm: WarmReferral
    referral: Referral
    first_name: str
    phone: str | None
    email: str | None
    programme: str
    needs: list[str]
    agency: Agency | None
    services: list[Resource] = field(default_factory=list)


def note_partner_read(referral: Referral, via: str) -> None:
    """The partner's visit in the access log (the contact and the caller's profile)."""
    note_read("helpline_contact", referral.contact_id, via=via)
    if referral.profile_id:
        note_read("caller_profile", referral.profile_id, via=via)


def open_for_partner(token: str):
    """The warm referral of a link (404/410 otherwise), with the visit in the access log."""
    from werkzeug.exceptions import NotFound

    link = secure_links.open_link(PURPOSE, token)
    referral = db.session.get(Referral, link.record_id)
    warm = db.session.scalar(select(WarmReferral).where(WarmReferral.referral_id == link.record_id))
    if referral is None or referral.deleted_at is not None or warm is None or warm.link_id != link.id:
        raise NotFound()
    note_partner_read(referral, f"link:{PURPOSE}")
    return link, warm, referral


def mark_opened(warm: WarmReferral) -> None:
    if warm.status == SENT:
        warm.status, warm.opened_at = OPENED, utcnow()
        record_event(warm, "opened")


def partner_view(warm: WarmReferral, referral: Referral, french: bool) -> PartnerView:
    profile = db.session.get(Profile, referral.profile_id) if referral.profile_id else None
    if profile is not None and profile.deleted_at is not None:  # in the trash: nothing of it is shown
        profile = None
    resource = db.session.get(Resource, referral.resource_id)
    agency = db.session.get(Agency, warm.agency_id) if warm.agency_id else None
    services = list(db.session.scalars(select(Resource).where(
        Resource.organization_id == agency.id, Resource.deleted_at.is_(None)).order_by(Resource.name))) if agency else []
    return PartnerView(
        warm=warm, referral=referral, first_name=first_name(profile.name if profile else ""),
        phone=profile.phone if profile else None, email=profile.email if profile else None,
        programme=_named(resource, french), needs=_needs_for_programme(referral, french), agency=agency,
        services=services)


def first_name(name: str) -> str:
    return (name or "").strip().split(" ")[0] if name and name.strip() else ""


def _named(record, french: bool) -> str:
    if record is None:
        return ""
    return (record.name_fr if french and getattr(record, "name_fr", None) else record.name) or ""


def _needs_for_programme(referral: Referral, french: bool) -> list[str]:
    """The caller's needs this programme answers (its service types): not the contact's other needs."""
    terms = db.session.execute(
        select(TaxonomyTerm.name, TaxonomyTerm.name_fr).join(Need, Need.term_id == TaxonomyTerm.id)
        .join(service_taxonomy, service_taxonomy.c.term_id == TaxonomyTerm.id)
        .where(Need.contact_id == referral.contact_id, Need.deleted_at.is_(None),
               service_taxonomy.c.service_id == referral.resource_id).distinct())
    return [_named(term, french) for term in terms]


def accept(warm: WarmReferral, user=None) -> None:
    if warm.status not in WAITING:
        raise Refused(_("This referral was already answered."))
    warm.status, warm.answered_at = ACCEPTED, utcnow()
    record_event(warm, "accepted", user=user)
    tell_the_agent(warm)


def parse_decline(form) -> tuple[str | None, str | None, dict]:
    errors = {}
    reason = form.get("reason")
    note = (form.get("note") or "").strip()
    if reason not in DECLINE_REASONS:
        errors["reason"] = _("Choose why the referral is declined.")
    elif reason == "other" and not note:
        errors["note"] = _("Say why in a few words.")
    if len(note) > NOTE_MAX:
        errors["note"] = _("The note is too long (at most %(max)d characters).", max=NOTE_MAX)
    return reason, note or None, errors


def decline(warm: WarmReferral, reason: str, note: str | None, user=None) -> None:
    if warm.status not in WAITING:
        raise Refused(_("This referral was already answered."))
    warm.status, warm.answered_at, warm.decline_reason, warm.decline_note = DECLINED, utcnow(), reason, note
    record_event(warm, "declined", note, user=user)
    tell_the_agent(warm)


def parse_outcome(form) -> tuple[str | None, str | None, dict]:
    errors = {}
    outcome = form.get("outcome")
    note = (form.get("note") or "").strip()
    if outcome not in OUTCOMES:
        errors["outcome"] = _("Choose the outcome.")
    if len(note) > NOTE_MAX:
        errors["note"] = _("The note is too long (at most %(max)d characters).", max=NOTE_MAX)
    return outcome, note or None, errors


def report_outcome(warm: WarmReferral, outcome: str, note: str | None, user=None) -> None:
    if warm.status not in (ACCEPTED, CLOSED):
        raise Refused(_("Accept the referral before reporting its outcome."))
    warm.status, warm.outcome, warm.outcome_note, warm.outcome_at = CLOSED, outcome, note, utcnow()
    record_event(warm, "outcome", note, user=user)
    tell_the_agent(warm)


def partner_service(warm: WarmReferral, service_id: int) -> Resource | None:
    """One of the organisation's own programmes (a partner updates only those)."""
    service = db.session.get(Resource, service_id)
    if service is None or service.deleted_at is not None or warm.agency_id is None:
        return None
    return service if service.organization_id == warm.agency_id else None


# -- what the agent sees -------------------------------------------------------------------------
@dataclass
class AgentView:
    warm: WarmReferral
    events: list[WarmReferralEvent]
    stale: bool


def for_referrals(referrals) -> dict[int, AgentView]:
    """The warm referrals of a contact's referrals, by referral id, with their history: two queries."""
    ids = [referral.id for referral in referrals]
    if not ids:
        return {}
    warms = list(db.session.scalars(select(WarmReferral).where(WarmReferral.referral_id.in_(ids))))
    events: dict[int, list] = {warm.id: [] for warm in warms}
    if warms:
        for event in db.session.scalars(select(WarmReferralEvent).where(
                WarmReferralEvent.warm_referral_id.in_(list(events))).order_by(WarmReferralEvent.at,
                                                                                WarmReferralEvent.id)):
            events[event.warm_referral_id].append(event)
    return {warm.referral_id: AgentView(warm, events[warm.id], is_stale(warm)) for warm in warms}


QUEUE_FILTERS = ("waiting", "stale", "accepted", "declined", "closed", "all")
QUEUE_LIMIT = 200


def queue(which: str, limit: int = QUEUE_LIMIT) -> list[dict]:
    """The warm referrals of a queue filter, newest first, with what each row shows (a few
    queries for the whole page, read from the (status, sent_at) and sent_at indexes)."""
    query = select(WarmReferral)
    if which == "waiting":
        query = query.where(WarmReferral.status.in_(WAITING))
    elif which == "stale":
        query = query.where(WarmReferral.status.in_(WAITING), WarmReferral.sent_at <= stale_before())
    elif which in (ACCEPTED, DECLINED, CLOSED):
        query = query.where(WarmReferral.status == which)
    warms = list(db.session.scalars(query.order_by(WarmReferral.sent_at.desc(), WarmReferral.id.desc()).limit(limit)))
    referrals = _by_id(Referral, {warm.referral_id for warm in warms})
    resources = _by_id(Resource, {referral.resource_id for referral in referrals.values()})
    agencies = _by_id(Agency, {warm.agency_id for warm in warms if warm.agency_id})
    contacts = _by_id(Contact, {warm.contact_id for warm in warms})
    return [{"warm": warm, "stale": is_stale(warm), "contact": contacts.get(warm.contact_id),
             "resource": resources.get(referrals[warm.referral_id].resource_id) if warm.referral_id in referrals
             else None, "agency": agencies.get(warm.agency_id)} for warm in warms]


def _by_id(model, ids) -> dict:
    ids = {one for one in ids if one}
    if not ids:
        return {}
    return {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids)))}
