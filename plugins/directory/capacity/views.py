"""Staff update a programme's capacity from its resource page."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from kernel.toolkit import db, require
from kernel.toolkit import gettext as _
from plugins.directory.capacity.service import parse_capacity, save_capacity
from plugins.directory.cards import full_resource, is_french
from plugins.directory.models import Resource
from plugins.directory.views import blueprint, user_now


@blueprint.route("/resources/<int:record_id>/capacity", methods=["POST"])
@require("directory.edit")
def update_capacity(record_id: int):
    service = db.session.get(Resource, record_id)
    if service is None or service.deleted_at is not None:
        abort(404)
    values, errors = parse_capacity(request.form)
    if errors:
        return render_template("directory/detail.html", resource=full_resource(service, user_now()), refer=False,
                               french=is_french(), capacity_errors=errors, capacity_form=request.form), 422
    save_capacity(service.id, values, user=current_user)
    db.session.commit()
    flash(_("Capacity updated."), "success")
    return redirect(url_for("directory.resource_detail", record_id=service.id))
