"""The verification cycle's hook implementations (imported by ``plugins.directory``)."""

from __future__ import annotations

from kernel.toolkit import MenuItem, Panel, hookimpl
from kernel.toolkit import lazy_gettext as _l
from plugins.directory.verification import models as _models  # noqa: F401  its tables, with the plugin's

__all__ = ["verification_blueprints", "verification_jobs", "verification_menu_items", "verification_panels",
           "verification_template_context"]


@hookimpl(specname="passerelle_blueprints")
def verification_blueprints():
    from plugins.directory.verification import views as _views  # noqa: F401  its routes on the directory's blueprint

    return []


@hookimpl(specname="passerelle_worker_jobs")
def verification_jobs():
    from plugins.directory.verification.job import worker_job

    return [worker_job()]


@hookimpl(specname="passerelle_menu_items")
def verification_menu_items():
    return [MenuItem(_l("Directory maintenance"), "directory.maintenance_dashboard", "directory.edit", "clipboard-check",
                     "resource")]


@hookimpl(specname="passerelle_template_context")
def verification_template_context():
    from plugins.directory.verification.service import is_stale, verified_basis
    from plugins.directory.verification.views import verification_of

    return {"directory_is_stale": is_stale, "directory_verified_since": verified_basis,
            "directory_verification": verification_of}


@hookimpl(specname="passerelle_record_panels")
def verification_panels(entity, record, user):
    """On an agency's or a resource's record page: when it was verified, and "Mark as verified"."""
    if entity.name not in ("agency", "resource") or not user.can("directory.view"):
        return None
    from plugins.directory.verification.views import verification_of

    return [Panel("directory_verification", _l("Verification"), "directory/verification/_panel.html",
                  {"verification": verification_of(record), "kind": entity.name, "record": record,
                   "can_verify": user.can("directory.edit")}, order=90)]
