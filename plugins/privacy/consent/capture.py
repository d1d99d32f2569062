"""Consents asked inside a form that creates a person, or a record about one (the
``person_form_consent`` slot): the boxes ticked are recorded, once per request, in the request's
transaction. The registration kiosk creates a client, or only a visit on the client it recognised:
either way the visitor's answers go to that client."""

from __future__ import annotations

from flask import g, has_request_context, request

from kernel.toolkit import CONSENT_PURPOSES, db, entities
from plugins.privacy.consent.models import CHANNELS, VERBAL
from plugins.privacy.consent.state import SHARING, record

_DONE = "privacy_consent_captured"


def person_of(entity, created) -> tuple[str, int] | None:
    """The person a newly created record is, or is about (its first reference to a person)."""
    if entity.person:
        if created.id is None:
            db.session.flush()
        return entity.name, created.id
    for meta in entity.fields.values():
        target = entities().by_table(meta.target) if meta.kind == "reference" and meta.target else None
        value = getattr(created, meta.name, None)
        if target is not None and target.person and value:
            return target.name, int(value)
    return None


def capture_from_form(entity, created, user) -> None:
    if not has_request_context() or not request.form.get("privacy_consent_asked") or g.get(_DONE):
        return
    person = person_of(entity, created)
    if person is None:
        return
    g.setdefault(_DONE, True)
    channel = request.form.get("privacy_consent_channel")
    channel = channel if channel in CHANNELS.values() else VERBAL
    for purpose in dict.fromkeys(request.form.getlist("privacy_consent")):
        if purpose in CONSENT_PURPOSES.values() and purpose != SHARING:
            record(person[0], person[1], purpose=purpose, given=True, channel=channel, user=user)
