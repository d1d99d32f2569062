"""Login, logout, language of the login page, and the forgotten-password flow."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale
from flask_login import current_user, login_required, login_user, logout_user
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from kernel.db import db, utcnow
from kernel.i18n import LANGUAGES
from kernel.i18n import gettext as _
from kernel.mail import send_email
from kernel.security import events, sessions
from kernel.security.events import record_event
from kernel.security.models import SecurityEvent
from kernel.security.passwords import LOGIN, count_reset_request, password_problem, verify_password
from kernel.users import User, find_user_by_email, revoke_tokens

bp = Blueprint("auth", __name__)

def safe_next(target: str | None) -> str:
    """Only same-site relative paths are followed after login."""
    if not target:
        return url_for("home.dashboard")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith(("//", "/\\")):
        return url_for("home.dashboard")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    if request.method == "POST":
        language = request.form.get("language")
        if language in LANGUAGES:
            session["language"] = language
        user = verify_password(request.form.get("email", ""), request.form.get("password", ""), purpose=LOGIN)
        if user is None:
            flash(_("Wrong e-mail address or password."), "error")
            return render_template("auth/login.html", email=request.form.get("email", "")), 401
        if language in LANGUAGES:
            user.language = language
        user.last_login_at = utcnow()
        session.clear()  # a fresh session at login (no fixation)
        login_user(user)
        sessions.start(user)
        record_event(events.LOGIN_SUCCEEDED, user=user)
        db.session.commit()
        return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", email="")


@bp.route("/language/<code>")
def choose_language(code):
    """Language switch of the pages shown before login (login, password reset)."""
    if code in LANGUAGES:
        session["language"] = code
    return redirect(safe_next(request.args.get("next") or url_for("auth.login")))


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    language = current_user.language
    ended = sessions.end_all(current_user)  # every browser of this user: a forgotten one ends too
    record_event(events.LOGOUT, sessions=ended)
    db.session.commit()
    logout_user()
    session.clear()
    session["language"] = language  # the login page stays in the user's language
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _stamp(user: User) -> str:
    # An HMAC of the current hash, never the hash itself: once the password changes, every
    # earlier link stops working.
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, f"password-reset:{user.password_hash or ''}".encode(), hashlib.sha256).hexdigest()


def reset_token(user: User) -> str:
    return _serializer().dumps({"user": user.id, "stamp": _stamp(user)})


def _last_reset_request(user: User):
    return db.session.scalar(
        select(func.max(SecurityEvent.occurred_at))
        .where(SecurityEvent.user_id == user.id, SecurityEvent.event == events.PASSWORD_RESET_REQUESTED)
    )


def user_for_reset_token(token: str) -> User | None:
    """The user of a valid link: signed, not expired, the password unchanged since, and the latest
    link sent (a new request supersedes the earlier links)."""
    try:
        payload, signed_at = _serializer().loads(
            token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"], return_timestamp=True)
    except (BadSignature, SignatureExpired):
        return None
    user = db.session.get(User, payload.get("user")) if isinstance(payload, dict) else None
    if user is None or not user.active or not hmac.compare_digest(str(payload.get("stamp")), _stamp(user)):
        return None
    last_request = _last_reset_request(user)
    if last_request is not None and last_request.replace(microsecond=0) > signed_at.astimezone(UTC).replace(tzinfo=None):
        return None
    return user


def send_reset_email(user: User) -> None:
    record_event(events.PASSWORD_RESET_REQUESTED, user=user)
    db.session.flush()
    link = current_app.config["BASE_URL"].rstrip("/") + url_for("auth.reset_password", token=reset_token(user))
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    with force_locale(user.language):
        subject = _("Passerelle: reset your password")
        body = render_template("email/password_reset.txt", user=user, link=link, minutes=minutes)
    send_email(user.email, subject, body)


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    if request.method == "POST":
        email = request.form.get("email", "")
        count_reset_request(email)
        user = find_user_by_email(email)
        if user is not None and user.active:
            send_reset_email(user)
        db.session.commit()
        flash(_("If an account uses this address, a message with a link to choose a new password is on its way."),
              "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html")


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    user = user_for_reset_token(token)
    if user is None:
        flash(_("This link has expired or was already used. Ask for a new one."), "error")
        return redirect(url_for("auth.forgot_password"))
    if request.method == "POST":
        problem = password_problem(request.form.get("password", ""), request.form.get("confirmation", ""), user=user)
        if problem:
            flash(problem, "error")
            return render_template("auth/reset.html", token=token), 422
        user.set_password(request.form["password"])
        sessions.end_all(user)
        # Whoever knew the old password may have made tokens with it: revoked unless kept.
        revoked = 0 if request.form.get("keep_tokens") else revoke_tokens(user)
        record_event(events.PASSWORD_RESET, user=user, tokens_revoked=revoked)
        db.session.commit()
        forget_initial_password(user)
        flash(_("Your password is changed. You can log in."), "success")
        if revoked:
            flash(_("Your API tokens are revoked: make new ones for the programs that need them."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", token=token)


def forget_initial_password(user: User) -> None:
    """The generated first password of the administrator is deleted once they choose their own."""
    from kernel.setup import forget_generated_password

    forget_generated_password(user)
