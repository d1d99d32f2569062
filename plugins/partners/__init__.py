"""Partners (employers, consultants, organisations) and the contacts who work for them.

Nearly all of it is the two model declarations in ``models.py``: the kernel derives lists,
forms, the partner's "Contacts" panel (from the contact's reference to its partner), duplicate
warnings, the API and history.
"""

from kernel.toolkit import MenuSection, ModulePlacement, hookimpl, record_permissions
from kernel.toolkit import lazy_gettext as _l

LABEL = _l("Partners")
ORDER = 20
REQUIRES = ()


@hookimpl
def passerelle_entities():
    from plugins.partners.models import Contact, Partner

    return [Partner, Contact]


@hookimpl
def passerelle_permissions():
    return record_permissions("partners", _l("partners and contacts"))


@hookimpl
def passerelle_demo_data(session, users):
    from plugins.partners.demo import load_demo_partners

    load_demo_partners(session, users)
from plugins.partners.reports import passerelle_report_columns, passerelle_standard_reports  # noqa: E402, F401  report hooks (docs/reports.md)


@hookimpl
def passerelle_menu_sections():
    return [MenuSection("clients", _l("Clients and partners"), 10, "users")]  # the clients plugin's, for an installation without it


@hookimpl
def passerelle_menu_placements():
    return [ModulePlacement("partner", "clients", "building-2"), ModulePlacement("contact", "clients", "contact")]
