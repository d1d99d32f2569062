"""Closing a contact: when its checklist is complete, or forced (incomplete) by a supervisor or
with a supervisor's approval."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user

from kernel.toolkit import (
    FORCE_CLOSE,
    FORCE_CLOSE_APPROVED,
    User,
    db,
    record_event,
    records,
    require,
    verify_password,
)
from kernel.toolkit import gettext as _
from plugins.contactcenter import checklist as checks
from plugins.contactcenter import workflow
from plugins.contactcenter.views.common import blueprint, contact_or_404
from plugins.contactcenter.views.screen import refuse_if_closed, render_screen


@blueprint.route("/contactcenter/contacts/<int:contact_id>/close", methods=["POST"])
@require("contactcenter.edit")
def close(contact_id: int):
    contact = contact_or_404(contact_id)
    if refused := refuse_if_closed(contact):
        return refused
    if not checks.can_close(checks.checklist(contact)):
        flash(_("The contact cannot be closed yet: complete what the checklist shows."), "error")
        return render_screen(contact, status=422, checklist_shown=True)
    try:
        workflow.close(contact, current_user, expected_version=request.form.get("version"))
    except records.StaleRecord:
        db.session.rollback()
        flash(_("Someone else changed this contact since you opened it: check it and close it again."), "error")
        return render_screen(contact_or_404(contact_id), status=409, checklist_shown=True)
    db.session.commit()
    flash(_("Contact closed."), "success")
    return redirect(url_for("home.dashboard"))


@blueprint.route("/contactcenter/contacts/<int:contact_id>/force-close", methods=["POST"])
@require("contactcenter.edit")
def force_close(contact_id: int):
    """A supervisor, or an agent with a supervisor's approval (their e-mail and password typed
    here), closes a contact whose checklist is incomplete: it is marked incomplete."""
    contact = contact_or_404(contact_id)
    if refused := refuse_if_closed(contact):
        return refused
    reason = (request.form.get("reason") or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = [_("Say why the contact is closed incomplete.")]
    approver = None
    if not current_user.can("contactcenter.force_close"):
        approver = supervisor_approval(request.form.get("approver_email"), request.form.get("approver_password"))
        if approver is None:
            errors["approver_email"] = [_("A supervisor must approve: their e-mail address and password are not "
                                          "those of a user allowed to force the closing.")]
    if errors:
        return render_screen(contact, errors=errors, status=422, checklist_shown=True)
    try:
        workflow.force_close(contact, current_user, reason, approver, expected_version=request.form.get("version"))
    except records.StaleRecord:
        db.session.rollback()
        flash(_("Someone else changed this contact since you opened it: check it and close it again."), "error")
        return render_screen(contact_or_404(contact_id), status=409, checklist_shown=True)
    record_event(FORCE_CLOSE_APPROVED, target_type="helpline_contact", target_id=contact.id,
                 approver=approver.email if approver else current_user.email)
    db.session.commit()
    flash(_("Contact closed incomplete."), "success")
    return redirect(url_for("home.dashboard"))


def supervisor_approval(email, password) -> User | None:
    """The approving supervisor, through the kernel's one throttled password check (429 past it)."""
    user = verify_password(email or "", password or "", purpose=FORCE_CLOSE)
    return user if user is not None and user.can("contactcenter.force_close") else None

