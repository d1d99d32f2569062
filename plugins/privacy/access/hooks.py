"""The access log's hook implementations (imported by ``plugins.privacy``)."""

from __future__ import annotations

from kernel.toolkit import ADMINISTRATOR, MANAGERS, MenuItem, ModulePlacement, Panel, Permission, hookimpl
from kernel.toolkit import lazy_gettext as _l

__all__ = ["access_blueprints", "access_menu_items", "access_menu_placements", "access_panels", "access_permissions"]

SEE_READERS = "privacy.access_log"
REPORT = "privacy.access_report"


@hookimpl(specname="passerelle_permissions")
def access_permissions():
    return [
        Permission(SEE_READERS, _l("See who has seen a sensitive record"), MANAGERS),
        Permission(REPORT, _l("Read and export the access report (who saw what)"), (ADMINISTRATOR,)),
    ]


@hookimpl(specname="passerelle_blueprints")
def access_blueprints():
    from plugins.privacy.access.views import bp

    return [bp]


@hookimpl(specname="passerelle_record_panels")
def access_panels(entity, record, user):
    """"Who has seen this record", loaded when it comes into view (it costs the page nothing)."""
    from plugins.privacy.access.readers import may_see_readers, readers_url

    if not entity.sensitive or not may_see_readers(user, record):
        return []
    return [Panel("privacy.readers", _l("Who has seen this record"), "privacy/access/_readers_panel.html",
                  context={"readers_url": readers_url(entity, record)}, order=950)]


@hookimpl(specname="passerelle_menu_items")
def access_menu_items():
    return [MenuItem(_l("Access report"), "privacy_access.report_page", REPORT, "eye", "privacy.access_report",
                     settings=True)]


@hookimpl(specname="passerelle_menu_placements")
def access_menu_placements():
    return [ModulePlacement("privacy.access_report", "settings", settings=True)]

