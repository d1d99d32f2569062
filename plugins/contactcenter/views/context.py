"""What the contact screen shows: the contact, its caller, needs, referrals, earlier contacts,
surveys and programmes, each kind loaded in one query whatever their number."""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy import select

from kernel.toolkit import User, db, entities
from plugins.contactcenter import checklist as checks
from plugins.contactcenter import messages, workflow
from plugins.contactcenter.models import (
    TAGS,
    Contact,
    Enrolment,
    NoteTemplate,
    Profile,
    ServiceGap,
    SourceLine,
    Survey,
    SurveyQuestion,
    SurveyResponse,
)
from plugins.contactcenter.views.common import entity
from plugins.directory import geo
from plugins.directory.cards import is_french
from plugins.directory.models import Resource, TaxonomyTerm

CONTACT_FIELDS = ("line_id", "channel", "requester_served", "service_delivery")


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

