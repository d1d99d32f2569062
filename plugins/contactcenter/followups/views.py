"""The follow-up screens: scheduling one from a contact, the agents' queue, working one."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_timezone
from flask_login import current_user
from sqlalchemy import select

from kernel.toolkit import db, entities, note_read, require
from kernel.toolkit import gettext as _
from kernel.toolkit import lazy_gettext as _l
from plugins.contactcenter.followups import service
from plugins.contactcenter.followups.models import DUE, STATUSES, WHY_NOT, FollowUp
from plugins.contactcenter.models import CHANNELS, Contact
from plugins.contactcenter.views.common import blueprint, contact_or_404
from plugins.directory.models import Resource, TaxonomyTerm

FILTER_LABELS = {"due": _l("Due today"), "mine": _l("Mine"), "overdue": _l("Overdue"), "all": _l("All to do")}


def parse_when(text: str | None) -> datetime | None:
    """A ``datetime-local`` input in the user's time zone, in UTC (as dates are stored)."""
    try:
        local = datetime.strptime((text or "").strip(), "%Y-%m-%dT%H:%M")
    except ValueError:
        return None
    if not 2000 <= local.year <= 2999:
        return None
    return get_timezone().localize(local).astimezone(UTC).replace(tzinfo=None)


@blueprint.route("/contactcenter/followups")
@require("contactcenter.view")
def followup_queue():
    which = request.args.get("which", "due")
    if which not in service.QUEUE_FILTERS:
        which = "due"
    rows = service.queue(current_user, which)
    return render_template("contactcenter/followups/queue.html", rows=rows, which=which,
                           filters=[(key, str(label)) for key, label in FILTER_LABELS.items()],
                           channels=dict(CHANNELS.all_items()), statuses=dict(STATUSES.all_items()))


@blueprint.route("/contactcenter/contacts/<int:contact_id>/followups/new", methods=["GET", "POST"])
@require("contactcenter.edit")
def schedule_followup(contact_id: int):
    contact = contact_or_404(contact_id)
    errors = {}
    if request.method == "POST":
        due_at = parse_when(request.form.get("due_at"))
        if due_at is None:
            errors["due_at"] = _("Give a valid date and time.")
        else:
            try:
                service.schedule(contact, current_user, due_at=due_at, channel=request.form.get("channel", ""),
                                 reason=request.form.get("reason", ""), consent="consent" in request.form)
            except service.FollowUpRefused as refused:
                errors["form"] = str(refused)
        if not errors:
            db.session.commit()
            flash(_("Follow-up scheduled."), "success")
            return redirect(url_for("contactcenter.contact_screen", contact_id=contact.id))
    return render_template("contactcenter/followups/schedule.html", contact=contact, errors=errors,
                           channels=CHANNELS.items(), form=request.form), 422 if errors else 200


def followup_or_404(followup_id: int) -> FollowUp:
    followup = db.session.get(FollowUp, followup_id)
    if followup is None:
        abort(404)
    return followup


def outcomes_from_form(referrals, form) -> list[service.Outcome]:
    reached = form.get("reached") == "yes"
    new_need = form.get("new_need_term_id", type=int)
    if new_need is not None and db.session.get(TaxonomyTerm, new_need) is None:
        new_need = None
    outcomes = []
    for index, referral in enumerate(referrals):
        why_not = form.get(f"why_not_{referral.id}")
        outcomes.append(service.Outcome(
            referral.id, reached=reached, contacted_service=yes_no(form.get(f"contacted_{referral.id}")) if reached else None,
            got_help=yes_no(form.get(f"helped_{referral.id}")) if reached else None,
            why_not=why_not if why_not in WHY_NOT.values() else ("no_answer" if not reached else None),
            new_need_term_id=new_need if index == 0 and reached else None,
            note=(form.get("note") or "").strip()[:2000] or None))
    if not referrals:
        outcomes.append(service.Outcome(None, reached=reached, new_need_term_id=new_need if reached else None,
                                        why_not=None if reached else "no_answer"))
    return outcomes


def yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


@blueprint.route("/contactcenter/followups/<int:followup_id>", methods=["GET", "POST"])
@require("contactcenter.view")
def work_followup(followup_id: int):
    followup = followup_or_404(followup_id)
    contact = db.session.get(Contact, followup.contact_id)
    note_read("helpline_contact", contact.id)
    referrals = service.referrals_to_follow(followup)
    if request.method == "POST":
        if not current_user.can("contactcenter.edit"):
            abort(403)
        if followup.status != DUE:
            flash(_("This follow-up is already closed."), "error")
            return redirect(url_for("contactcenter.work_followup", followup_id=followup.id))
        status = service.record_attempt(followup, outcomes_from_form(referrals, request.form), current_user)
        db.session.commit()
        flash(_("Follow-up closed as unreachable.") if status == "unreachable" else _("Attempt recorded."), "success")
        return redirect(url_for("contactcenter.followup_queue"))
    resource_entity, term_entity = entities().get("resource"), entities().get("taxonomy_term")
    resources = {resource.id: resource_entity.title_of(resource) for resource in db.session.scalars(
        select(Resource).where(Resource.id.in_([referral.resource_id for referral in referrals])))}
    terms = sorted(((term.id, term_entity.title_of(term)) for term in db.session.scalars(
        select(TaxonomyTerm).where(TaxonomyTerm.deleted_at.is_(None)))), key=lambda item: item[1].lower())
    return render_template("contactcenter/followups/work.html", followup=followup, contact=contact,
                           referrals=referrals, resources=resources, terms=terms, why_not=WHY_NOT.items(),
                           max_attempts=service.max_attempts(), statuses=dict(STATUSES.all_items()),
                           channels=dict(CHANNELS.all_items()))
