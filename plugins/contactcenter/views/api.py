"""Incoming contacts: the phone system's webhook announcing a call, the dashboard's polling that
takes an agent to a new contact, and the lines an agent answers."""

from __future__ import annotations

from flask import current_app, flash, g, jsonify, redirect, request, url_for
from flask_login import current_user
from marshmallow import ValidationError
from sqlalchemy import select

from kernel.toolkit import User, api_operation, csrf_exempt, db, problem, require, token_required
from kernel.toolkit import gettext as _
from plugins.contactcenter import workflow
from plugins.contactcenter.api_schemas import ContactStartedSchema, IncomingCallSchema
from plugins.contactcenter.models import Contact, SourceLine
from plugins.contactcenter.views.common import blueprint, screen_url


@blueprint.route("/api/v1/contactcenter/incoming", methods=["POST"])
@api_operation("A call arrives", tags=["Contact centre"], request=IncomingCallSchema,
               responses={200: ContactStartedSchema, 201: ContactStartedSchema, 422: None},
               description="The phone system announces a call (JSON, or a form): 201 with the new contact, or 200 "
                           "with the contact already started for the same call id.")
@csrf_exempt
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

