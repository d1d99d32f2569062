"""Reports ("Module Rapport"): a report builder over every enabled module (columns, filters,
grouping with count, sum, average, minimum and maximum, a period), tables and charts, a CSV export
of exactly what is shown, saved and shared reports e-mailed every week or month, and the standard
reports other plugins offer.

Plugins add columns and standard reports through ``passerelle_report_columns`` and
``passerelle_standard_reports`` (see ``docs/reports.md``)."""

from kernel.toolkit import (
    EVERYONE,
    MANAGERS,
    WRITERS,
    MenuItem,
    MenuSection,
    ModulePlacement,
    Permission,
    hookimpl,
)
from kernel.toolkit import lazy_gettext as _l

LABEL = _l("Reports")
ORDER = 90
REQUIRES = ()


@hookimpl
def passerelle_permissions():
    return [
        Permission("reports.view", _l("Build, run and export reports"), EVERYONE),
        Permission("reports.save", _l("Save reports"), WRITERS),
        Permission("reports.share", _l("Share reports and e-mail them on a schedule"), MANAGERS),
    ]


@hookimpl
def passerelle_menu_items():
    return [
        MenuItem(_l("Reports"), "reports.index", "reports.view", "chart-bar", "reports"),
        MenuItem(_l("View reports"), "reports.index", "reports.view", "chart-bar", "reports"),
        MenuItem(_l("New report"), "reports.build", "reports.view", "chart-bar", "reports"),
    ]


@hookimpl
def passerelle_blueprints():
    from plugins.reports.views import bp

    return [bp]


@hookimpl
def passerelle_worker_jobs():
    from plugins.reports.schedule import send_due_reports

    return [send_due_reports]


@hookimpl
def passerelle_menu_sections():
    return [MenuSection("reports", _l("Reports"), 90, "chart-bar")]


@hookimpl
def passerelle_menu_placements():
    return [ModulePlacement("reports", "reports", "chart-bar")]
