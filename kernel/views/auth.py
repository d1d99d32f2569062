"""Login, logout, language of the login page, and the forgotten-password flow."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale
from flask_login import current_user, login_required, login_user, logout_user
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from kernel.db import db, utcnow
from kernel.i18n import LANGUAGES
from kernel.i18n import gettext as _
from kernel.mail import send_email
from kernel.ratelimit import address_and_email, limiter, login_limit
from kernel.users import User, find_user_by_email

bp = Blueprint("auth", __name__)

MIN_PASSWORD_LENGTH = 10


def safe_next(target: str | None) -> str:
    """Only same-site relative paths are followed after login."""
    if not target:
        return url_for("home.dashboard")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith(("//", "/\\")):
        return url_for("home.dashboard")
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"], key_func=address_and_email)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    if request.method == "POST":
        language = request.form.get("language")
        if language in LANGUAGES:
            session["language"] = language
        user = find_user_by_email(request.form.get("email", ""))
        if user is None or not user.check_password(request.form.get("password", "")) or not user.active:
            flash(_("Wrong e-mail address or password."), "error")
            return render_template("auth/login.html", email=request.form.get("email", "")), 401
        if language in LANGUAGES:
            user.language = language
        user.last_login_at = utcnow()
        db.session.commit()
        session.clear()  # a fresh session at login (no fixation)
        login_user(user)
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
    logout_user()
    session.clear()
    session["language"] = language  # the login page stays in the user's language
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _fingerprint(user: User) -> str:
    # Part of the current hash: once the password changes, every earlier link stops working.
    return (user.password_hash or "none")[-16:]


def reset_token(user: User) -> str:
    return _serializer().dumps({"user": user.id, "fingerprint": _fingerprint(user)})


def user_for_reset_token(token: str) -> User | None:
    try:
        payload = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except (BadSignature, SignatureExpired):
        return None
    user = db.session.get(User, payload.get("user"))
    if user is None or not user.active or payload.get("fingerprint") != _fingerprint(user):
        return None
    return user


def send_reset_email(user: User) -> None:
    link = current_app.config["BASE_URL"].rstrip("/") + url_for("auth.reset_password", token=reset_token(user))
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    with force_locale(user.language):
        subject = _("Passerelle: reset your password")
        body = render_template("email/password_reset.txt", user=user, link=link, minutes=minutes)
    send_email(user.email, subject, body)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"], key_func=address_and_email)
def forgot_password():
    if request.method == "POST":
        user = find_user_by_email(request.form.get("email", ""))
        if user is not None and user.active:
            send_reset_email(user)
        db.session.commit()
        flash(_("If an account uses this address, a message with a link to choose a new password is on its way."),
              "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html")


def password_problem(password: str, confirmation: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("The password needs at least %(count)d characters.", count=MIN_PASSWORD_LENGTH)
    if password != confirmation:
        return _("The two passwords are not the same.")
    return None


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    user = user_for_reset_token(token)
    if user is None:
        flash(_("This link has expired or was already used. Ask for a new one."), "error")
        return redirect(url_for("auth.forgot_password"))
    if request.method == "POST":
        problem = password_problem(request.form.get("password", ""), request.form.get("confirmation", ""))
        if problem:
            flash(problem, "error")
            return render_template("auth/reset.html", token=token), 422
        user.set_password(request.form["password"])
        db.session.commit()
        flash(_("Your password is changed. You can log in."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", token=token)
