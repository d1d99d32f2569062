"""The profile step: finding the caller's profile, choosing it, or creating one (after offering the
likely duplicates)."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user
from marshmallow import ValidationError

from kernel.toolkit import db, find_duplicates, records, require
from plugins.contactcenter import workflow
from plugins.contactcenter.views.common import back_to, blueprint, contact_or_404, entity, raw_values
from plugins.contactcenter.views.screen import refuse_if_closed, render_screen


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

