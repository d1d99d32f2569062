"""The plugin's own screens: the SAE settings, closing a case file, the panels of case files and
placements, and the office-visit registration form (``registration.py``)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from marshmallow import ValidationError
from sqlalchemy import select

from kernel.toolkit import Panel, User, clock, db, entities, forget_granted_permissions, records, require
from kernel.toolkit import gettext as _
from plugins.sae import settings
from plugins.sae.followups import follow_up_details, follow_up_tasks
from plugins.sae.models import CLOSING_OUTCOMES
from plugins.sae.numbering import format_problem

bp = Blueprint("sae", __name__, template_folder=None)


# -- settings -----------------------------------------------------------------------------------
@bp.route("/sae/settings", methods=["GET", "POST"], endpoint="settings")
@require("sae.configure")
def settings_page():
    users = list(db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name)))
    members = settings.members()
    errors = {}
    number_format = settings.file_number_format()
    if request.method == "POST":
        number_format = (request.form.get("file_number_format") or "").strip()
        problem = format_problem(number_format)
        if problem:
            errors["file_number_format"] = problem
            flash(_("Check the highlighted fields: nothing was saved yet."), "error")
            team = {int(value) for value in request.form.getlist("team") if value.isdigit()}
            duty = {int(value) for value in request.form.getlist("duty") if value.isdigit()}
            return render_template("sae/settings.html", users=users, team=team, duty=duty,
                                   number_format=number_format, errors=errors), 422
        known = {user.id for user in users}
        settings.save_file_number_format(number_format)
        settings.save_members({int(v) for v in request.form.getlist("team") if v.isdigit() and int(v) in known},
                              {int(v) for v in request.form.getlist("duty") if v.isdigit() and int(v) in known})
        db.session.commit()
        forget_granted_permissions()
        flash(_("The SAE settings are saved."), "success")
        return redirect(url_for("sae.settings"))
    team = {user_id for user_id, member in members.items() if member.on_team}
    duty = {user_id for user_id, member in members.items() if member.on_duty}
    return render_template("sae/settings.html", users=users, team=team, duty=duty, number_format=number_format,
                           errors=errors)



# -- closing a case file ------------------------------------------------------------------------
def case_file_or_404(record_id: int, action: str):
    entity = entities().get("case_file")
    if not entity.can(current_user, action):
        abort(403)
    record = records.get(entity, record_id)
    if record is None:
        abort(404)
    return entity, record


@bp.route("/sae/case-files/<int:record_id>/close", methods=["GET", "POST"])
@login_required
def close_case_file(record_id):
    entity, record = case_file_or_404(record_id, "edit")
    show = url_for("records.show_record", plural=entity.plural, record_id=record.id)
    if entity.is_closed(record):
        flash(str(entity.closing.message), "error")
        return redirect(show)
    values = {"closure_date": clock.today().isoformat(), "outcome": ""}
    if request.method == "GET":
        return render_template("sae/close.html", entity=entity, record=record, values=values, errors={},
                               outcomes=CLOSING_OUTCOMES.items())
    values = {name: (request.form.get(name) or "").strip() for name in ("closure_date", "outcome")}
    raw = {"status": "closed", **{name: value or None for name, value in values.items()}}
    try:
        records.update(entity, record, raw, current_user, expected_version=request.form.get("version"))
    except records.StaleRecord:
        db.session.rollback()
        flash(_("Someone changed this record since you opened it. Look at it again."), "error")
        return redirect(show)
    except ValidationError as error:
        db.session.rollback()
        messages = {name: " ".join(texts) for name, texts in error.messages.items()}
        return render_template("sae/close.html", entity=entity, record=record, values=values, errors=messages,
                               outcomes=CLOSING_OUTCOMES.items()), 422
    db.session.commit()
    flash(_("The case file %(number)s is closed.", number=record.file_number), "success")
    return redirect(show)


def closing_panel(record) -> Panel:
    """On an open file, for those who may change it: the way to close it."""
    return Panel(key="sae-closing", title=_("Closing"), template="sae/_closing_panel.html",
                 actions=[(_("Close the file"), url_for("sae.close_case_file", record_id=record.id))], order=10)


def follow_ups_panel(record, user) -> Panel:
    can_see = user.can("activities.view")
    return Panel(key="sae-follow-ups", title=_("Follow-ups"), template="sae/_follow_ups_panel.html",
                 context={"follow_ups": follow_up_tasks(record.id) if can_see else [], "can_see": can_see,
                          "activities_enabled": entities().get("task") is not None}, order=20)


def follow_up_task_panel(task) -> Panel | None:
    """On a follow-up task's page, for those who may see SAE files: which file and placement it is
    about (the task itself says only "Follow-up at 30 days")."""
    details = follow_up_details(task.id)
    if details is None:
        return None
    days, placement, case_file = details
    return Panel(key="sae-follow-up", title=_("SAE follow-up"), template="sae/_follow_up_task_panel.html",
                 context={"days": days, "placement": placement, "case_file": case_file}, order=5)


from plugins.sae import registration  # noqa: E402,F401  routes of the registration form on ``bp``
