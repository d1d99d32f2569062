"""Programmes and services: the catalogues, and what each client or partner took part in or
obtained (with the activity number reports rely on).

Participations and service records are "related to" a client or a partner through the kernel's
generic related-to field, so the plugin works with either module disabled, and the kernel shows
them as panels on client and partner pages."""

from kernel.toolkit import MenuSection, ModulePlacement, hookimpl, record_permissions
from kernel.toolkit import lazy_gettext as _l

LABEL = _l("Programmes and services")
ORDER = 40
REQUIRES = ()


@hookimpl
def passerelle_entities():
    from plugins.programs.models import Participation, Programme, Service, ServiceRecord

    return [Programme, Participation, Service, ServiceRecord]


@hookimpl
def passerelle_permissions():
    return record_permissions("programs", _l("programmes and services"))


@hookimpl
def passerelle_demo_data(session, users):
    from plugins.programs.demo import load_demo_programs

    load_demo_programs(session, users)
from plugins.programs.reports import passerelle_report_columns, passerelle_standard_reports  # noqa: E402, F401  report hooks (docs/reports.md)


@hookimpl
def passerelle_menu_sections():
    return [MenuSection("clients", _l("Clients and partners"), 10, "users")]  # the clients plugin's, for an installation without it


@hookimpl
def passerelle_menu_placements():
    return [
        ModulePlacement("programme", "clients", "graduation-cap"),
        ModulePlacement("participation", "clients", "user-check"),
        ModulePlacement("service", "clients", "hand-helping"),
        ModulePlacement("service_record", "clients", "clipboard-check"),
    ]
