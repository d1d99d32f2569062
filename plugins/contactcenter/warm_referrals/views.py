"""Warm referrals: the agent sends one from the contact screen and follows them in a queue; the
partner organisation answers through its secure link (no account)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from kernel.toolkit import MessageRefused, db, limiter, require
from kernel.toolkit import gettext as _
from kernel.toolkit import lazy_gettext as _l
from plugins.contactcenter.messages import CannotSend
from plugins.contactcenter.views.common import back_to, blueprint
from plugins.contactcenter.views.referrals import referral_or_404
from plugins.contactcenter.views.screen import refuse_if_closed
from plugins.contactcenter.warm_referrals import service
from plugins.contactcenter.warm_referrals.models import DECLINE_REASONS, OUTCOMES, STATUSES
from plugins.directory.capacity.service import capacities_for, parse_capacity, save_capacity

QUEUE_LABELS = {"waiting": _l("Waiting for an answer"), "stale": _l("Stale"), "accepted": _l("Accepted"),
                "declined": _l("Declined"), "closed": _l("Outcome reported"), "all": _l("All")}

# -- the agent -----------------------------------------------------------------------------------
@blueprint.route("/contactcenter/referrals/<int:referral_id>/warm", methods=["POST"])
@require("contactcenter.edit")
def send_warm_referral(referral_id: int):
    referral, contact = referral_or_404(referral_id)
    if refused := refuse_if_closed(contact):
        return refused
    try:
        service.send(referral, current_user, note=request.form.get("note", ""),
                     language=request.form.get("language"))
    except (CannotSend, MessageRefused) as error:
        db.session.rollback()
        flash(str(error), "error")
        return back_to(contact, "referrals")
    db.session.commit()
    flash(_("The warm referral is on its way to the organisation by e-mail."), "success")
    return back_to(contact, "referrals")

@blueprint.route("/contactcenter/warm-referrals")
@require("contactcenter.view")
def warm_referral_queue():
    which = request.args.get("which", "waiting")
    if which not in service.QUEUE_FILTERS:
        which = "waiting"
    return render_template("contactcenter/warm_referrals/queue.html", rows=service.queue(which), which=which,
                           filters=QUEUE_LABELS, statuses=STATUSES, reasons=DECLINE_REASONS, outcomes=OUTCOMES,
                           stale_days=service.stale_days(), limit=service.QUEUE_LIMIT)

# -- the partner (no account: the link's token) --------------------------------------------------
PARTNER_RATE_LIMIT = "60 per minute"  # default of CONTACTCENTER_WARM_REFERRAL_RATE_LIMIT, per address


def partner_rate_limit() -> str:
    return current_app.config.get("CONTACTCENTER_WARM_REFERRAL_RATE_LIMIT") or PARTNER_RATE_LIMIT


def _french() -> bool:
    return str(get_locale() or "fr") == "fr"

def render_partner_page(token: str, link, warm, referral, errors: dict | None = None, form=None, status: int = 200,
                        capacity_service_id: int | None = None):
    view = service.partner_view(warm, referral, _french())
    capacities = capacities_for(one.id for one in view.services)
    return render_template("contactcenter/warm_referrals/partner.html", view=view, token=token, link=link,
                           errors=errors or {}, form=form, statuses=STATUSES, reasons=DECLINE_REASONS,
                           outcomes=OUTCOMES, capacities=capacities, capacity_service_id=capacity_service_id,
                           language=str(get_locale() or "fr"), french=_french(), link_days=service.link_days()), status

@blueprint.route("/contactcenter/warm/<token>")
@limiter.limit(partner_rate_limit)
def warm_referral_page(token: str):
    link, warm, referral = service.open_for_partner(token)
    service.mark_opened(warm)
    db.session.commit()
    return render_partner_page(token, link, warm, referral)

def _answer(token: str, act):
    """Open the link, apply ``act(warm)`` (errors: a dict to show, 422); 409 when refused."""
    link, warm, referral = service.open_for_partner(token)
    service.mark_opened(warm)
    try:
        errors = act(warm)
    except service.Refused as refused:
        db.session.commit()  # the visit stays recorded
        flash(str(refused), "error")
        return render_partner_page(token, link, warm, referral, status=409)
    if errors:
        db.session.commit()
        return render_partner_page(token, link, warm, referral, errors=errors, form=request.form, status=422)
    db.session.commit()
    flash(_("Thank you: your answer is recorded."), "success")
    return redirect(url_for("contactcenter.warm_referral_page", token=token))

@blueprint.route("/contactcenter/warm/<token>/accept", methods=["POST"])
@limiter.limit(partner_rate_limit)
def warm_referral_accept(token: str):
    return _answer(token, lambda warm: service.accept(warm))

@blueprint.route("/contactcenter/warm/<token>/decline", methods=["POST"])
@limiter.limit(partner_rate_limit)
def warm_referral_decline(token: str):
    def act(warm):
        reason, note, errors = service.parse_decline(request.form)
        if not errors:
            service.decline(warm, reason, note)
        return errors

    return _answer(token, act)

@blueprint.route("/contactcenter/warm/<token>/outcome", methods=["POST"])
@limiter.limit(partner_rate_limit)
def warm_referral_outcome(token: str):
    def act(warm):
        outcome, note, errors = service.parse_outcome(request.form)
        if not errors:
            service.report_outcome(warm, outcome, note)
        return errors

    return _answer(token, act)

@blueprint.route("/contactcenter/warm/<token>/capacity/<int:service_id>", methods=["POST"])
@limiter.limit(partner_rate_limit)
def warm_referral_capacity(token: str, service_id: int):
    link, warm, referral = service.open_for_partner(token)
    programme = service.partner_service(warm, service_id)
    if programme is None:  # not one of this organisation's programmes
        db.session.commit()
        abort(404)
    values, errors = parse_capacity(request.form)
    if errors:
        db.session.commit()
        return render_partner_page(token, link, warm, referral, errors=errors, form=request.form, status=422,
                                   capacity_service_id=programme.id)
    save_capacity(programme.id, values, by_name=warm.email)
    service.record_event(warm, "capacity", programme.name)
    db.session.commit()
    flash(_("Thank you: the capacity of %(programme)s is updated.", programme=programme.name), "success")
    return redirect(url_for("contactcenter.warm_referral_page", token=token) + "#capacity")


from plugins.contactcenter.warm_referrals import partner  # noqa: E402  partner accounts' pages

blueprint.before_app_request(partner.guard)
