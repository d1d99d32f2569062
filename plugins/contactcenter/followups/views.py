"""The follow-up screens: scheduling one from a contact, the agents' queue, working one."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime, get_timezone
from flask_login import current_user
from sqlalchemy import select

from kernel.toolkit import db, entities, note_read, require, users_by_id
from kernel.toolkit import gettext as _
from kernel.toolkit import lazy_gettext as _l
from plugins.contactcenter.followups import service
from plugins.contactcenter.followups.models import DUE, STATUSES, WHY_NOT, FollowUp
from plugins.contactcenter.models import CHANNELS, Contact, Profile
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
    withdrawn = service.without_consent_among(contact.profile_id for _followup, contact, _profile in rows)
    return render_template("contactcenter/followups/queue.html", rows=rows, which=which, withdrawn=withdrawn,
                           filters=[(key, str(label)) for key, label in FILTER_LABELS.items()],
                           channels=dict(CHANNELS.all_items()), statuses=dict(STATUSES.all_items()))


def local_input(moment: datetime | None) -> str:
    """A stored (UTC) date as a ``datetime-local`` input's value in the user's time zone."""
    if moment is None:
        return ""
    return moment.replace(tzinfo=UTC).astimezone(get_timezone()).strftime("%Y-%m-%dT%H:%M")


def values_from(form) -> tuple[dict, dict]:
    """The editable values a form gives, and the errors of those it cannot read."""
    values, errors = {}, {}
    if "due_at" in form:
        values["due_at"] = parse_when(form.get("due_at"))
        if values["due_at"] is None:
            errors["due_at"] = _("Give a valid date and time.")
    if "channel" in form:
        values["channel"] = form.get("channel", "")
    if "reason" in form:
        values["reason"] = form.get("reason", "")
    if "assignee_id" in form:
        chosen = (form.get("assignee_id") or "").strip()
        values["assignee_id"] = int(chosen) if chosen.isdigit() else None
        if chosen and not chosen.isdigit():
            errors["assignee_id"] = _("Choose an active colleague of the contact centre.")
    return values, errors


def schedule_url(contact: Contact, form) -> str:
    """The schedule page again, with what the agent typed (where a verbal consent brings them back)."""
    kept = {name: form.get(name) for name in ("due_at", "channel", "reason", "assignee_id") if form.get(name)}
    return url_for("contactcenter.schedule_followup", contact_id=contact.id, **kept)


@blueprint.route("/contactcenter/contacts/<int:contact_id>/followups/new", methods=["GET", "POST"])
@require("contactcenter.edit")
def schedule_followup(contact_id: int):
    contact = contact_or_404(contact_id)
    errors = {}
    form = request.form if request.method == "POST" else request.args
    if request.method == "POST":
        values, errors = values_from(request.form)
        if not errors:
            try:
                service.schedule(contact, current_user, due_at=values.get("due_at"), channel=values.get("channel", ""),
                                 reason=values.get("reason", ""), assignee_id=values.get("assignee_id"),
                                 consent="consent" in request.form)
            except service.FollowUpRefused as refused:
                db.session.rollback()
                errors[refused.field or "form"] = str(refused)
        if not errors:
            db.session.commit()
            flash(_("Follow-up scheduled."), "success")
            return redirect(url_for("contactcenter.contact_screen", contact_id=contact.id))
    profile = db.session.get(Profile, contact.profile_id) if contact.profile_id else None
    return render_template("contactcenter/followups/schedule.html", contact=contact, errors=errors,
                           channels=CHANNELS.items(), form=form, profile=profile,
                           profile_entity=entities().get(service.PROFILE_ENTITY),
                           consent=service.consent_state(contact.profile_id), assignees=service.assignable_users(),
                           assignee_id=form.get("assignee_id", type=int) or current_user.id,
                           back_here=schedule_url(contact, form)), 422 if errors else 200


def followup_or_404(followup_id: int) -> FollowUp:
    followup = db.session.get(FollowUp, followup_id) if 0 < followup_id < 2**31 else None
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
        if refused := service.work_refusal(followup, contact):
            return render_work(followup, contact, referrals, {"form": refused}, 422)
        status = service.record_attempt(followup, outcomes_from_form(referrals, request.form), current_user)
        db.session.commit()
        flash(_("Follow-up closed as unreachable.") if status == "unreachable" else _("Attempt recorded."), "success")
        return redirect(url_for("contactcenter.followup_queue"))
    return render_work(followup, contact, referrals, {})


def render_work(followup: FollowUp, contact: Contact, referrals, errors: dict, status: int = 200):
    resource_entity, term_entity = entities().get("resource"), entities().get("taxonomy_term")
    resources = {resource.id: resource_entity.title_of(resource) for resource in db.session.scalars(
        select(Resource).where(Resource.id.in_([referral.resource_id for referral in referrals])))}
    terms = sorted(((term.id, term_entity.title_of(term)) for term in db.session.scalars(
        select(TaxonomyTerm).where(TaxonomyTerm.deleted_at.is_(None)))), key=lambda item: item[1].lower())
    consent = service.consent_state(contact.profile_id, ticked=followup.consent_to_contact)
    return render_template("contactcenter/followups/work.html", followup=followup, contact=contact,
                           referrals=referrals, resources=resources, terms=terms, why_not=WHY_NOT.items(),
                           max_attempts=service.max_attempts(), statuses=dict(STATUSES.all_items()),
                           channels=dict(CHANNELS.all_items()), consent=consent, errors=errors,
                           workable=service.work_refusal(followup, contact) is None,
                           assignee=users_by_id({followup.assignee_id} - {None}).get(followup.assignee_id),
                           history=history_rows(service.history_of(followup))), status


ACTIONS = {"scheduled": _l("Scheduled"), "edited": _l("Changed"), "cancelled": _l("Follow-up cancelled"),
           "attempted": _l("Attempt recorded")}
FIELDS = {"due_at": _l("When"), "channel": _l("Channel"), "reason": _l("Why"), "assignee_id": _l("Assigned to"),
          "cancel_reason": _l("Reason"), "attempts": _l("Attempts")}


def history_rows(changes) -> list[dict]:
    """The history as the page shows it: dates in the user's zone, users and channels by name
    (the users read in one query)."""
    user_ids = {change.user_id for change in changes} | {
        int(value) for change in changes if change.field == "assignee_id"
        for value in (change.old_value, change.new_value) if value and value.isdigit()}
    users = users_by_id(user_ids - {None})
    channels = dict(CHANNELS.all_items())

    def shown(field, value):
        if value is None:
            return ""
        if field == "due_at":
            return format_datetime(datetime.fromisoformat(value), "short")
        if field == "assignee_id":
            user = users.get(int(value)) if value.isdigit() else None
            return user.name if user else value
        if field == "channel":
            return channels.get(value, value)
        return value

    return [{"when": change.changed_at, "who": users.get(change.user_id), "action": ACTIONS.get(change.action,
             change.action), "field": FIELDS.get(change.field, change.field) if change.field else "",
             "old": shown(change.field, change.old_value), "new": shown(change.field, change.new_value)}
            for change in changes]


@blueprint.route("/contactcenter/followups/<int:followup_id>/edit", methods=["GET", "POST"])
@require("contactcenter.edit")
def edit_followup(followup_id: int):
    followup = followup_or_404(followup_id)
    contact = db.session.get(Contact, followup.contact_id)
    errors = {}
    if followup.status != DUE:
        flash(_("This follow-up is already closed."), "error")
        return redirect(url_for("contactcenter.work_followup", followup_id=followup.id))
    if request.method == "POST":
        values, errors = values_from(request.form)
        if not errors:
            try:
                changes = service.edit(followup, current_user, values)
            except service.FollowUpRefused as refused:
                db.session.rollback()
                errors[refused.field or "form"] = str(refused)
        if not errors:
            db.session.commit()
            flash(_("Follow-up changed.") if changes else _("Nothing was changed."), "success")
            return redirect(url_for("contactcenter.work_followup", followup_id=followup.id))
        followup = followup_or_404(followup_id)
    form = request.form if request.method == "POST" else {
        "due_at": local_input(followup.due_at), "channel": followup.channel, "reason": followup.reason}
    assignee_id = request.form.get("assignee_id", type=int) if request.method == "POST" else followup.assignee_id
    return render_template("contactcenter/followups/edit.html", followup=followup, contact=contact, errors=errors,
                           form=form, channels=CHANNELS.items(), assignees=service.assignable_users(),
                           assignee_id=assignee_id), 422 if errors else 200


@blueprint.route("/contactcenter/followups/<int:followup_id>/cancel", methods=["POST"])
@require("contactcenter.edit")
def cancel_followup(followup_id: int):
    followup = followup_or_404(followup_id)
    contact = db.session.get(Contact, followup.contact_id)
    try:
        service.cancel(followup, current_user, request.form.get("cancel_reason", ""))
    except service.FollowUpRefused as refused:
        db.session.rollback()
        followup = followup_or_404(followup_id)
        return render_work(followup, contact, service.referrals_to_follow(followup),
                           {refused.field or "form": str(refused)}, 422)
    db.session.commit()
    flash(_("Follow-up cancelled."), "success")
    return redirect(url_for("contactcenter.followup_queue"))
from plugins.contactcenter.followups import api as followup_api  # noqa: F401, E402  the follow-ups through the REST API
