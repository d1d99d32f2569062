"""Administration: users and the trash."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from kernel import records
from kernel.contact_values import EmailNotValidError, normalized_email
from kernel.db import db
from kernel.i18n import LANGUAGES
from kernel.i18n import gettext as _
from kernel.permissions import ROLES, require
from kernel.registry import entities
from kernel.security import events, sessions
from kernel.security.events import record_event
from kernel.security.passwords import password_problem
from kernel.users import User, find_user_by_email, revoke_tokens
from kernel.views.auth import forget_initial_password, send_reset_email

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@require("kernel.manage_users")
def users():
    all_users = db.session.scalars(select(User).order_by(User.name))
    return render_template("admin/users.html", users=list(all_users))


def user_form_errors(form, user: User | None) -> dict[str, str]:
    errors = {}
    name = (form.get("name") or "").strip()
    if not name:
        errors["name"] = _("This field is required.")
    elif len(name) > 255:
        errors["name"] = _("At most %(count)d characters.", count=255)
    try:
        email = normalized_email(form.get("email") or "")
        other = find_user_by_email(email)
        if other is not None and other is not user:
            errors["email"] = _("Another user already has this e-mail address.")
    except EmailNotValidError:
        errors["email"] = _("Enter a valid e-mail address, such as name@example.org.")
    if form.get("role") not in ROLES:
        errors["role"] = _("Choose one of the options offered.")
    if form.get("language") not in LANGUAGES:
        errors["language"] = _("Choose one of the options offered.")
    if form.get("password"):
        problem = password_problem(form.get("password", ""), email=form.get("email"), name=form.get("name"))
        if problem:
            errors["password"] = problem
    if user is not None and user.id == current_user.id and (form.get("role") != user.role or not form.get("active")):
        errors["role"] = _("You cannot remove your own administrator rights or deactivate yourself.")
    return errors


def apply_user_form(user: User, form) -> None:
    user.name = form["name"].strip()
    user.email = normalized_email(form["email"])
    user.role = form["role"]
    user.language = form["language"]
    user.active = bool(form.get("active"))
    if form.get("password"):
        user.set_password(form["password"])


def record_user_changes(user: User, before: dict | None, form) -> None:
    """Security-log events for a saved user; a deactivated user or a new password signs them out."""
    if before is None:
        record_event(events.USER_CREATED, target_type="user", target_id=user.id, role=user.role)
        return
    target = {"target_type": "user", "target_id": user.id}
    if before["role"] != user.role:
        record_event(events.ROLE_CHANGED, old=before["role"], new=user.role, **target)
    if before["active"] and not user.active:
        # Tokens would work again on reactivation: someone who left must make new ones if they return.
        record_event(events.USER_DEACTIVATED, tokens_revoked=revoke_tokens(user), **target)
    elif not before["active"] and user.active:
        record_event(events.USER_ACTIVATED, **target)
    if form.get("password"):  # like a reset: whoever knew the old password loses its tokens too
        record_event(events.PASSWORD_CHANGED, by="administrator", tokens_revoked=revoke_tokens(user), **target)
    if (before["active"] and not user.active) or form.get("password"):
        ended = sessions.end_all(user)
        record_event(events.SESSIONS_ENDED, count=ended, by="administrator", **target)


@bp.route("/users/new", methods=["GET", "POST"])
@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@require("kernel.manage_users")
def edit_user(user_id=None):
    user = db.session.get(User, user_id) if user_id else None
    if user_id and user is None:
        abort(404)
    if request.method == "POST":
        errors = user_form_errors(request.form, user)
        if errors:
            return render_template("admin/user_form.html", user=user, form=request.form, errors=errors,
                                   session_count=_session_count(user)), 422
        before = {"role": user.role, "active": user.active} if user else None
        if user is None:
            user = User()
            db.session.add(user)
        apply_user_form(user, request.form)
        db.session.flush()
        record_user_changes(user, before, request.form)
        if before is None and not request.form.get("password"):
            send_reset_email(user)
        db.session.commit()
        if request.form.get("password"):
            forget_initial_password(user)
        flash(_("The user %(name)s is saved.", name=user.name), "success")
        return redirect(url_for("admin.users"))
    form = {
        "name": user.name if user else "",
        "email": user.email if user else "",
        "role": user.role if user else "staff",
        "language": user.language if user else "fr",
        "active": user.active if user else True,
    }
    return render_template("admin/user_form.html", user=user, form=form, errors={},
                           session_count=_session_count(user))


def _session_count(user: User | None) -> int:
    return len(sessions.live_sessions(user)) if user is not None else 0


@bp.route("/users/<int:user_id>/sign-out", methods=["POST"])
@require("kernel.manage_users")
def sign_out_everywhere(user_id):
    """An administrator ends every session of a user (a lost phone, a shared computer)."""
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    ended = sessions.end_all(user)
    record_event(events.SESSIONS_ENDED, count=ended, by="administrator", target_type="user", target_id=user.id)
    db.session.commit()
    flash(_("%(name)s is signed out everywhere.", name=user.name), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/trash")
@require("kernel.trash")
def trash():
    groups = []
    for entity in entities():
        deleted = db.session.scalars(
            select(entity.model).where(entity.model.deleted_at.is_not(None))
            .order_by(entity.model.deleted_at.desc()).limit(200)
        )
        rows = list(deleted)
        if rows:
            groups.append((entity, rows))
    return render_template("admin/trash.html", groups=groups)


@bp.route("/trash/<entity:plural>/<int:record_id>/restore", methods=["POST"])
@require("kernel.trash")
def restore(plural, record_id):
    entity = entities().by_plural(plural)
    record = records.get(entity, record_id, include_deleted=True) if entity else None
    if record is None or record.deleted_at is None:
        abort(404)
    records.restore(entity, record, current_user)
    db.session.commit()
    flash(_("%(title)s is restored.", title=entity.title_of(record)), "success")
    return redirect(url_for("admin.trash"))
