"""The follow-ups through the REST API (token authentication, as the kernel's API): list with
filters, read, schedule, change and cancel; the same rules as the screens (the caller's consent,
a follow-up to do only is changed or cancelled), each change in the follow-up's history."""

from __future__ import annotations

from flask import g, jsonify, request, url_for
from marshmallow import ValidationError
from sqlalchemy import func, select

from kernel.toolkit import api_operation, csrf_exempt, db, problem, records, token_required
from kernel.toolkit import gettext as _
from plugins.contactcenter.followups import service
from plugins.contactcenter.followups.api_schemas import (
    FollowUpCancelSchema,
    FollowUpChangeSchema,
    FollowUpCreateSchema,
    FollowUpPageSchema,
    FollowUpQuerySchema,
    FollowUpSchema,
)
from plugins.contactcenter.followups.models import FollowUp
from plugins.contactcenter.models import Contact
from plugins.contactcenter.views.common import blueprint, entity

TAGS = ["Contact centre"]
BASE = "/api/v1/contactcenter/followups"


def refused_unless(permission: str):
    return None if g.api_user.can(permission) else problem(403, _("You are not allowed to do this."))


def invalid(error: ValidationError):
    messages = error.normalized_messages()
    return problem(422, _("Some fields are not valid."),
                   errors={str(name): as_strings(value) for name, value in messages.items()})


def as_strings(messages) -> list[str]:
    """A field's messages as a list of strings (lazy translations are not strings to marshmallow,
    which then does not wrap them in a list)."""
    if isinstance(messages, dict):
        return [text for value in messages.values() for text in as_strings(value)]
    if isinstance(messages, list | tuple):
        return [text for value in messages for text in as_strings(value)]
    return [str(messages)]


def refused(error: service.FollowUpRefused):
    return problem(422, str(error), errors={error.field or "_schema": [str(error)]})


def iso(moment) -> str | None:
    return moment.isoformat(timespec="seconds") + "Z" if moment is not None else None


def followup_json(followup: FollowUp, contact: Contact, withdrawn: set[int]) -> dict:
    if not contact.profile_id:
        consent = service.ANONYMOUS
    elif contact.profile_id in withdrawn:
        consent = service.MISSING
    else:
        consent = service.GIVEN if followup.consent_to_contact else service.NOT_KEPT
    return {"id": followup.id, "contact_id": followup.contact_id, "profile_id": contact.profile_id,
            "assignee_id": followup.assignee_id, "due_at": iso(followup.due_at), "channel": followup.channel,
            "reason": followup.reason, "status": followup.status, "consent": consent, "attempts": followup.attempts,
            "cancel_reason": followup.cancel_reason, "created_at": iso(followup.created_at),
            "closed_at": iso(followup.closed_at),
            "url": url_for("contactcenter.work_followup", followup_id=followup.id, _external=True)}


def one_json(followup: FollowUp) -> dict:
    contact = db.session.get(Contact, followup.contact_id)
    return followup_json(followup, contact, service.without_consent_among([contact.profile_id]))


def filtered(query: dict):
    statement = select(FollowUp, Contact).join(Contact, Contact.id == FollowUp.contact_id)
    if "status" in query:
        statement = statement.where(FollowUp.status == query["status"])
    if "assignee" in query:
        statement = statement.where(FollowUp.assignee_id == query["assignee"])
    if "due_after" in query:
        statement = statement.where(FollowUp.due_at >= query["due_after"])
    if "due_before" in query:
        statement = statement.where(FollowUp.due_at < query["due_before"])
    if "contact" in query:
        statement = statement.where(FollowUp.contact_id == query["contact"])
    return statement


@blueprint.route(BASE, methods=["GET", "POST"])
@api_operation("Follow-ups", method="GET", tags=TAGS, query=FollowUpQuerySchema,
               responses={200: FollowUpPageSchema, 422: None},
               description="The follow-ups matching the filters, the soonest due first, a page at a time.")
@api_operation("Schedule a follow-up", method="POST", tags=TAGS, request=FollowUpCreateSchema,
               responses={201: FollowUpSchema, 404: None, 422: None},
               description="Refused (422) for an anonymous caller, or one without a current consent to follow-up "
                           "calls. Nothing is saved then.")
@csrf_exempt
@token_required
def followups_api():
    return create_followup() if request.method == "POST" else list_followups()


def list_followups():
    if denied := refused_unless("contactcenter.view"):
        return denied
    try:
        query = FollowUpQuerySchema().load(request.args.to_dict())
    except ValidationError as error:
        return invalid(error)
    statement = filtered(query)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = db.session.execute(statement.order_by(FollowUp.due_at, FollowUp.id)
                              .limit(query["limit"]).offset(query["offset"])).all()
    withdrawn = service.without_consent_among(contact.profile_id for _followup, contact in rows)
    return jsonify(items=[followup_json(followup, contact, withdrawn) for followup, contact in rows], total=total,
                   limit=query["limit"], offset=query["offset"])


def create_followup():
    if denied := refused_unless("contactcenter.edit"):
        return denied
    try:
        data = FollowUpCreateSchema().load(json_body())
    except ValidationError as error:
        return invalid(error)
    contact = records.get(entity("helpline_contact"), data["contact_id"])
    if contact is None:
        return problem(404, _("Not found."))
    try:
        followup = service.schedule(contact, g.api_user, due_at=data["due_at"], channel=data["channel"],
                                    reason=data["reason"], consent=data["consent_to_contact"],
                                    assignee_id=data.get("assignee_id"))
    except service.FollowUpRefused as error:
        db.session.rollback()
        return refused(error)
    answer = one_json(followup)
    db.session.commit()
    return jsonify(answer), 201


def json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationError({"_schema": [_("Send a JSON object.")]})
    return body


def followup_or_problem(followup_id: int):
    followup = db.session.get(FollowUp, followup_id) if 0 < followup_id < 2**31 else None
    return (followup, None) if followup is not None else (None, problem(404, _("Not found.")))


@blueprint.route(f"{BASE}/<int:followup_id>", methods=["GET", "PATCH"])
@api_operation("A follow-up", method="GET", tags=TAGS, responses={200: FollowUpSchema, 404: None})
@api_operation("Change a follow-up", method="PATCH", tags=TAGS, request=FollowUpChangeSchema,
               responses={200: FollowUpSchema, 404: None, 422: None},
               description="Its date, channel, reason or assignee (any of them); only a follow-up still to do.")
@csrf_exempt
@token_required
def followup_api(followup_id: int):
    if denied := refused_unless("contactcenter.view" if request.method == "GET" else "contactcenter.edit"):
        return denied
    followup, missing = followup_or_problem(followup_id)
    if missing:
        return missing
    if request.method == "PATCH":
        try:
            changes = FollowUpChangeSchema().load(json_body(), partial=True)
            service.edit(followup, g.api_user, changes)
        except ValidationError as error:
            return invalid(error)
        except service.FollowUpRefused as error:
            db.session.rollback()
            return refused(error)
    answer = one_json(followup)
    db.session.commit()
    return jsonify(answer)


@blueprint.route(f"{BASE}/<int:followup_id>/cancel", methods=["POST"])
@api_operation("Cancel a follow-up", tags=TAGS, request=FollowUpCancelSchema,
               responses={200: FollowUpSchema, 404: None, 422: None},
               description="With the reason; only a follow-up still to do. It leaves the queue, the calendar and "
                           "the dashboard.")
@csrf_exempt
@token_required
def cancel_followup_api(followup_id: int):
    if denied := refused_unless("contactcenter.edit"):
        return denied
    followup, missing = followup_or_problem(followup_id)
    if missing:
        return missing
    try:
        data = FollowUpCancelSchema().load(json_body())
        service.cancel(followup, g.api_user, data["reason"])
    except ValidationError as error:
        return invalid(error)
    except service.FollowUpRefused as error:
        db.session.rollback()
        return refused(error)
    answer = one_json(followup)
    db.session.commit()
    return jsonify(answer)
