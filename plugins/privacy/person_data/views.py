"""A person's own data: the export ZIP and erasure on request (preview, reason, confirmation)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from kernel.toolkit import entities, note_read, personal_data, record_export, records
from kernel.toolkit import gettext as _
from plugins.privacy.person_data.erasure import REASON_MAX, ErasureRefused, erase, preview
from plugins.privacy.person_data.export import build_zip

bp = Blueprint("privacy_person", __name__, url_prefix="/privacy/people")
EXPORT, ERASE = "privacy.person_export", "privacy.erasure"


def person_or_404(plural: str, record_id: int, permission: str):
    entity = entities().by_plural(plural)
    if entity is None or not entity.person:
        abort(404)
    if not current_user.can(permission) or not entity.can(current_user, "view"):
        abort(403)
    record = records.get(entity, record_id, include_deleted=True)
    if record is None:
        abort(404)
    return entity, record


@bp.route("/<plural>/<int:record_id>/export.zip")
@login_required
def export_zip(plural, record_id):
    entity, record = person_or_404(plural, record_id, EXPORT)
    content, rows = build_zip(entity, record)
    note_read(entity, record.id, via="person_export", count=rows)
    record_export("person", entity=entity.name, record_id=record.id, rows=rows)
    return Response(content, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{entity.name}-{record.id}.zip"',
        "Cache-Control": "no-store"})


@bp.route("/<plural>/<int:record_id>/erase", methods=["GET", "POST"])
@login_required
def erase_page(plural, record_id):
    entity, record = person_or_404(plural, record_id, ERASE)
    action = request.values.get("action", personal_data.ANONYMISE)
    if action not in (personal_data.ANONYMISE, personal_data.DELETE):
        action = personal_data.ANONYMISE
    errors = []
    if request.method == "POST":
        title = entity.title_of(record)
        try:
            run = erase(entity, record, action, request.form.get("reason", ""), current_user)
        except ErasureRefused as refused:
            errors = refused.messages
        else:
            flash(_("%(person)s: their data is erased.", person=title), "success")
            return redirect(url_for("privacy_retention.run_page", run_id=run.id), code=303)
    plan = preview(entity, record, action)
    status = 409 if errors and plan.blockers else (422 if errors else 200)
    return render_template("privacy/person/erase.html", entity=entity, record=record, plan=plan, action=action,
                           errors=errors, reason=request.form.get("reason", ""), reason_max=REASON_MAX,
                           entities=entities()), status
