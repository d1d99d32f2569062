"""The agent's working screen: a contact from the moment a call arrives until it is closed; the
phone system's webhook; the public page of a referral sent by SMS; the closing checklist's
settings."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale
from flask_login import current_user
from marshmallow import ValidationError
from sqlalchemy import select

from kernel import clock, records
from kernel.app import csrf
from kernel.db import db, utcnow
from kernel.duplicates import find_duplicates
from kernel.i18n import gettext as _
from kernel.permissions import require
from kernel.registry import entities
from kernel.security.events import FORCE_CLOSE_APPROVED, record_event
from kernel.security.passwords import FORCE_CLOSE, verify_password
from kernel.users import User
from kernel.views.api import problem, token_required
from plugins.directory import geo
from plugins.directory.cards import full_resource, is_french
from plugins.directory.models import Resource, TaxonomyTerm
from plugins.contactcenter import checklist as checks
from plugins.contactcenter import messages, workflow
from plugins.contactcenter.models import (
    CHANNELS,
    TAGS,
    Contact,
    Enrolment,
    Need,
    NoteTemplate,
    Profile,
    Referral,
    ServiceGap,
    SourceLine,
    Survey,
    SurveyQuestion,
    SurveyResponse,
)
from plugins.contactcenter.surveys import answers_from_form, missing_answers

blueprint = Blueprint("contactcenter", __name__)
TABS = ("details", "resources", "referrals", "programmes")
CONTACT_FIELDS = ("line_id", "channel", "requester_served", "service_delivery")


def entity(name: str):
    return entities().get(name)


def contact_or_404(contact_id: int) -> Contact:
    contact = records.get(entity("helpline_contact"), contact_id)
    if contact is None:
        abort(404)
    return contact


def screen_url(contact: Contact, tab: str = "details") -> str:
    return url_for("contactcenter.contact_screen", contact_id=contact.id, tab=tab)


def refuse_if_closed(contact: Contact):
    """A closed contact is read-only: every change answers 409 with the reason."""
    if workflow.is_closed(contact):
        message = str(entity("helpline_contact").closing.message)
        if request.headers.get("HX-Request"):
            return render_template("contactcenter/_status.html", message=message, error=True), 409
        flash(message, "error")
        return render_screen(contact, status=409)
    return None


def back_to(contact: Contact, tab: str):
    return redirect(screen_url(contact, tab))


# -- incoming calls --------------------------------------------------------------------------

@blueprint.route("/api/v1/contactcenter/incoming", methods=["POST"])
@csrf.exempt
@token_required
def incoming():
    """The phone system announces a call: ``{"line": "main", "caller": "+1 867 …", "call_id": "…",
    "agent": "agent@…" (optional), "channel": "phone" (optional)}``. The same call id gives the
    same contact."""
    if not g.api_user.can("contactcenter.create"):
        return problem(403, _("You are not allowed to do this."))
    body = request.get_json(silent=True) or request.form.to_dict()
    call_id = str(body.get("call_id") or "").strip()[:255]
    existing = workflow.contact_for_call(call_id)
    if existing is not None:
        return jsonify(contact_json(existing)), 200
    errors = {}
    line = workflow.line_by_code(str(body.get("line") or ""))
    if line is None:
        errors["line"] = [_("Unknown line: give the identifier of a source line.")]
    agent = None
    if body.get("agent"):
        agent = db.session.scalar(select(User).where(User.email == str(body["agent"]).strip().lower()))
        if agent is None:
            errors["agent"] = [_("No user has this e-mail address.")]
    if errors:
        return jsonify({"errors": errors}), 422
    channel = str(body.get("channel") or line.default_channel or "phone")
    try:
        contact = workflow.start_contact(g.api_user, channel=channel, line=line, caller_number=body.get("caller"),
                                         call_id=call_id, agent=agent)
    except ValidationError as error:
        db.session.rollback()
        return jsonify({"errors": error.normalized_messages()}), 422
    db.session.commit()
    return jsonify(contact_json(contact)), 201


def contact_json(contact: Contact) -> dict:
    return {"id": contact.id, "status": contact.status, "line_id": contact.line_id,
            "caller_number": contact.caller_number, "call_id": contact.call_id,
            "assigned_user_id": contact.assigned_user_id,
            "url": url_for("contactcenter.contact_screen", contact_id=contact.id, _external=True)}


@blueprint.route("/contactcenter/poll")
@require("contactcenter.edit")
def poll():
    """Asked every few seconds by the dashboard: takes the agent to a new contact for them."""
    contact = workflow.next_contact_for(current_user)
    db.session.commit()
    response = current_app.response_class("", 200)
    if contact is not None:
        response.headers["HX-Redirect"] = screen_url(contact)
    return response


@blueprint.route("/contactcenter/my-lines", methods=["POST"])
@require("contactcenter.edit")
def my_lines():
    chosen = [int(value) for value in request.form.getlist("line_id") if value.isdigit()]
    known = set(db.session.scalars(select(SourceLine.id).where(SourceLine.id.in_(chosen))))
    workflow.set_agent_lines(current_user, [line_id for line_id in chosen if line_id in known])
    db.session.commit()
    flash(_("Your lines are saved."), "success")
    return redirect(url_for("home.dashboard"))


@blueprint.route("/contactcenter/contacts/<int:contact_id>/take", methods=["POST"])
@require("contactcenter.edit")
def take(contact_id: int):
    contact = contact_or_404(contact_id)
    if contact.assigned_user_id is None:
        workflow.take(contact, current_user)
    if contact.assigned_user_id != current_user.id:
        flash(_("Another agent took this contact."), "error")
        return redirect(url_for("home.dashboard"))
    db.session.commit()
    return redirect(screen_url(contact))


@blueprint.route("/contactcenter/contacts/start", methods=["GET", "POST"])
@require("contactcenter.create")
def start():
    lines = active_lines()
    if request.method == "GET":
        return render_template("contactcenter/start.html", lines=lines, channels=CHANNELS.items(), errors={}, form={})
    line = db.session.get(SourceLine, int(request.form["line_id"])) if request.form.get("line_id", "").isdigit() else None
    try:
        contact = workflow.start_contact(current_user, channel=request.form.get("channel") or "phone", line=line,
                                         caller_number=request.form.get("caller_number"), agent=current_user)
    except ValidationError as error:
        db.session.rollback()
        return render_template("contactcenter/start.html", lines=lines, channels=CHANNELS.items(),
                               errors=error.normalized_messages(), form=request.form), 422
    db.session.commit()
    return redirect(screen_url(contact))


def active_lines() -> list[SourceLine]:
    return list(db.session.scalars(select(SourceLine).where(SourceLine.deleted_at.is_(None),
                                                            SourceLine.active.is_(True)).order_by(SourceLine.name)))


# -- the contact screen ----------------------------------------------------------------------

@blueprint.route("/contactcenter/contacts/<int:contact_id>")
@require("contactcenter.view")
def contact_screen(contact_id: int):
    contact = contact_or_404(contact_id)
    if contact.assigned_user_id == current_user.id:
        workflow.mark_opened(contact)
    if not workflow.is_closed(contact):
        session_active_contact(contact)
    db.session.commit()
    return render_screen(contact)


def session_active_contact(contact: Contact) -> None:
    """The contact the directory's Refer buttons refer for (``referring.refer_target``)."""
    session["helpline_contact"] = contact.id


def render_screen(contact: Contact, *, errors=None, status=200, checklist_shown=False, profile_query="",
                  duplicates=None):
    tab = request.args.get("tab") if request.args.get("tab") in TABS else "details"
    if contact.profile_id is None and not workflow.is_closed(contact):
        return render_template(
            "contactcenter/profile_step.html", contact=contact, candidates=workflow.profiles_for_number(contact.caller_number),
            found=workflow.search_profiles(profile_query) if profile_query else None, q=profile_query,
            profile_entity=entity("caller_profile"), errors=errors or {}, form=request.form, duplicates=duplicates,
        ), status
    return render_template("contactcenter/contact.html", tab=tab, errors=errors or {},
                           checklist_shown=checklist_shown, **screen_context(contact)), status


def screen_context(contact: Contact) -> dict:
    contact_entity, profile_entity = entity("helpline_contact"), entity("caller_profile")
    profile = db.session.get(Profile, contact.profile_id) if contact.profile_id else None
    needs = workflow.needs_of(contact.id)
    referrals = workflow.referrals_of(contact.id)
    gaps = list(db.session.scalars(select(ServiceGap).where(ServiceGap.contact_id == contact.id,
                                                            ServiceGap.deleted_at.is_(None)).order_by(ServiceGap.id)))
    previous, previous_total = workflow.previous_contacts(contact)
    previous_referrals, previous_needs = workflow.earlier_referrals_and_needs([earlier.id for earlier in previous])
    terms = term_titles({need.term_id for need in needs} | {gap.term_id for gap in gaps}
                        | {term_id for term_ids in previous_needs.values() for term_id in term_ids})
    resource_ids = {referral.resource_id for referral in referrals} | {
        resource_id for resource_ids in previous_referrals.values() for resource_id in resource_ids}
    resources = {resource.id: resource for resource in db.session.scalars(
        select(Resource).where(Resource.id.in_(resource_ids)))}
    all_lines = {line.id: line for line in db.session.scalars(select(SourceLine).order_by(SourceLine.name))}
    surveys = surveys_of(contact)
    items = checks.checklist(contact, needs, referrals, [item["survey"] for item in surveys])
    return {
        "contact": contact, "entity": contact_entity, "profile": profile, "profile_entity": profile_entity,
        "closed": workflow.is_closed(contact), "line": all_lines.get(contact.line_id),
        "lines": [line for line in all_lines.values() if line.active and line.deleted_at is None], "needs": needs,
        "referrals": referrals, "resources": resources, "messages": messages.message_statuses(referrals),
        "gaps": gaps, "terms": terms, "previous": previous, "previous_total": previous_total,
        "previous_referrals": previous_referrals, "previous_needs": previous_needs,
        "previous_lines": all_lines,
        "checklist": items, "can_close": checks.can_close(items), "tags": TAGS.items_with(None),
        "note_templates": list(db.session.scalars(select(NoteTemplate).where(NoteTemplate.deleted_at.is_(None))
                                                  .order_by(NoteTemplate.name))),
        "surveys": surveys, "programmes": programmes_offered(), "enrolments": enrolments_of(contact),
        "profile_fields": [meta for meta in profile_entity.editable_fields],
        "contact_fields": [contact_entity.fields[name] for name in CONTACT_FIELDS],
        "agent": db.session.get(User, contact.assigned_user_id) if contact.assigned_user_id else None,
        "approver": db.session.get(User, contact.approved_by_id) if contact.approved_by_id else None,
        "french": is_french(), "can_force": current_user.can("contactcenter.force_close"),
        "can_edit": current_user.can("contactcenter.edit"), "caller_place": caller_place(profile),
        "delivery": checks.message_state, "sms_configured": messages.sms_configured(),
    }


def caller_place(profile: Profile | None) -> str:
    """Where to search resources near the caller: the postal code, or the community when the code
    is unknown or only places its large area (a northern forward sortation area) and the community
    is known."""
    if profile is None:
        return ""
    code, community = (profile.postal_code or "").strip(), (profile.community or "").strip()
    if not community or not code:
        return code or community
    place = geo.find_place(code)
    if place is not None and not place.approximate:
        return code
    return community if geo.find_place(community) is not None else code


def term_titles(term_ids) -> dict[int, str]:
    term_entity = entities().get("taxonomy_term")
    ids = {term_id for term_id in term_ids if term_id}
    if not ids:
        return {}
    return {term.id: f"{term_entity.title_of(term)} ({term.code})" if term.code else term_entity.title_of(term)
            for term in db.session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.id.in_(ids)))}


# -- profile ---------------------------------------------------------------------------------

@blueprint.route("/contactcenter/contacts/<int:contact_id>/profiles")
@require("contactcenter.view")
def search_profiles(contact_id: int):
    contact = contact_or_404(contact_id)
    q = (request.args.get("q") or "").strip()[:200]
    if request.headers.get("HX-Request"):
        return render_template("contactcenter/_profile_results.html", contact=contact, found=workflow.search_profiles(q),
                               q=q)
    return render_screen(contact, profile_query=q)


@blueprint.route("/contactcenter/contacts/<int:contact_id>/profile", methods=["POST"])
@require("contactcenter.edit")
def choose_profile(contact_id: int):
    contact = contact_or_404(contact_id)
    if refused := refuse_if_closed(contact):
        return refused
    profile = records.get(entity("caller_profile"), request.form.get("profile_id", type=int))
    if profile is None:
        abort(404)
    workflow.choose_profile(contact, profile, current_user)
    db.session.commit()
    return back_to(contact, "details")


@blueprint.route("/contactcenter/contacts/<int:contact_id>/profile/new", methods=["POST"])
@require("contactcenter.edit")
def create_profile(contact_id: int):
    contact = contact_or_404(contact_id)
    if refused := refuse_if_closed(contact):
        return refused
    profile_entity = entity("caller_profile")
    raw = raw_values(profile_entity, request.form, [meta.name for meta in profile_entity.editable_fields])
    if request.form.get("confirm_duplicates") != "1":
        likely = find_duplicates(profile_entity, raw)
        if likely:  # offer the existing profiles before creating another one
            return render_screen(contact, duplicates=likely)
    try:
        profile = records.create(profile_entity, raw, current_user)
        workflow.choose_profile(contact, profile, current_user)
    except ValidationError as error:
        db.session.rollback()
        return render_screen(contact_or_404(contact_id), errors=error.normalized_messages(), status=422)
    db.session.commit()
    return back_to(contact, "details")


def raw_values(target_entity, form, names) -> dict:
    """The submitted values of these fields; empty inputs become ``None``."""
    raw = {}
    for name in names:
        meta = target_entity.fields.get(name)
        if meta is None or not meta.editable:
            continue
        if meta.kind == "boolean":
            raw[name] = name in form
        elif name in form:
            value = form.get(name, "").strip()
            raw[name] = value or None
    return raw


# -- caller details --------------------------------------------------------------------------

@blueprint.route("/contactcenter/contacts/<int:contact_id>/details", methods=["POST"])
@require("contactcenter.edit")
def save_details(contact_id: int):
    contact = contact_or_404(contact_id)
    if refused := refuse_if_closed(contact):
        return refused
    contact_entity, profile_entity = entity("helpline_contact"), entity("caller_profile")
    contact_raw = raw_values(contact_entity, request.form, CONTACT_FIELDS)
    contact_raw["tags"] = ",".join(tag for tag in request.form.getlist("tags") if tag in TAGS.values()) or None
    try:
        records.update(contact_entity, contact, contact_raw, current_user,
                       expected_version=request.form.get("version"))
        profile = db.session.get(Profile, contact.profile_id) if contact.profile_id else None
        if profile is not None:
            names = [meta.name for meta in profile_entity.editable_fields]
            records.update(profile_entity, profile, raw_values(profile_entity, request.form, names), current_user,
                           expected_version=request.form.get("profile_version"))
    except records.StaleRecord:
        db.session.rollback()
        flash(_("Someone else changed this contact since you opened it: check the values and save again."),
              "error")
        return render_screen(contact_or_404(contact_id), status=409)
    except ValidationError as error:
        db.session.rollback()
        return render_screen(contact_or_404(contact_id), errors=error.normalized_messages(), status=422)
    db.session.commit()
    flash(_("Caller details saved."), "success")
    return back_to(contact, "details")


@blueprint.route("/contactcenter/contacts/<int:contact_id>/notes", methods=["POST"])
@require("contactcenter.edit")
def save_notes(contact_id: int):
    """Notes save by themselves as the agent types (htmx, a moment after the last key)."""
    contact = contact_or_404(contact_id)
    if refused := refuse_if_closed(contact):
        return refused
    try:
        records.update(entity("helpline_contact"), contact, {"notes": request.form.get("notes") or None},
                       current_user, expected_version=request.form.get("version"))
    except records.StaleRecord:
        db.session.rollback()
        message = _("Someone else changed this contact: copy your notes, reload the page and paste them again.")
        return render_template("contactcenter/_status.html", message=message, error=True), 409
    except ValidationError as error:
        db.session.rollback()
        message = " ".join(" ".join(messages) for messages in error.normalized_messages().values())
        return render_template("contactcenter/_status.html", message=message, error=True), 422
    db.session.commit()
    response = current_app.make_response(render_template("contactcenter/_status.html", message=_("Notes saved.")))
    response.headers["X-Contact-Version"] = str(contact.version)
    return response


# -- needs -----------------------------------------------------------------------------------

@blueprint.route("/contactcenter/contacts/<int:contact_id>/needs", methods=["POST"])
@require("contactcenter.edit")
def add_need(contact_id: int):
    contact = contact_or_404(contact_id)
    if refused := refuse_if_closed(contact):
        return refused
    term = records.get(entities().get("taxonomy_term"), request.form.get("term_id", type=int))
    if term is None:
        flash(_("Choose a service type for the need."), "error")
        return back_to(contact, "details")
    primary = request.form.get("primary") == "1" or None
    if workflow.add_need(contact, term.id, current_user, primary=primary) is None:
        flash(_("This need is already recorded."), "warning")
    db.session.commit()
    return back_to(contact, "details")


def need_or_404(contact: Contact, need_id: int) -> Need:
    need = records.get(entity("service_need"), need_id)
    if need is None or need.contact_id != contact.id:
        abort(404)
    return need


@blueprint.route("/contactcenter/contacts/<int:contact_id>/needs/<int:need_id>/primary", methods=["POST"])
@require("contactcenter.edit")
def primary_need(contact_id: int, need_id: int):
    contact = contact_or_404(contact_id)
    if refused := refuse_if_closed(contact):
        return refused
    workflow.mark_primary(contact, need_or_404(contact, need_id), current_user)
    db.session.commit()
    return back_to(contact, "details")


@blueprint.route("/contactcenter/contacts/<int:contact_id>/needs/<int:need_id>/delete", methods=["POST"])
@require("contactcenter.edit")
def delete_need(contact_id: int, need_id: int):
    contact = contact_or_404(contact_id)
    if refused := refuse_if_closed(contact):
        return refused
    records.delete(entity("service_need"), need_or_404(contact, need_id), current_user)
    db.session.commit()
    return back_to(contact, "details")


# -- referrals and service gaps --------------------------------------------------------------

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


def referral_or_404(referral_id: int) -> tuple[Referral, Contact]:
    referral = records.get(entity("referral"), referral_id)
    if referral is None:
        abort(404)
    return referral, contact_or_404(referral.contact_id)


@blueprint.route("/contactcenter/referrals/<int:referral_id>/<any(email, sms):channel>", methods=["POST"])
@require("contactcenter.edit")
def send_referral(referral_id: int, channel: str):
    referral, contact = referral_or_404(referral_id)
    if refused := refuse_if_closed(contact):
        return refused
    try:
        (messages.send_by_email if channel == "email" else messages.send_by_sms)(referral)
    except messages.CannotSend as error:
        db.session.rollback()
        flash(str(error), "error")
        return back_to(contact, "referrals")
    db.session.commit()
    if channel == "sms" and not messages.sms_configured():
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


@blueprint.route("/r/<token>")
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


# -- programmes and surveys ------------------------------------------------------------------

def surveys_of(contact: Contact) -> list[dict]:
    surveys = list(db.session.scalars(select(Survey).where(Survey.deleted_at.is_(None), Survey.active.is_(True))
                                      .order_by(Survey.name)))
    if not surveys:
        return []
    ids = [survey.id for survey in surveys]
    questions: dict[int, list] = {survey_id: [] for survey_id in ids}
    for question in db.session.scalars(select(SurveyQuestion).where(SurveyQuestion.survey_id.in_(ids),
                                                                    SurveyQuestion.deleted_at.is_(None))
                                       .order_by(SurveyQuestion.position, SurveyQuestion.id)):
        questions[question.survey_id].append(question)
    responses = {response.survey_id: response for response in db.session.scalars(
        select(SurveyResponse).where(SurveyResponse.contact_id == contact.id, SurveyResponse.deleted_at.is_(None)))}
    return [{"survey": survey, "questions": questions[survey.id], "response": responses.get(survey.id)}
            for survey in surveys]


@blueprint.route("/contactcenter/contacts/<int:contact_id>/surveys/<int:survey_id>", methods=["POST"])
@require("contactcenter.edit")
def answer_survey(contact_id: int, survey_id: int):
    contact = contact_or_404(contact_id)
    if refused := refuse_if_closed(contact):
        return refused
    survey = records.get(entity("intake_survey"), survey_id)
    if survey is None:
        abort(404)
    questions = list(db.session.scalars(select(SurveyQuestion).where(SurveyQuestion.survey_id == survey.id,
                                                                     SurveyQuestion.deleted_at.is_(None))))
    answers, errors = answers_from_form(questions, request.form)
    if errors:
        return render_screen(contact, errors={f"q{key}": value for key, value in errors.items()}, status=422)
    response = db.session.scalar(select(SurveyResponse).where(SurveyResponse.contact_id == contact.id,
                                                              SurveyResponse.survey_id == survey.id,
                                                              SurveyResponse.deleted_at.is_(None)))
    complete = not missing_answers(questions, answers)
    response_entity = entity("survey_response")
    if response is None:
        response = records.create(response_entity, {"contact_id": contact.id, "survey_id": survey.id,
                                                    "complete": complete}, current_user)
    else:
        records.update(response_entity, response, {"complete": complete}, current_user)
    response.answers = answers
    db.session.commit()
    flash(_("Survey saved.") if complete else _("Survey saved; required answers are still missing."),
          "success" if complete else "warning")
    return back_to(contact, "programmes")


def programmes_offered() -> list:
    """The programmes plugin's active programmes, when it is enabled."""
    programme_entity = entities().get("programme")
    if programme_entity is None:
        return []
    model = programme_entity.model
    rows = db.session.scalars(programme_entity.active().where(model.active.is_(True)).order_by(model.name_fr))
    return [(programme.id, programme_entity.title_of(programme)) for programme in rows]


def enrolments_of(contact: Contact) -> list[tuple[Enrolment, str]]:
    enrolments = list(db.session.scalars(select(Enrolment).where(Enrolment.contact_id == contact.id,
                                                                 Enrolment.deleted_at.is_(None))))
    names = dict(programmes_offered()) if enrolments else {}
    return [(enrolment, names.get(enrolment.programme_id, f"#{enrolment.programme_id}")) for enrolment in enrolments]


@blueprint.route("/contactcenter/contacts/<int:contact_id>/enrolments", methods=["POST"])
@require("contactcenter.edit")
def enrol(contact_id: int):
    contact = contact_or_404(contact_id)
    if refused := refuse_if_closed(contact):
        return refused
    programme_id = request.form.get("programme_id", type=int)
    if programme_id not in dict(programmes_offered()):
        flash(_("Choose one of the programmes offered."), "error")
        return back_to(contact, "programmes")
    records.create(entity("programme_enrolment"), {
        "contact_id": contact.id, "profile_id": contact.profile_id, "programme_id": programme_id,
        "enrolled_on": clock.today().isoformat(), "note": (request.form.get("note") or "").strip() or None,
    }, current_user)
    db.session.commit()
    flash(_("Enrolment recorded."), "success")
    return back_to(contact, "programmes")


# -- closing ---------------------------------------------------------------------------------

@blueprint.route("/contactcenter/contacts/<int:contact_id>/close", methods=["POST"])
@require("contactcenter.edit")
def close(contact_id: int):
    contact = contact_or_404(contact_id)
    if refused := refuse_if_closed(contact):
        return refused
    if not checks.can_close(checks.checklist(contact)):
        flash(_("The contact cannot be closed yet: complete what the checklist shows."), "error")
        return render_screen(contact, status=422, checklist_shown=True)
    try:
        workflow.close(contact, current_user, expected_version=request.form.get("version"))
    except records.StaleRecord:
        db.session.rollback()
        flash(_("Someone else changed this contact since you opened it: check it and close it again."), "error")
        return render_screen(contact_or_404(contact_id), status=409, checklist_shown=True)
    db.session.commit()
    flash(_("Contact closed."), "success")
    return redirect(url_for("home.dashboard"))


@blueprint.route("/contactcenter/contacts/<int:contact_id>/force-close", methods=["POST"])
@require("contactcenter.edit")
def force_close(contact_id: int):
    """A supervisor, or an agent with a supervisor's approval (their e-mail and password typed
    here), closes a contact whose checklist is incomplete: it is marked incomplete."""
    contact = contact_or_404(contact_id)
    if refused := refuse_if_closed(contact):
        return refused
    reason = (request.form.get("reason") or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = [_("Say why the contact is closed incomplete.")]
    approver = None
    if not current_user.can("contactcenter.force_close"):
        approver = supervisor_approval(request.form.get("approver_email"), request.form.get("approver_password"))
        if approver is None:
            errors["approver_email"] = [_("A supervisor must approve: their e-mail address and password are not "
                                          "those of a user allowed to force the closing.")]
    if errors:
        return render_screen(contact, errors=errors, status=422, checklist_shown=True)
    try:
        workflow.force_close(contact, current_user, reason, approver, expected_version=request.form.get("version"))
    except records.StaleRecord:
        db.session.rollback()
        flash(_("Someone else changed this contact since you opened it: check it and close it again."), "error")
        return render_screen(contact_or_404(contact_id), status=409, checklist_shown=True)
    record_event(FORCE_CLOSE_APPROVED, target_type="helpline_contact", target_id=contact.id,
                 approver=approver.email if approver else current_user.email)
    db.session.commit()
    flash(_("Contact closed incomplete."), "success")
    return redirect(url_for("home.dashboard"))


def supervisor_approval(email, password) -> User | None:
    """The approving supervisor, through the kernel's one throttled password check (429 past it)."""
    user = verify_password(email or "", password or "", purpose=FORCE_CLOSE)
    return user if user is not None and user.can("contactcenter.force_close") else None


# -- the checklist's settings ----------------------------------------------------------------

@blueprint.route("/admin/contactcenter/checklist", methods=["GET", "POST"])
@require("contactcenter_setup.checklist")
def checklist_settings():
    current = checks.settings()
    choices = checks.demographic_choices()
    if request.method == "POST":
        allowed = {name for name, _label in choices}
        current.require_tags = request.form.get("require_tags") == "1"
        current.required_demographics = [name for name in request.form.getlist("demographics") if name in allowed]
        if current.id is None:
            db.session.add(current)
        db.session.commit()
        flash(_("Closing checklist saved."), "success")
        return redirect(url_for("contactcenter.checklist_settings"))
    return render_template("contactcenter/checklist_settings.html", settings=current, choices=choices,
                           surveys=list(db.session.scalars(select(Survey).where(Survey.deleted_at.is_(None),
                                                                                Survey.required_to_close.is_(True)))))


