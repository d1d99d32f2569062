"""The Programmes tab: the intake surveys' answers and the programme enrolments."""

from __future__ import annotations

from flask import abort, flash, request
from flask_login import current_user
from sqlalchemy import select

from kernel.toolkit import clock, db, records, require
from kernel.toolkit import gettext as _
from plugins.contactcenter.models import SurveyQuestion, SurveyResponse
from plugins.contactcenter.surveys import answers_from_form, missing_answers
from plugins.contactcenter.views.common import back_to, blueprint, contact_or_404, entity
from plugins.contactcenter.views.context import programmes_offered
from plugins.contactcenter.views.screen import refuse_if_closed, render_screen


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

