"""The closing checklist's settings."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select

from kernel.toolkit import db, require
from kernel.toolkit import gettext as _
from plugins.contactcenter import checklist as checks
from plugins.contactcenter.models import Survey
from plugins.contactcenter.views.common import blueprint


@blueprint.route("/admin/contactcenter/checklist", methods=["GET", "POST"])
@require("contactcenter_setup.checklist")
def checklist_settings():
    current = checks.settings()
    choices = checks.demographic_choices()
    if request.method == "POST":
        allowed = {name for name, _label in choices}
        current.require_tags = request.form.get("require_tags") == "1"
        current.required_demographics = [name for name in request.form.getlist("demographics") if name in allowed]
        if current.id is None:
            db.session.add(current)
        db.session.commit()
        flash(_("Closing checklist saved."), "success")
        return redirect(url_for("contactcenter.checklist_settings"))
    return render_template("contactcenter/checklist_settings.html", settings=current, choices=choices,
                           surveys=list(db.session.scalars(select(Survey).where(Survey.deleted_at.is_(None),
                                                                                Survey.required_to_close.is_(True)))))

