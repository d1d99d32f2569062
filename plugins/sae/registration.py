"""The office-visit registration form (guide 1.12, SAE module): a kiosk at ``/registration`` for
walk-in visitors, on a tablet at the front desk.

A staff member (permission ``sae.registration``) opens it and starts the kiosk with a button (a
POST: no link or image can do it for them); from then on their browser session is in *kiosk mode*: every other page of the application redirects back to the form, so a visitor
cannot reach the CRM, and leaving takes the staff member's password. The visitor picks French or
English and types their name, phone, e-mail, postal code, preferred language and the reason for
the visit. The form looks the visitor up with the kernel's duplicate rules for clients: an
existing client is used only when the name is similar *and* the e-mail or a phone number is the
same; otherwise a new client is created. Either way the visit is recorded on the client and the
staff on duty are notified. The visitor is never shown anything about a client, matched or not:
the thanks page repeats only the first name they typed, and the form is emptied for the next one.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale, get_locale
from flask_login import current_user, login_required
from marshmallow import ValidationError

from kernel.toolkit import (
    KIOSK_EXIT,
    REASON_NAME,
    db,
    entities,
    find_duplicates,
    notify,
    records,
    require,
    utcnow,
    verify_password,
)
from kernel.toolkit import gettext as _
from kernel.toolkit import lazy_gettext as _l
from plugins.sae.models import VISIT_REASONS
from plugins.sae.settings import on_duty_users
from plugins.sae.views import bp

KIOSK = "sae_kiosk"
KIOSK_LANGUAGE = "sae_kiosk_language"
KIOSK_THANKS = "sae_kiosk_thanks"
KIOSK_ENDPOINTS = {"sae.registration", "sae.registration_thanks", "sae.registration_language",
                   "sae.registration_exit", "static", "plugin_static", "vendor", "favicon"}
VISITOR_FIELDS = ("first_name", "last_name", "phone", "email", "postal_code", "preferred_language")
KIOSK_LANGUAGES = ("fr", "en")


@bp.before_app_request
def keep_the_kiosk():
    """In kiosk mode, every page but the form's leads back to the form."""
    if not session.get(KIOSK) or request.endpoint in KIOSK_ENDPOINTS:
        return None
    if not current_user.is_authenticated:  # logged out meanwhile: the kiosk ends with the session
        session.pop(KIOSK, None)
        return None
    return redirect(url_for("sae.registration"))


def kiosk_language() -> str:
    language = session.get(KIOSK_LANGUAGE)
    return language if language in KIOSK_LANGUAGES else current_app.config.get("DEFAULT_LANGUAGE", "fr")


def language_choices() -> list[tuple[str, str]]:
    meta = entities().get("client").fields.get("preferred_language")
    return meta.choices.items() if meta is not None and meta.choices is not None else []


def render_form(values: dict, errors: dict, status: int = 200):
    return render_template("sae/registration.html", values=values, errors=errors, reasons=VISIT_REASONS.items(),
                           language_choices=language_choices(), kiosk_lang=kiosk_language()), status


@bp.route("/sae/registration", methods=["GET", "POST"])
@login_required
@require("sae.registration")
def registration():
    """The form in kiosk mode; before it, the page where a staff member chooses to start the kiosk
    (a GET never switches a session into kiosk mode: a link or an image could)."""
    if not session.get(KIOSK):
        if request.method == "POST":  # the kiosk was left meanwhile (another tab, a logout)
            flash(_("The registration kiosk is not started on this browser: the visit was not saved."), "error")
            return redirect(url_for("sae.registration")), 303
        return render_template("sae/registration_start.html")
    with force_locale(kiosk_language()):
        if request.method == "GET":
            return render_form({}, {})
        values = {name: (request.form.get(name) or "").strip() for name in (*VISITOR_FIELDS, "reason", "details")}
        client_data, errors = checked_visitor(values)
        if errors:
            db.session.rollback()
            return render_form(values, errors, 422)
        register_visit(values, client_data)
        db.session.commit()
        session[KIOSK_THANKS] = values["first_name"][:80]  # not in the URL: the tablet keeps a history
        return redirect(url_for("sae.registration_thanks"))


@bp.route("/sae/registration/start", methods=["POST"])
@login_required
@require("sae.registration")
def registration_start():
    """The staff member chose to turn this browser into the registration kiosk."""
    session[KIOSK] = True
    return redirect(url_for("sae.registration"))


@bp.route("/sae/registration/thanks")
@login_required
def registration_thanks():
    if not session.get(KIOSK):
        return redirect(url_for("sae.registration"))
    with force_locale(kiosk_language()):
        return render_template("sae/registration_thanks.html", name=session.pop(KIOSK_THANKS, ""),
                               kiosk_lang=kiosk_language())


@bp.route("/sae/registration/language/<language>")
@login_required
def registration_language(language):
    if language in KIOSK_LANGUAGES:
        session[KIOSK_LANGUAGE] = language
    return redirect(url_for("sae.registration"))


@bp.route("/sae/registration/exit", methods=["GET", "POST"])
@login_required
def registration_exit():
    """Leaving the kiosk takes the password of the staff member who opened it."""
    if not session.get(KIOSK):
        return redirect(url_for("home.dashboard"))
    error = None
    if request.method == "POST":
        right = verify_password(current_user._get_current_object(), request.form.get("password") or "",
                                purpose=KIOSK_EXIT)
        if right:
            session.pop(KIOSK, None)
            session.pop(KIOSK_LANGUAGE, None)
            flash(_("You left the registration form."), "success")
            return redirect(url_for("home.dashboard"))
        error = _("This is not the password of the staff member who opened the form.")
    # In the staff member's own language, whatever the visitor chose.
    return render_template("sae/registration_exit.html", error=error, kiosk_lang=str(get_locale())), (
        401 if error else 200)


# -- registering a visit ------------------------------------------------------------------------
def checked_visitor(values: dict) -> tuple[dict, dict]:
    """The client's values loaded with the clients' own rules, and translated messages for what
    the visitor must fix."""
    data, errors = {}, {}
    try:
        data = records.validate(entities().get("client"), client_values(values), partial=False)
    except ValidationError as error:
        errors = {name: " ".join(texts) for name, texts in error.messages.items() if name in VISITOR_FIELDS}
    if not values["first_name"]:
        errors["first_name"] = _("This field is required.")
    if not values["phone"] and not values["email"]:
        errors.setdefault("phone", _("Give a phone number or an e-mail address so that we can reach you."))
    if values["reason"] not in VISIT_REASONS.values():
        errors["reason"] = _("Choose the reason for your visit.")
    if len(values["details"]) > 2000:
        errors["details"] = _("At most %(count)d characters.", count=2000)
    return data, errors


def client_values(values: dict) -> dict:
    return {name: values[name] or None for name in VISITOR_FIELDS}


def matching_client_id(data: dict) -> int | None:
    """An existing client only when the name is similar and an e-mail or phone is the same."""
    for match in find_duplicates(entities().get("client"), data, limit=5):
        if REASON_NAME in match.reasons and match.exact:
            return match.record_id
    return None


def register_visit(values: dict, client_data: dict):
    """The visit on the matching client, or on a new one; the staff on duty are notified."""
    client_id = matching_client_id(client_data)
    is_new = client_id is None
    if is_new:
        client_id = records.create(entities().get("client"), client_values(values), current_user,
                                   validated=client_data).id
    visit = records.create(entities().get("visit"), {
        "client_id": client_id, "visited_at": utcnow().isoformat(timespec="seconds") + "Z",
        "reason": values["reason"], "details": values["details"] or None,
        "phone": client_data.get("phone"), "email": client_data.get("email"),
        "postal_code": client_data.get("postal_code"),
    }, current_user)
    notify_on_duty(visit, values, is_new)
    return visit


def notify_on_duty(visit, values: dict, is_new: bool) -> None:
    """The staff on duty at the front desk, or, when nobody is, the staff member who opened the form."""
    name = f"{values['first_name']} {values['last_name']}".strip()
    for user in on_duty_users() or [current_user._get_current_object()]:
        with force_locale(user.language):
            reason_text = VISIT_REASONS.label(values["reason"])
        message = (_l("New client at the front desk: %(name)s (%(reason)s)", name=name, reason=reason_text)
                   if is_new else
                   _l("A client is at the front desk: %(name)s (%(reason)s)", name=name, reason=reason_text))
        notify(user, "sae_visit", message, entity="visit", record=visit)


# The front desk's tablet has the form's former address bookmarked (before issue 17's move).
bp.add_url_rule("/registration", endpoint="former_registration", redirect_to="/sae/registration")
