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
from kernel.users import User, find_user_by_email
from kernel.views.auth import password_problem, send_reset_email

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
        problem = password_problem(form.get("password", ""), form.get("password", ""))
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
            return render_template("admin/user_form.html", user=user, form=request.form, errors=errors), 422
        created = user is None
        if created:
            user = User()
            db.session.add(user)
        apply_user_form(user, request.form)
        db.session.flush()
        if created and not request.form.get("password"):
            send_reset_email(user)
        db.session.commit()
        flash(_("The user %(name)s is saved.", name=user.name), "success")
        return redirect(url_for("admin.users"))
    form = {
        "name": user.name if user else "",
        "email": user.email if user else "",
        "role": user.role if user else "staff",
        "language": user.language if user else "fr",
        "active": user.active if user else True,
    }
    return render_template("admin/user_form.html", user=user, form=form, errors={})


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
