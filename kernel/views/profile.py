"""The user's own page: preferences (language, theme, density), password, API tokens."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from kernel.db import db
from kernel.i18n import LANGUAGES
from kernel.i18n import gettext as _
from kernel.panels import Panel
from kernel.registry import plugins
from kernel.users import DENSITIES, THEMES, ApiToken, create_token
from kernel.views.auth import password_problem, safe_next

bp = Blueprint("profile", __name__, url_prefix="/profile")


@bp.route("/")
@login_required
def show():
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.created_at.desc())
    )
    return render_template("profile.html", tokens=list(tokens), themes=THEMES, densities=DENSITIES,
                           panels=profile_panels())


def profile_panels() -> list[tuple[Panel, Markup]]:
    """Plugins' sections of the profile page (hook ``passerelle_profile_panels``), rendered."""
    found = plugins().collect("passerelle_profile_panels", user=current_user)
    return [(panel, Markup(render_template(panel.template, user=current_user, panel=panel, **panel.context)))
            for panel in sorted(found, key=lambda panel: panel.order)]


@bp.route("/preferences", methods=["POST"])
@login_required
def preferences():
    """Language, theme and density; also used by the top bar's quick switches."""
    language = request.form.get("language")
    theme = request.form.get("theme")
    density = request.form.get("density")
    if language in LANGUAGES:
        current_user.language = language
    if theme in THEMES:
        current_user.theme = theme
    if density in DENSITIES:
        current_user.density = density
    db.session.commit()
    return redirect(safe_next(request.form.get("next") or url_for("profile.show")))


@bp.route("/password", methods=["POST"])
@login_required
def change_password():
    if not current_user.check_password(request.form.get("current", "")):
        flash(_("Your current password is not right."), "error")
        return redirect(url_for("profile.show"))
    problem = password_problem(request.form.get("password", ""), request.form.get("confirmation", ""))
    if problem:
        flash(problem, "error")
        return redirect(url_for("profile.show"))
    current_user.set_password(request.form["password"])
    db.session.commit()
    flash(_("Your password is changed."), "success")
    return redirect(url_for("profile.show"))


@bp.route("/tokens", methods=["POST"])
@login_required
def new_token():
    name = (request.form.get("name") or "").strip()[:255] or _("API token")
    token = create_token(current_user, name)
    db.session.commit()
    flash(_("Copy your new token now; it will not be shown again: %(token)s", token=token), "token")
    return redirect(url_for("profile.show"))


@bp.route("/tokens/<int:token_id>/delete", methods=["POST"])
@login_required
def delete_token(token_id):
    token = db.session.get(ApiToken, token_id)
    if token is not None and token.user_id == current_user.id:
        db.session.delete(token)
        db.session.commit()
        flash(_("The token is revoked."), "success")
    return redirect(url_for("profile.show"))
