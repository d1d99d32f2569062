"""Clients: the newcomers, permanent residents and job seekers the organisation serves.

Almost all of this plugin is the model declaration in ``models.py``; the kernel derives the
list, detail and edit screens, the API, history, trash and permissions from it.
"""

from kernel.toolkit import MenuSection, ModulePlacement, hookimpl, record_permissions
from kernel.toolkit import lazy_gettext as _l

LABEL = _l("Clients")
ORDER = 10
REQUIRES = ()


@hookimpl
def passerelle_entities():
    from plugins.clients.models import Client

    return [Client]


@hookimpl
def passerelle_permissions():
    return record_permissions("clients", _l("clients"))


@hookimpl
def passerelle_dashlets():
    from plugins.clients.dashlets import client_dashlets

    return client_dashlets()


@hookimpl
def passerelle_demo_data(session, users):
    from plugins.clients.demo import demo_clients

    session.add_all(demo_clients(users))
from plugins.clients.reports import passerelle_standard_reports  # noqa: E402, F401  report hooks (docs/reports.md)


@hookimpl
def passerelle_menu_sections():
    return [MenuSection("clients", _l("Clients and partners"), 10, "users")]


@hookimpl
def passerelle_menu_placements():
    return [ModulePlacement("client", "clients", "user")]
from plugins.clients.personal_data import passerelle_identifying_data  # noqa: E402, F401  what identifies a person (docs/privacy.md)
