"""Demonstration data: two source lines, note templates and an intake survey."""

from __future__ import annotations

from plugins.contactcenter.models import NoteTemplate, SourceLine, Survey, SurveyQuestion


def load_demo(session, users) -> None:
    session.add_all([
        SourceLine(name="Main line", name_fr="Ligne principale", code="main", default_channel="phone"),
        SourceLine(name="Crisis line", name_fr="Ligne de crise", code="crisis", default_channel="phone"),
        SourceLine(name="Chat", name_fr="Clavardage", code="chat", default_channel="chat"),
        NoteTemplate(name="Appel de suivi", body="La personne accepte un appel de suivi le\u00a0: "),
        NoteTemplate(name="Ressource déjà utilisée",
                     body="La personne utilise déjà cette ressource et préfère la garder\u00a0: "),
        NoteTemplate(name="Aucune ressource disponible",
                     body="Aucune ressource disponible pour ce besoin\u00a0; solutions de rechange proposées\u00a0: "),
    ])
    survey = Survey(name="Intake", name_fr="Accueil", required_to_close=False)
    session.add(survey)
    session.flush()
    session.add_all([
        SurveyQuestion(survey_id=survey.id, label="How did you hear about us?", label_fr="Comment nous avez-vous connus\u00a0?",
                       kind="choice", options="Ami, Internet, Partenaire, Autre", required=True, position=1),
        SurveyQuestion(survey_id=survey.id, label="Household size", label_fr="Taille du ménage", kind="integer",
                       position=2),
    ])
