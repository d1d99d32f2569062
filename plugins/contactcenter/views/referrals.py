"""The Referrals tab: referring the caller to a resource, sending the referral by e-mail or SMS,
deleting it, recording a service gap; and the public page a referral's SMS links to."""

from __future__ import annotations

from flask import abort, flash, render_template, request
from flask_babel import force_locale
from flask_login import current_user
from marshmallow import ValidationError

from kernel.toolkit import MessageRefused, db, entities, records, require, utcnow
from kernel.toolkit import gettext as _
from plugins.contactcenter import messages, workflow
from plugins.contactcenter.models import Contact, Profile, Referral
from plugins.contactcenter.views.common import back_to, blueprint, contact_or_404, entity
from plugins.contactcenter.views.screen import refuse_if_closed, render_screen
from plugins.directory.cards import full_resource
from plugins.directory.models import Resource


@blueprint.route("/contactcenter/contacts/<int:contact_id>/referrals", methods=["POST"])
@require("contactcenter.edit")
def refer(contact_id: int):
    contact = contact_or_404(contact_id)
    if refused := refuse_if_closed(contact):
        return refused
    resource = records.get(entities().get("resource"), request.form.get("resource_id", type=int))
    if resource is None:
        abort(404)
    name = entities().get("resource").title_of(resource)
    if workflow.already_referred(contact, resource.id):
        flash(_("%(name)s is already among this contact's referrals.", name=name), "warning")
        return back_to(contact, "referrals")
    workflow.refer(contact, resource.id, current_user)
    db.session.commit()
    flash(_("Referral to %(name)s made.", name=name), "success")
    return back_to(contact, "referrals")


SENDERS = {"email": messages.send_by_email, "sms": messages.send_by_sms, "share": messages.share_with_resource}


def referral_or_404(referral_id: int) -> tuple[Referral, Contact]:
    referral = records.get(entity("referral"), referral_id)
    if referral is None:
        abort(404)
    return referral, contact_or_404(referral.contact_id)


@blueprint.route("/contactcenter/referrals/<int:referral_id>/<any(email, sms, share):channel>", methods=["POST"])
@require("contactcenter.edit")
def send_referral(referral_id: int, channel: str):
    referral, contact = referral_or_404(referral_id)
    if refused := refuse_if_closed(contact):
        return refused
    try:
        SENDERS[channel](referral)
    except (messages.CannotSend, MessageRefused) as error:
        db.session.rollback()
        flash(str(error), "error")
        return back_to(contact, "referrals")
    db.session.commit()
    if channel == "share":
        flash(_("The caller's details are on their way to the organisation by e-mail."), "success")
    elif channel == "sms" and not messages.sms_configured():
        flash(_("No SMS provider is configured: the SMS is written to the server's log, not sent."), "warning")
    else:
        flash(_("The referral is on its way by e-mail.") if channel == "email" else
              _("The referral is on its way by SMS."), "success")
    return back_to(contact, "referrals")


@blueprint.route("/contactcenter/referrals/<int:referral_id>/delete", methods=["POST"])
@require("contactcenter.edit")
def delete_referral(referral_id: int):
    referral, contact = referral_or_404(referral_id)
    if refused := refuse_if_closed(contact):
        return refused
    records.delete(entity("referral"), referral, current_user)
    db.session.commit()
    flash(_("Referral deleted."), "success")
    return back_to(contact, "referrals")


@blueprint.route("/contactcenter/contacts/<int:contact_id>/gaps", methods=["POST"])
@require("contactcenter.edit")
def add_gap(contact_id: int):
    contact = contact_or_404(contact_id)
    if refused := refuse_if_closed(contact):
        return refused
    profile = db.session.get(Profile, contact.profile_id) if contact.profile_id else None
    raw = {"contact_id": contact.id, "term_id": request.form.get("term_id") or None,
           "note": (request.form.get("note") or "").strip() or None,
           "postal_code": (request.form.get("postal_code") or (profile.postal_code if profile else "") or "").strip()
           or None}
    try:
        records.create(entity("service_gap"), raw, current_user)
    except ValidationError as error:
        db.session.rollback()
        return render_screen(contact_or_404(contact_id), errors={f"gap_{key}": value for key, value in
                                                                 error.normalized_messages().items()}, status=422)
    db.session.commit()
    flash(_("Service gap recorded."), "success")
    return back_to(contact, "referrals")


@blueprint.route(f"{messages.PUBLIC_LINK_PATH}<token>")
def public_referral(token: str):
    """The page a referral's SMS links to: no login, only this resource, until the link expires."""
    referral = messages.referral_for_link(token)
    if referral is None:
        return render_template("contactcenter/public_referral.html", resource=None), 410
    profile = db.session.get(Profile, referral.profile_id) if referral.profile_id else None
    resource = db.session.get(Resource, referral.resource_id)
    language = messages.caller_language(profile)
    with force_locale(language):
        return render_template("contactcenter/public_referral.html", resource=full_resource(resource, utcnow()),
                               language=language)


# The links sent by SMS before the page moved under the plugin's prefix (issue 17) keep working,
# as a permanent redirect, until they have all expired.
blueprint.add_url_rule("/r/<token>", endpoint="former_public_referral",
                       redirect_to=f"{messages.PUBLIC_LINK_PATH}<token>")
