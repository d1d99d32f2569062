"""Recording a consent or its withdrawal: the person's panel posts here (its full form, or the
one-click verbal consent of the referral screen), and a page of its own shows the form again with
the messages when the input is wrong."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from kernel.toolkit import CONSENT_PURPOSES, clock, db, entities, records, safe_next, users_by_id
from kernel.toolkit import gettext as _
from plugins.privacy.consent import state
from plugins.privacy.consent.models import CHANNELS, VERBAL

bp = Blueprint("privacy_consent", __name__, url_prefix="/privacy/consents")

NOTE_MAX = 2000


def may_record(entity, user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and entity.can(user, "edit")


def panel_context(entity, record, user, history: list | None = None) -> dict:
    """What the "Consents" panel shows, from one query of the person's consents (and one of the
    users who recorded them, when there is a history); ``history``: those consents, already read."""
    history = state.history_of(entity.name, record.id) if history is None else history
    recorders = users_by_id({row.recorded_by_id for row in history if row.recorded_by_id})
    return {"consent_states": list(state.states_from(history).values()), "consent_history": history,
            "consent_recorders": recorders, "consent_may_record": may_record(entity, user),
            "consent_action": url_for("privacy_consent.record_page", plural=entity.plural, record_id=record.id),
            "consent_purposes": CONSENT_PURPOSES.items(), "consent_channels": CHANNELS.items(),
            "consent_today": clock.today(user).isoformat(), "consent_purpose_label": CONSENT_PURPOSES.label,
            "consent_channel_label": CHANNELS.label}


def consent_states_for(entity, record, purposes) -> list:
    """The states of ``purposes`` for one person (the ``person_consent`` slot): one query."""
    if entity is None or record is None or not entity.person:
        return []
    states = state.states_from(state.history_of(entity.name, record.id))
    return [states.get((purpose, "")) or state.State(purpose, "", None, clock.today()) for purpose in purposes]


def person_or_404(plural: str, record_id: int):
    entity = entities().by_plural(plural)
    if entity is None or not entity.person or not entity.can(current_user, "view"):
        abort(404)
    record = records.get(entity, record_id)
    if record is None:
        abort(404)
    return entity, record


@bp.route("/<plural>/<int:record_id>", methods=["GET", "POST"])
@login_required
def record_page(plural: str, record_id: int):
    entity, record = person_or_404(plural, record_id)
    if not may_record(entity, current_user):
        abort(403)
    form = request.form if request.method == "POST" else request.args
    if request.method == "GET":
        return render_form(entity, record, form, {})
    errors, values = parse(form)
    if not errors:
        try:
            state.record(entity.name, record.id, user=current_user, **values)
        except state.ConsentInvalid as invalid:
            errors = invalid.errors
    if errors:
        db.session.rollback()
        return render_form(entity, record, form, errors, status=422)
    db.session.commit()
    flash(_("Consent to “%(purpose)s” recorded.", purpose=CONSENT_PURPOSES.label(values["purpose"])) if values["given"]
          else _("Withdrawal of consent to “%(purpose)s” recorded.", purpose=CONSENT_PURPOSES.label(values["purpose"])),
          "success")
    return redirect(safe_next(form.get("next")) if form.get("next") else
                    url_for("records.show_record", plural=entity.plural, record_id=record.id))


def parse(form) -> tuple[dict, dict]:
    errors = {}
    values = {"purpose": form.get("purpose", ""), "channel": form.get("channel") or VERBAL,
              "scope": (form.get("scope") or "").strip(), "note": (form.get("note") or "").strip()}
    given = form.get("given")
    if given not in ("1", "0"):
        errors["given"] = _("Say whether consent is given or withdrawn.")
    values["given"] = given == "1"
    if len(values["note"]) > NOTE_MAX:
        errors["note"] = _("At most %(max)s characters.", max=NOTE_MAX)
    for name in ("decided_on", "expires_on"):
        text = (form.get(name) or "").strip()
        try:
            values[name] = date.fromisoformat(text) if text else None
        except ValueError:
            errors[name] = _("Enter a date such as 2026-03-31.")
    return errors, values


def render_form(entity, record, form, errors, status: int = 200):
    return render_template("privacy/consent/record.html", entity=entity, record=record, form=form, errors=errors,
                           purposes=CONSENT_PURPOSES.items(), channels=CHANNELS.items(),
                           today=clock.today(current_user).isoformat(),
                           back=url_for("records.show_record", plural=entity.plural, record_id=record.id)), status
