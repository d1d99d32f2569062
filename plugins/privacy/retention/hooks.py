"""Retention's hook implementations (imported by ``plugins.privacy``)."""

from __future__ import annotations

from kernel.toolkit import ADMINISTRATOR, MenuItem, ModulePlacement, Permission, hookimpl
from kernel.toolkit import lazy_gettext as _l
from plugins.privacy.retention.models import HOLDS, RULES

__all__ = ["retention_blueprints", "retention_demo_data", "retention_entities", "retention_jobs", "retention_menu_items",
           "retention_menu_placements", "retention_permissions"]

ADMINISTRATORS = (ADMINISTRATOR,)


@hookimpl(specname="passerelle_entities")
def retention_entities():
    from plugins.privacy.retention.models import LegalHold, RetentionRule

    return [RetentionRule, LegalHold]


@hookimpl(specname="passerelle_permissions")
def retention_permissions():
    return [
        Permission(f"{RULES}.view", _l("See the retention rules, the dry run and the log of runs"), ADMINISTRATORS),
        Permission(f"{RULES}.create", _l("Add retention rules"), ADMINISTRATORS),
        Permission(f"{RULES}.edit", _l("Change retention rules and run them now"), ADMINISTRATORS),
        Permission(f"{RULES}.delete", _l("Delete retention rules"), ADMINISTRATORS),
        Permission(f"{HOLDS}.view", _l("See the legal holds"), ADMINISTRATORS),
        Permission(f"{HOLDS}.create", _l("Place legal holds"), ADMINISTRATORS),
        Permission(f"{HOLDS}.edit", _l("Change legal holds"), ADMINISTRATORS),
        Permission(f"{HOLDS}.delete", _l("Lift legal holds"), ADMINISTRATORS),
    ]


@hookimpl(specname="passerelle_blueprints")
def retention_blueprints():
    from plugins.privacy.retention.views import bp

    return [bp]


@hookimpl(specname="passerelle_worker_jobs")
def retention_jobs():
    from datetime import timedelta

    from kernel.toolkit import jobs
    from plugins.privacy.retention.run import scheduled_job

    # one worker at a time (kernel.jobs' lease); the run's key of the day stays a second guard
    return [jobs.run_exclusive("privacy.retention", scheduled_job, lease=timedelta(hours=2))]


@hookimpl(specname="passerelle_menu_items")
def retention_menu_items():
    return [MenuItem(_l("Retention: dry run and runs"), "privacy_retention.dry_run_page", f"{RULES}.view", "timer",
                     "privacy.retention", settings=True)]


@hookimpl(specname="passerelle_menu_placements")
def retention_menu_placements():
    return [ModulePlacement("privacy.retention", "settings", settings=True),
            ModulePlacement("privacy_retention_rule", "settings", "timer", settings=True),
            ModulePlacement("privacy_legal_hold", "settings", "lock", settings=True)]


@hookimpl(specname="passerelle_demo_data", trylast=True)  # after the clients are made
def retention_demo_data(session, users):
    from plugins.privacy.retention.demo import demo_holds, demo_rules

    session.add_all(demo_rules())
    session.add_all(demo_holds(session))
