"""The incident register's hook implementations (imported by ``plugins.privacy``)."""

from __future__ import annotations

from kernel.toolkit import ADMINISTRATOR, ModulePlacement, Permission, hookimpl
from kernel.toolkit import lazy_gettext as _l
from plugins.privacy.incidents.models import PERMISSION

__all__ = ["incident_demo_data", "incident_entities", "incident_menu_placements", "incident_permissions"]

ADMINISTRATORS = (ADMINISTRATOR,)


@hookimpl(specname="passerelle_entities")
def incident_entities():
    from plugins.privacy.incidents.models import Incident

    return [Incident]


@hookimpl(specname="passerelle_permissions")
def incident_permissions():
    return [
        Permission(f"{PERMISSION}.view", _l("View the register of confidentiality incidents"), ADMINISTRATORS),
        Permission(f"{PERMISSION}.create", _l("Record confidentiality incidents"), ADMINISTRATORS),
        Permission(f"{PERMISSION}.edit", _l("Edit confidentiality incidents"), ADMINISTRATORS),
        Permission(f"{PERMISSION}.delete", _l("Delete confidentiality incidents"), ADMINISTRATORS),
    ]


@hookimpl(specname="passerelle_menu_placements")
def incident_menu_placements():
    return [ModulePlacement("privacy_incident", "settings", "shield-alert", settings=True)]


@hookimpl(specname="passerelle_demo_data")
def incident_demo_data(session, users):
    from plugins.privacy.incidents.demo import demo_incidents

    session.add_all(demo_incidents(users))
