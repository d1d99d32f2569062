"""Consent's hook implementations (imported by ``plugins.privacy``)."""

from __future__ import annotations

from kernel.toolkit import CONSENT_PURPOSES, Panel, Slot, entities, hookimpl, split_person
from kernel.toolkit import gettext as _
from kernel.toolkit import lazy_gettext as _l

__all__ = ["consent_blueprints", "consent_demo_data", "consent_form_capture", "consent_outbox_check",
           "consent_panels", "consent_people_without_consent", "consent_slots", "consent_template_context"]


def person_entity(name: str | None):
    entity = entities().get(name) if name else None
    return entity if entity is not None and entity.person else None


@hookimpl(specname="passerelle_outbox_check")
def consent_outbox_check(message):
    """A message to a person for a purpose leaves only with their current consent to it."""
    from plugins.privacy.consent.state import has_consent

    name, record_id = split_person(message.person)
    if not message.purpose or person_entity(name) is None:
        return None
    if has_consent(name, record_id, message.purpose, message.scope or ""):
        return None
    purpose = CONSENT_PURPOSES.label(message.purpose)
    if message.scope:
        return _("This person has not consented to “%(purpose)s” with %(organisation)s: nothing was sent. "
                 "Record their consent first.", purpose=purpose, organisation=message.scope)
    return _("This person has no current consent to “%(purpose)s”: nothing was sent. Record their consent first.",
             purpose=purpose)


@hookimpl(specname="passerelle_people_without_consent")
def consent_people_without_consent(entity, purpose):
    from plugins.privacy.consent.state import without_consent

    return without_consent(entity, purpose) if entity.person else None


@hookimpl(specname="passerelle_record_panels")
def consent_panels(entity, record, user):
    """The "Consents" panel of every person's page: the states, the history, the forms."""
    if not entity.person or not entity.can(user, "view"):
        return []
    from plugins.privacy.consent.state import history_params, history_statement
    from plugins.privacy.consent.views import panel_context

    # the consents are read with the page's other panels (one statement for them all)
    return [Panel("privacy.consents", _l("Consents"), "privacy/consent/_panel.html", order=900,
                  reads={"history": history_statement()}, params=history_params(entity.name, record.id),
                  build=lambda found: panel_context(entity, record, user, found["history"]))]


@hookimpl(specname="passerelle_blueprints")
def consent_blueprints():
    from plugins.privacy.consent.views import bp

    return [bp]


@hookimpl(specname="passerelle_template_slots")
def consent_slots():
    return [Slot("person_consent", "privacy/consent/_slot_state.html"),
            Slot("person_form_consent", "privacy/consent/_slot_form.html")]


@hookimpl(specname="passerelle_template_context")
def consent_template_context():
    from plugins.privacy.consent.views import consent_states_for

    return {"privacy_consent_states": consent_states_for, "privacy_consent_purpose_label": CONSENT_PURPOSES.label}


@hookimpl(specname="passerelle_record_saved")
def consent_form_capture(entity, record, created, changes, user):
    """Consents ticked in a form that creates a person or a record about one (the registration
    kiosk, the helpline's new profile) are recorded with it, in the same transaction."""
    if created:
        from plugins.privacy.consent.capture import capture_from_form

        capture_from_form(entity, record, user)


@hookimpl(specname="passerelle_demo_data", trylast=True)  # after the people are made
def consent_demo_data(session, users):
    from plugins.privacy.consent.demo import load

    load(session, users)
