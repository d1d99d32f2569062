"""Referrals sent to the caller through the kernel's outbox: the resource's details by e-mail, in
the caller's language, or by SMS a short link to a public page that expires."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import select

from kernel.toolkit import EMAIL, OutboxMessage, db, person_ref, queue_email, queue_sms, utcnow
from kernel.toolkit import gettext as _
from plugins.contactcenter.models import Profile, Referral
from plugins.directory.cards import full_resource
from plugins.directory.models import Agency, Resource

LINK_DAYS = 30  # default of the setting HELPLINE_LINK_DAYS
PUBLIC_LINK_PATH = "/contactcenter/r/"  # the public page of a referral sent by SMS: the link, then its token


class CannotSend(Exception):
    """The caller has no e-mail address (or phone number) on file."""


def caller_language(profile: Profile | None) -> str:
    language = profile.preferred_language if profile else None
    return language if language in ("fr", "en") else current_app.config.get("DEFAULT_LANGUAGE", "fr")


def send_by_email(referral: Referral) -> OutboxMessage:
    profile = db.session.get(Profile, referral.profile_id) if referral.profile_id else None
    if profile is None or not profile.email:
        raise CannotSend(_("The caller has no e-mail address on file: add one to the profile first."))
    language = caller_language(profile)
    resource = db.session.get(Resource, referral.resource_id)
    with force_locale(language):
        details = full_resource(resource, utcnow())
        subject = _("Resource for you: %(name)s", name=details["name"])
        body = render_template("contactcenter/referral_email.txt", resource=details, profile=profile)
    message = queue_email(profile.email, subject, body, person=person_ref("caller_profile", profile.id),
                          purpose="email_referrals")
    db.session.flush()
    referral.email_message_id = message.id
    return message


def send_by_sms(referral: Referral) -> OutboxMessage:
    profile = db.session.get(Profile, referral.profile_id) if referral.profile_id else None
    if profile is None or not profile.phone:
        raise CannotSend(_("The caller has no phone number on file: add one to the profile first."))
    if not referral.link_token or (referral.link_expires_at and referral.link_expires_at < utcnow()):
        referral.link_token = secrets.token_urlsafe(12)
    days = int(current_app.config.get("HELPLINE_LINK_DAYS") or LINK_DAYS)
    referral.link_expires_at = utcnow() + timedelta(days=days)
    resource = db.session.get(Resource, referral.resource_id)
    link = current_app.config["BASE_URL"].rstrip("/") + PUBLIC_LINK_PATH + referral.link_token
    with force_locale(caller_language(profile)):
        name = full_resource(resource, utcnow())["name"]
        body = _("%(name)s: %(link)s", name=name, link=link)
    message = queue_sms(profile.phone, body, person=person_ref("caller_profile", profile.id), purpose="sms_referrals")
    db.session.flush()
    referral.sms_message_id = message.id
    return message


def share_with_resource(referral: Referral) -> OutboxMessage:
    """The caller's details sent to the resource's organisation, so that it calls them back: this
    shares the person's data with a partner, so it needs their consent to sharing with it."""
    profile = db.session.get(Profile, referral.profile_id) if referral.profile_id else None
    if profile is None:
        raise CannotSend(_("The referral has no caller profile: choose the caller's profile first."))
    resource = db.session.get(Resource, referral.resource_id)
    agency = db.session.get(Agency, resource.organization_id) if resource.organization_id else None
    address = resource.email or (agency.email if agency else None)
    if not address:
        raise CannotSend(_("The resource has no e-mail address: the caller's details cannot be sent to it."))
    with force_locale(current_app.config.get("DEFAULT_LANGUAGE", "fr")):
        subject = _("Referral of %(name)s", name=profile.name)
        body = render_template("contactcenter/referral_share.txt", profile=profile, resource=resource)
    message = queue_email(address, subject, body, person=person_ref("caller_profile", profile.id), purpose="sharing",
                          scope=agency.name if agency else resource.name)
    db.session.flush()
    return message


def referral_for_link(token: str) -> Referral | None:
    """The referral of a link sent by SMS, while the link is valid."""
    referral = db.session.scalar(select(Referral).where(Referral.link_token == token, Referral.deleted_at.is_(None)))
    if referral is None or referral.link_expires_at is None or referral.link_expires_at < utcnow():
        return None
    return referral


def message_statuses(referrals) -> dict[int, OutboxMessage]:
    """The outbox messages of these referrals, by id, in one query."""
    ids = {message_id for referral in referrals for message_id in (referral.email_message_id,
                                                                   referral.sms_message_id) if message_id}
    if not ids:
        return {}
    return {message.id: message for message in db.session.scalars(select(OutboxMessage)
                                                                  .where(OutboxMessage.id.in_(ids)))}


def sms_configured() -> bool:
    """False with the kernel's default provider, which only writes SMS to the log."""
    return (current_app.config.get("SMS_PROVIDER") or "log") != "log"


def email_configured() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


def delivery(message: OutboxMessage) -> tuple[str, str]:
    """(checklist state, what happened) of a referral's message, truthfully: a message "sent" to
    the log (no SMS provider, no mail server) reached nobody."""
    if message.status == "sent" and written_to_log(message):
        return "attention", (_("Written to the log: no SMS provider configured") if message.channel != EMAIL
                             else _("Written to the log: no mail server configured"))
    labels = {"queued": ("pending", _("Queued")), "sending": ("pending", _("Sending")),
              "sent": ("complete", _("Sent")), "failed": ("missing", _("Failed"))}
    return labels.get(message.status, ("pending", message.status))


def written_to_log(message: OutboxMessage) -> bool:
    if message.channel == EMAIL:
        return not email_configured()
    return (message.provider_message_id or "").startswith("log-")  # the log provider's ids
