"""Consents asked inside a form that creates a person (the ``person_form_consent`` slot): the
boxes ticked are recorded with the record, in the request's transaction."""

from __future__ import annotations

from flask import has_request_context, request

from kernel.toolkit import CONSENT_PURPOSES, db
from plugins.privacy.consent.models import CHANNELS, VERBAL
from plugins.privacy.consent.state import record


def capture_from_form(entity, person, user) -> None:
    if not has_request_context() or not request.form.get("privacy_consent_asked"):
        return
    channel = request.form.get("privacy_consent_channel")
    channel = channel if channel in CHANNELS.values() else VERBAL
    purposes = [purpose for purpose in dict.fromkeys(request.form.getlist("privacy_consent"))
                if purpose in CONSENT_PURPOSES.values() and purpose != "sharing"]
    if not purposes:
        return
    if person.id is None:
        db.session.flush()
    for purpose in purposes:
        record(entity.name, person.id, purpose=purpose, given=True, channel=channel, user=user)
