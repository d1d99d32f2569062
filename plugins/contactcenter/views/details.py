"""The Caller details tab: the contact's and the profile's fields, the notes saved while the agent
types, and the service needs."""

from __future__ import annotations

from flask import abort, current_app, flash, render_template, request
from flask_login import current_user
from marshmallow import ValidationError

from kernel.toolkit import db, entities, records, require
from kernel.toolkit import gettext as _
from plugins.contactcenter import workflow
from plugins.contactcenter.models import TAGS, Contact, Need, Profile
from plugins.contactcenter.views.common import back_to, blueprint, contact_or_404, entity, raw_values
from plugins.contactcenter.views.context import CONTACT_FIELDS
from plugins.contactcenter.views.screen import refuse_if_closed, render_screen


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

