"""A person's own data: hook implementations (imported by ``plugins.privacy``)."""

from __future__ import annotations

from kernel.toolkit import ADMINISTRATOR, MANAGERS, Permission, Slot, hookimpl
from kernel.toolkit import lazy_gettext as _l
from plugins.privacy.person_data.views import ERASE, EXPORT

__all__ = ["person_blueprints", "person_consents", "person_identifying_data", "person_permissions", "person_slots"]


@hookimpl(specname="passerelle_permissions")
def person_permissions():
    return [
        Permission(EXPORT, _l("Export everything held about a person"), MANAGERS),
        Permission(ERASE, _l("Erase a person's data on their request"), (ADMINISTRATOR,)),
    ]


@hookimpl(specname="passerelle_blueprints")
def person_blueprints():
    from plugins.privacy.person_data.views import bp

    return [bp]


@hookimpl(specname="passerelle_template_slots")
def person_slots():
    return [Slot("record_header_buttons", "privacy/person/_buttons.html", order=80, permission=EXPORT)]


@hookimpl(specname="passerelle_identifying_data")
def person_identifying_data():
    from plugins.privacy.person_data.consents import consent_declarations

    return consent_declarations()


@hookimpl(specname="passerelle_person_data")
def person_consents(entity, record_id):
    from plugins.privacy.person_data.consents import consent_rows

    return consent_rows(entity, record_id)
