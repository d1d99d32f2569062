"""The user's own page: preferences (language, theme, density), password, signed-in browsers and
API tokens; and the API's way to make a token (``POST /api/v1/tokens``)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import Blueprint, flash, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from kernel import clock, menu
from kernel.api_schemas import NewTokenSchema, TokenSchema
from kernel.db import db, utcnow
from kernel.fragments import render_fragment
from kernel.i18n import LANGUAGES
from kernel.i18n import gettext as _
from kernel.openapi import api_operation
from kernel.panels import Panel
from kernel.registry import plugins
from kernel.security import events, sessions
from kernel.security.events import record_event
from kernel.security.passwords import PASSWORD_CHANGE, TOKEN, Throttled, password_problem, verify_password
from kernel.users import DENSITIES, THEMES, ApiToken, create_token, hash_token, revoke_tokens
from kernel.views.auth import forget_initial_password, safe_next

bp = Blueprint("profile", __name__, url_prefix="/profile")
api_bp = Blueprint("profile_api", __name__, url_prefix="/api/v1")


@bp.route("/")
@login_required
def show():
    return render_profile()


def render_profile(status: int = 200):
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.created_at.desc())
    )
    return render_template("profile.html", tokens=list(tokens), themes=THEMES, densities=DENSITIES,
                           panels=profile_panels(), browsers=sessions.live_sessions(current_user),
                           this_session=sessions.current(), now=utcnow(), time_zones=clock.zone_names(),
                           workspaces=menu.daily_sections(menu.catalogue())), status


def profile_panels() -> list[tuple[Panel, Markup]]:
    """Plugins' sections of the profile page (hook ``passerelle_profile_panels``), rendered."""
    found = plugins().collect("passerelle_profile_panels", user=current_user)
    return [(panel, render_fragment(panel.template, **{"user": current_user, "panel": panel, **panel.context}))
            for panel in sorted(found, key=lambda panel: panel.order)]


@bp.route("/preferences", methods=["POST"])
@login_required
def preferences():
    """Language, theme, density and time zone; also used by the top bar's quick switches."""
    language = request.form.get("language")
    theme = request.form.get("theme")
    density = request.form.get("density")
    if language in LANGUAGES:
        current_user.language = language
    if theme in THEMES:
        current_user.theme = theme
    if density in DENSITIES:
        current_user.density = density
    if "timezone" in request.form:  # the top bar's quick switches send one preference only
        zone = request.form.get("timezone") or None
        if zone is not None and zone not in clock.zone_names():
            flash(_("Choose a time zone from the list."), "error")
            return render_profile(422)
        current_user.timezone = zone
    if "workspace" in request.form:  # the sidebar's section shown first; empty: the role's
        workspace = request.form.get("workspace") or None
        if workspace is not None and workspace not in {section.key for section in menu.daily_sections(menu.catalogue())}:
            flash(_("Choose a workspace from the list."), "error")
            return render_profile(422)
        current_user.workspace = workspace
    db.session.commit()
    return redirect(safe_next(request.form.get("next") or url_for("profile.show")))


def password_is_right(purpose: str) -> bool:
    """The signed-in user's password, typed again, through the one throttled check."""
    return verify_password(current_user._get_current_object(), request.form.get("current", ""), purpose=purpose) is not None


@bp.route("/password", methods=["POST"])
@login_required
def change_password():
    if not password_is_right(PASSWORD_CHANGE):
        flash(_("Your current password is not right."), "error")
        return render_profile(401)
    problem = password_problem(request.form.get("password", ""), request.form.get("confirmation", ""),
                               user=current_user)
    if problem:
        flash(problem, "error")
        return render_profile(422)
    user = current_user._get_current_object()
    user.set_password(request.form["password"])
    # Every session ends, copies of this browser's cookie included; this browser gets a new one.
    sessions.end_all(user)
    sessions.start(user)
    revoked = 0 if request.form.get("keep_tokens") else revoke_tokens(user)
    record_event(events.PASSWORD_CHANGED, user=user, tokens_revoked=revoked)
    db.session.commit()
    forget_initial_password(user)
    flash(_("Your password is changed."), "success")
    if revoked:
        flash(_("Your API tokens are revoked: make new ones for the programs that need them."), "info")
    return redirect(url_for("profile.show"))


def token_expiry(value: str | None) -> datetime | None:
    """The end of the day chosen (UTC); raises ValueError when it is not a date after today."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = datetime.fromisoformat(text).date()  # a date and time: its day
    try:
        expires_at = datetime.combine(day + timedelta(days=1), time())
    except OverflowError as error:  # 9999-12-31
        raise ValueError("beyond the calendar") from error
    if expires_at <= utcnow() + timedelta(days=1):
        raise ValueError("not after today")
    return expires_at


@bp.route("/tokens", methods=["POST"])
@login_required
def new_token():
    if not password_is_right(TOKEN):
        flash(_("Your current password is not right."), "error")
        return render_profile(401)
    try:
        expires_at = token_expiry(request.form.get("expires_on"))
    except ValueError:
        flash(_("Choose an expiry date after today, or none."), "error")
        return render_profile(422)
    name = (request.form.get("name") or "").strip()[:255] or _("API token")
    token = create_token(current_user, name, expires_at)
    record_event(events.TOKEN_CREATED, name=name)
    db.session.commit()
    flash(_("Copy your new token now; it will not be shown again: %(token)s", token=token), "token")
    return redirect(url_for("profile.show"))


@bp.route("/tokens/<int:token_id>/delete", methods=["POST"])
@login_required
def delete_token(token_id):
    token = db.session.get(ApiToken, token_id)
    if token is not None and token.user_id == current_user.id:
        db.session.delete(token)
        record_event(events.TOKEN_REVOKED, target_type="api_token", target_id=token.id, name=token.name)
        db.session.commit()
        flash(_("The token is revoked."), "success")
    return redirect(url_for("profile.show"))


@bp.route("/sessions/<session_id>/end", methods=["POST"])
@login_required
def end_session(session_id):
    if sessions.end_one(current_user, session_id[:64]):
        record_event(events.SESSIONS_ENDED, count=1, by="owner")
        db.session.commit()
        flash(_("That browser is signed out."), "success")
    return redirect(url_for("profile.show"))


@bp.route("/sessions/end-others", methods=["POST"])
@login_required
def end_other_sessions():
    ended = sessions.end_all(current_user, keep=sessions.current())
    record_event(events.SESSIONS_ENDED, count=ended, by="owner")
    db.session.commit()
    flash(_("Your other sessions are signed out."), "success")
    return redirect(url_for("profile.show"))


# -- the API --------------------------------------------------------------------------------------

def _api_error(status: int, message: str, **extra):
    response = jsonify({"error": message, **extra})
    response.status_code = status
    return response


@api_bp.route("/tokens", methods=["POST"])
@api_operation("Make a new API token", tags=["API"], request=NewTokenSchema, responses={201: TokenSchema, 429: None},
               description="For the token's user, who types their password again (403 when it is wrong).")
def api_new_token():
    """A new token for the token's user, who types their password again:
    ``{"password": "…", "name": "…", "expires_at": "2027-01-31"}`` → 201 ``{"token": …}``."""
    from kernel.views.api import token_required

    return token_required(_api_new_token)()


def _api_new_token():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _api_error(400, _("Send a JSON object."))
    user = g.api_user
    try:
        right = verify_password(user, str(body.get("password") or ""), purpose=TOKEN) is not None
    except Throttled:
        return _api_error(429, _("Too many attempts. Wait a minute and try again."))
    if not right:
        return _api_error(403, _("Your current password is not right."))
    try:
        expires_at = token_expiry(str(body.get("expires_at") or ""))
    except ValueError:
        return _api_error(422, _("Choose an expiry date after today, or none."),
                          errors={"expires_at": [_("Choose an expiry date after today, or none.")]})
    if not isinstance(body.get("name") or "", str):
        return _api_error(422, _("Some fields are not valid."), errors={"name": [_("The name must be text.")]})
    name = (body.get("name") or "").strip()[:255] or _("API token")
    token = create_token(user, name, expires_at)
    record_event(events.TOKEN_CREATED, user=user, name=name, via="api")
    db.session.commit()
    stored = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    return jsonify({"id": stored.id, "name": name, "token": token,
                    "expires_at": expires_at.isoformat() if expires_at else None}), 201
