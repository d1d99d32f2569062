"""The activities' own screens: task history and kanban, calendar (events, rescheduling, sharing,
iCal feed), document uploads and downloads, meeting invitees."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required
from marshmallow import ValidationError
from sqlalchemy import or_, select

from kernel.toolkit import (
    Panel,
    StoredFileMissing,
    User,
    active_users,
    clock,
    db,
    entities,
    note_read,
    records,
    related_titles,
    require,
    safe_next,
    storage,
    users_by_id,
    utcnow,
)
from kernel.toolkit import gettext as _
from kernel.toolkit import lazy_gettext as _l
from plugins.activities import calendar, documents, meetings
from plugins.activities.models import (
    DOCUMENT_CATEGORIES,
    OPEN_TASK_STATUSES,
    TASK_STATUSES,
    DocumentRevision,
    MeetingInvitee,
    Task,
)

bp = Blueprint("activities", __name__)
log = logging.getLogger(__name__)


def wants_json() -> bool:
    """The page's script asks for JSON; a browser's form (which accepts */*) gets a page."""
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


def first_message(messages: dict) -> str:
    for value in messages.values():
        return str(value[0] if isinstance(value, list) else value)
    return _("The change was refused.")


# -- tasks: history and kanban -----------------------------------------------------------------

HISTORY_ROWS = 200


@bp.route("/tasks/history")
@require("activities.view")
def task_history():
    completed = db.session.scalars(
        entities().get("task").active().where(Task.status == "completed").order_by(Task.updated_at.desc())
        .limit(HISTORY_ROWS + 1)
    ).all()
    return render_template("activities/history.html", tasks=completed[:HISTORY_ROWS],
                           more=len(completed) > HISTORY_ROWS,
                           titles=related_titles({task.related_to for task in completed}, entities()))


RECENTLY_COMPLETED = timedelta(days=14)


@bp.route("/tasks/kanban")
@require("activities.view")
def kanban():
    task_entity = entities().get("task")
    recently = utcnow() - RECENTLY_COMPLETED  # older completed tasks are in the history
    statement = (task_entity.active().where(or_(Task.status != "completed", Task.updated_at >= recently))
                 .order_by(Task.due_date.is_(None), Task.due_date, Task.id))
    if request.args.get("mine"):
        statement = statement.where(Task.assigned_user_id == current_user.id)
    columns = {status: [] for status in kanban_order(TASK_STATUSES.values())}
    for task in db.session.scalars(statement):
        columns.setdefault(task.status, []).append(task)
    return render_template("activities/kanban.html", columns=columns, statuses=TASK_STATUSES,
                           may_edit=current_user.can("activities.edit"), today=clock.today(),
                           open_statuses=OPEN_TASK_STATUSES)


def kanban_order(statuses) -> list[str]:
    """The columns in the status list's order, the closed ones (done) last whatever an
    administrator's edited list says."""
    return sorted(statuses, key=lambda status: status not in OPEN_TASK_STATUSES)


@bp.route("/tasks/<int:task_id>/status", methods=["POST"])
@require("activities.edit")
def change_task_status(task_id):
    task_entity = entities().get("task")
    task = records.get(task_entity, task_id) or abort(404)
    try:
        records.update(task_entity, task, {"status": request.form.get("status")}, current_user,
                       expected_version=request.form.get("version"))
    except records.StaleRecord:
        db.session.rollback()
        return status_refused(_("Someone else changed this task meanwhile: reload the page."), 409)
    except ValidationError as error:
        db.session.rollback()
        return status_refused(first_message(error.messages), 422)
    db.session.commit()
    if not wants_json():  # the card's own form, sent without JavaScript or from the keyboard
        return redirect(url_for("activities.kanban"))
    return jsonify(status=task.status, version=task.version)


def status_refused(message: str, status: int):
    if wants_json():
        return jsonify(error=message), status
    flash(message, "error")
    return redirect(url_for("activities.kanban"))


# -- calendar ----------------------------------------------------------------------------------

@bp.route("/activities/calendar")
@require("activities.view")
def calendar_page():
    colleagues = users_by_id(calendar.visible_owner_ids(current_user.id) - {current_user.id})
    return render_template("activities/calendar.html", may_create=current_user.can("activities.create"),
                           may_edit=current_user.can("activities.edit"),
                           timezone=calendar.user_zone().key, colours=calendar.COLOURS,
                           record_urls=calendar.record_urls(),
                           colleagues=sorted(colleagues.values(), key=lambda user: user.name))


@bp.route("/activities/calendar/events")
@require("activities.view")
def calendar_events():
    try:
        events = calendar.period_events(current_user.id, request.args, calendar.user_zone(), other_modules=True)
    except (KeyError, ValueError):
        return jsonify(error=_("Give a start and an end.")), 400
    return Response(json.dumps(events, ensure_ascii=False, separators=(",", ":")), mimetype="application/json")


KIND_ENTITIES = {"call": "call", "meeting": "meeting", "task": "task"}


@bp.route("/activities/calendar/move", methods=["POST"])
@require("activities.edit")
def calendar_move():
    kind = request.form.get("kind", "")
    entity = entities().get(KIND_ENTITIES.get(kind, ""))
    record = records.get(entity, request.form.get("id", type=int)) if entity else None
    if record is None:
        abort(404)
    try:
        zone = calendar.user_zone()
        start = calendar.dropped_start(kind, record, request.form["start"], zone)
        end_text = request.form.get("end", "")
        end = calendar.to_local_naive(end_text, zone) if len(end_text) > len("2026-01-31") else None
        values = calendar.rescheduled_values(kind, record, start, end)
        records.update(entity, record, values, current_user, expected_version=request.form.get("version"))
    except records.StaleRecord:
        db.session.rollback()
        return jsonify(error=_("Someone else changed this activity meanwhile: reload the calendar.")), 409
    except ValidationError as error:
        db.session.rollback()
        return jsonify(error=first_message(error.messages)), 422
    except (KeyError, ValueError):
        return jsonify(error=_("Give a start and an end.")), 400
    db.session.commit()
    return jsonify(version=record.version)


@bp.route("/activities/calendar/sharing", methods=["GET", "POST"])
@require("activities.view")
def calendar_sharing():
    if request.method == "POST":
        viewers = {int(value) for value in request.form.getlist("viewers") if value.isdigit()}
        calendar.save_sharing(current_user.id, request.form.get("sharing", "nobody"), viewers)
        db.session.commit()
        flash(_("Your calendar sharing is saved."), "success")
        return back_to_sharing()
    if calendar.settings_of(current_user.id).ical_token is None:
        calendar.new_token(current_user.id)
    db.session.commit()
    return render_template("activities/sharing.html", **calendar.sharing_context(current_user))


def back_to_sharing():
    """To the profile when the form was sent from there, else to the sharing page."""
    target = request.form.get("next")
    return redirect(safe_next(target) if target else url_for("activities.calendar_sharing"))


@bp.route("/activities/calendar/token", methods=["POST"])
@require("activities.view")
def regenerate_token():
    calendar.new_token(current_user.id)
    db.session.commit()
    flash(_("A new address is made: the old one no longer works."), "success")
    return back_to_sharing()


@bp.route("/activities/calendar/<token>.ics")
def ical_feed(token):
    user_id = calendar.user_id_for_token(token)
    user = db.session.get(User, user_id) if user_id else None
    if user is None or not user.can("activities.view"):
        abort(404)
    return Response(calendar.ical_feed(user.id, utcnow()), mimetype="text/calendar")


# -- documents ---------------------------------------------------------------------------------

@bp.route("/documents/upload", methods=["GET", "POST"])
@bp.route("/documents/new", methods=["GET", "POST"])  # instead of the generic form, which has no file
@require("documents.create")
def new_document():
    links = [value for value in request.values.getlist("link") if value]
    if request.method == "GET":
        return upload_page(links, {})
    entity = entities().get("document")
    try:
        document = records.create(entity, {"name": request.form.get("name"),
                                           "category": request.form.get("category") or None}, current_user)
        documents.add_revision(document, request.files.get("file") or _no_file(), current_user)
        for value in links:
            if not documents.add_link(document, value, current_user):
                raise documents.UploadRefused(_("Choose an existing client, contact or partner."))
    except (ValidationError, documents.UploadRefused) as error:
        db.session.rollback()
        message = first_message(error.messages) if isinstance(error, ValidationError) else str(error)
        flash(message, "error")
        return upload_page(links, request.form.to_dict()), 422
    db.session.commit()
    flash(_("%(title)s is saved.", title=document.name), "success")
    return redirect(url_for("records.show_record", plural="documents", record_id=document.id))


def upload_page(links: list[str], values: dict) -> str:
    return render_template("activities/upload.html", links=links, link_titles=related_titles(links, entities()),
                           categories=DOCUMENT_CATEGORIES, values=values)


def _no_file():
    raise documents.UploadRefused(_("Choose a file to upload."))


@bp.route("/documents/<int:document_id>/revisions", methods=["POST"])
@require("documents.edit")
def upload_revision(document_id):
    document = records.get(entities().get("document"), document_id) or abort(404)
    if not documents.may_view_document(current_user, document_id):
        abort(403)
    try:
        documents.add_revision(document, request.files.get("file") or _no_file(), current_user)
        if document.category == "cv":
            for link in documents.links_of(document.id):
                if link.startswith("client:"):
                    documents.mark_cv_up_to_date(document, int(link.split(":")[1]), current_user)
    except documents.UploadRefused as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("records.show_record", plural="documents", record_id=document_id)), 303
    db.session.commit()
    flash(_("The new version is saved."), "success")
    return redirect(url_for("records.show_record", plural="documents", record_id=document_id))


@bp.route("/documents/<int:document_id>/links", methods=["POST"])
@require("documents.edit")
def add_document_link(document_id):
    document = records.get(entities().get("document"), document_id) or abort(404)
    links = [value for value in request.form.getlist("link") if value]
    if not links or not all(documents.add_link(document, value, current_user) for value in links):
        db.session.rollback()
        flash(_("Choose an existing client, contact or partner."), "error")
    else:
        db.session.commit()
        flash(_("The link is saved."), "success")
    return redirect(url_for("records.show_record", plural="documents", record_id=document_id))


@bp.route("/documents/<int:document_id>/links/remove", methods=["POST"])
@require("documents.edit")
def remove_document_link(document_id):
    document = records.get(entities().get("document"), document_id) or abort(404)
    documents.remove_link(document, request.form.get("link", ""))
    db.session.commit()
    flash(_("The link is removed."), "success")
    return redirect(url_for("records.show_record", plural="documents", record_id=document_id))


@bp.route("/documents/files/<int:revision_id>")
@login_required
def download(revision_id):
    revision = db.session.get(DocumentRevision, revision_id) or abort(404)
    if documents.hidden_in_trash(current_user, revision.document_id):
        abort(404)
    if not documents.may_view_document(current_user, revision.document_id):
        abort(403)
    key = documents.file_key(revision)
    try:
        stream = storage().open(key)  # streamed, from the instance folder or object storage
    except StoredFileMissing:  # lost (a restore without the uploads, a hand clean-up)
        log.error("document file missing: %s (revision %s)", key, revision.id)
        abort(404)
    note_read("document", revision.document_id)  # who saw what: a document's file is read when downloaded
    response = send_file(stream, mimetype=revision.content_type, as_attachment=True,
                         download_name=revision.original_name)
    response.content_length = revision.size  # files are never rewritten: the size saved is theirs
    return response


# -- meeting invitees --------------------------------------------------------------------------

@bp.route("/meetings/<int:meeting_id>/invitees", methods=["GET", "POST"])
@require("activities.edit")
def meeting_invitees(meeting_id):
    meeting = records.get(entities().get("meeting"), meeting_id) or abort(404)
    if request.method == "POST":
        meetings.save_invitees(meeting.id, {int(value) for value in request.form.getlist("invitees") if value.isdigit()})
        db.session.commit()
        flash(_("The guests are saved."), "success")
        return redirect(url_for("records.show_record", plural="meetings", record_id=meeting.id))
    return render_template("activities/invitees.html", meeting=meeting, invited=meetings.invited_ids(meeting.id),
                           colleagues=active_users())


def invitees_panel(meeting, user) -> Panel:
    names = db.session.scalars(
        select(User.name).join(MeetingInvitee, MeetingInvitee.user_id == User.id)
        .where(MeetingInvitee.meeting_id == meeting.id).order_by(User.name)
    ).all()
    actions = []
    if user.can("activities.edit"):
        actions.append((_l("Choose the guests"), url_for("activities.meeting_invitees", meeting_id=meeting.id)))
    return Panel(key="invitees", title=_l("Invited colleagues"), template="activities/_invitees_panel.html",
                 context={"names": names, "duration": duration_text(meeting)}, actions=actions, order=20)


def duration_text(meeting) -> str:
    """The meeting's length, derived from its start and end: "1 h 30"."""
    if meeting.start is None or meeting.end is None:
        return ""
    minutes = int((meeting.end - meeting.start).total_seconds() // 60)
    return _("%(hours)d h %(minutes)02d", hours=minutes // 60, minutes=minutes % 60)


# Addresses people keep (a bookmarked calendar, the iCal feeds their phones subscribe to) from before
# the calendar moved under the plugin's prefix (issue 17): permanent redirects.
for endpoint, former in (("former_calendar", "/calendar"), ("former_sharing", "/calendar/sharing"),
                         ("former_ical_feed", "/calendar/<token>.ics")):
    bp.add_url_rule(former, endpoint=endpoint, redirect_to="/activities" + former)

__all__ = ["bp"]
