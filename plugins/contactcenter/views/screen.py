"""The contact screen's steps: starting a contact by hand, taking a waiting one, the screen itself
(the profile step until a caller is chosen, then the four tabs), and the refusal of any change to a
closed contact."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from marshmallow import ValidationError
from sqlalchemy import select

from kernel.toolkit import db, note_read, require
from kernel.toolkit import gettext as _
from plugins.contactcenter import workflow
from plugins.contactcenter.models import CHANNELS, Contact, SourceLine
from plugins.contactcenter.views.common import blueprint, contact_or_404, entity, screen_url
from plugins.contactcenter.views.context import screen_context

TABS = ("details", "resources", "referrals", "programmes")


def refuse_if_closed(contact: Contact):
    """A closed contact is read-only: every change answers 409 with the reason."""
    if workflow.is_closed(contact):
        message = str(entity("helpline_contact").closing.message)
        if request.headers.get("HX-Request"):
            return render_template("contactcenter/_status.html", message=message, error=True), 409
        flash(message, "error")
        return render_screen(contact, status=409)
    return None


@blueprint.route("/contactcenter/contacts/<int:contact_id>/take", methods=["POST"])
@require("contactcenter.edit")
def take(contact_id: int):
    contact = contact_or_404(contact_id)
    if contact.assigned_user_id is None:
        workflow.take(contact, current_user)
    if contact.assigned_user_id != current_user.id:
        flash(_("Another agent took this contact."), "error")
        return redirect(url_for("home.dashboard"))
    db.session.commit()
    return redirect(screen_url(contact))


@blueprint.route("/contactcenter/contacts/start", methods=["GET", "POST"])
@require("contactcenter.create")
def start():
    lines = active_lines()
    if request.method == "GET":
        return render_template("contactcenter/start.html", lines=lines, channels=CHANNELS.items(), errors={}, form={})
    line = db.session.get(SourceLine, int(request.form["line_id"])) if request.form.get("line_id", "").isdigit() else None
    try:
        contact = workflow.start_contact(current_user, channel=request.form.get("channel") or "phone", line=line,
                                         caller_number=request.form.get("caller_number"), agent=current_user)
    except ValidationError as error:
        db.session.rollback()
        return render_template("contactcenter/start.html", lines=lines, channels=CHANNELS.items(),
                               errors=error.normalized_messages(), form=request.form), 422
    db.session.commit()
    return redirect(screen_url(contact))


def active_lines() -> list[SourceLine]:
    return list(db.session.scalars(select(SourceLine).where(SourceLine.deleted_at.is_(None),
                                                            SourceLine.active.is_(True)).order_by(SourceLine.name)))


@blueprint.route("/contactcenter/contacts/<int:contact_id>")
@require("contactcenter.view")
def contact_screen(contact_id: int):
    contact = contact_or_404(contact_id)
    if contact.assigned_user_id == current_user.id:
        workflow.mark_opened(contact)
    if not workflow.is_closed(contact):
        session_active_contact(contact)
    note_read("helpline_contact", contact.id)  # who saw what: the contact and its caller's profile
    if contact.profile_id is not None:
        note_read("caller_profile", contact.profile_id)
    db.session.commit()
    return render_screen(contact)


def session_active_contact(contact: Contact) -> None:
    """The contact the directory's Refer buttons refer for (``referring.refer_target``)."""
    session["helpline_contact"] = contact.id


def render_screen(contact: Contact, *, errors=None, status=200, checklist_shown=False, profile_query="",
                  duplicates=None):
    tab = request.args.get("tab") if request.args.get("tab") in TABS else "details"
    if contact.profile_id is None and not workflow.is_closed(contact):
        return render_template(
            "contactcenter/profile_step.html", contact=contact, candidates=workflow.profiles_for_number(contact.caller_number),
            found=workflow.search_profiles(profile_query) if profile_query else None, q=profile_query,
            profile_entity=entity("caller_profile"), errors=errors or {}, form=request.form, duplicates=duplicates,
        ), status
    return render_template("contactcenter/contact.html", tab=tab, errors=errors or {},
                           checklist_shown=checklist_shown, **screen_context(contact)), status

