"""Intake surveys: the answers an agent types, checked against each question's kind."""

from __future__ import annotations

from datetime import date

from kernel.toolkit import gettext as _


def answers_from_form(questions, form) -> tuple[dict, dict]:
    """``({question_id: value}, {question_id: [message]})``; unanswered questions are left out."""
    answers, errors = {}, {}
    for question in questions:
        raw = (form.get(f"q{question.id}") or "").strip()
        if not raw:
            continue
        value, error = parse_answer(question, raw)
        if error:
            errors[question.id] = [error]
        else:
            answers[str(question.id)] = value
    return answers, errors


def parse_answer(question, raw: str):
    if question.kind == "integer":
        try:
            return int(raw), None
        except ValueError:
            return None, _("Give a whole number.")
    if question.kind == "yes_no":
        if raw not in ("yes", "no"):
            return None, _("Answer yes or no.")
        return raw, None
    if question.kind == "choice":
        if raw not in question.option_list:
            return None, _("Choose one of the options offered.")
        return raw, None
    if question.kind == "date":
        try:
            return date.fromisoformat(raw).isoformat(), None
        except ValueError:
            return None, _("Give a date (YYYY-MM-DD).")
    limit = 5000 if question.kind == "longtext" else 255
    if len(raw) > limit:
        return None, _("At most %(count)d characters.", count=limit)
    return raw, None


def missing_answers(questions, answers: dict) -> list:
    return [question for question in questions if question.required and str(question.id) not in answers]
