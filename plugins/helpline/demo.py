"""Demonstration data: two source lines, note templates and an intake survey."""

from __future__ import annotations

from plugins.helpline.models import NoteTemplate, SourceLine, Survey, SurveyQuestion


def load_demo(session, users) -> None:
    session.add_all([
        SourceLine(name="Main line", name_fr="Ligne principale", code="main", default_channel="phone"),
        SourceLine(name="Crisis line", name_fr="Ligne de crise", code="crisis", default_channel="phone"),
        SourceLine(name="Chat", name_fr="Clavardage", code="chat", default_channel="chat"),
        NoteTemplate(name="Follow-up call", body="Caller agreed to a follow-up call on: "),
        NoteTemplate(name="Caller already has a resource",
                     body="Caller already uses this resource and prefers to keep it: "),
        NoteTemplate(name="No resource available",
                     body="No resource available for this need; alternatives suggested: "),
    ])
    survey = Survey(name="Intake", name_fr="Accueil", required_to_close=False)
    session.add(survey)
    session.flush()
    session.add_all([
        SurveyQuestion(survey_id=survey.id, label="How did you hear about us?", label_fr="Comment nous avez-vous connus ?",
                       kind="choice", options="Friend, Internet, Partner, Other", required=True, position=1),
        SurveyQuestion(survey_id=survey.id, label="Household size", label_fr="Taille du ménage", kind="integer",
                       position=2),
    ])
