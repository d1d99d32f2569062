"""Employment assistance (SAE, "service d'aide à l'emploi"): case files with their barriers,
action plan, placements and follow-ups, a "My caseload" dashlet, report columns and standard
reports, and the office-visit registration form staff open at ``/sae/registration`` for walk-in
visitors.

Case files are for the SAE team only: supervisors and administrators by role, and the staff an
administrator puts on the team (``passerelle_user_permissions``). Everything else (lists,
filters, export, API, history, trash, linked panels on client and partner pages) the kernel
derives from the models."""

from kernel.toolkit import (
    ADMINISTRATOR,
    EVERYONE,
    MANAGERS,
    WRITERS,
    MenuItem,
    MenuSection,
    ModulePlacement,
    Permission,
    hookimpl,
    record_permissions,
)
from kernel.toolkit import lazy_gettext as _l

LABEL = _l("Employment assistance (SAE)")
ORDER = 45
REQUIRES = ("clients", "partners")


@hookimpl
def passerelle_entities():
    from plugins.sae.models import ActionStep, Barrier, CaseFile, Placement, Visit

    return [CaseFile, Barrier, ActionStep, Placement, Visit]


@hookimpl
def passerelle_permissions():
    return [
        Permission("sae.view", _l("View employment-assistance case files"), MANAGERS),
        Permission("sae.create", _l("Open employment-assistance case files"), MANAGERS),
        Permission("sae.edit", _l("Edit employment-assistance case files"), MANAGERS),
        Permission("sae.delete", _l("Delete employment-assistance case files"), MANAGERS),
        Permission("sae.reopen", _l("Reopen closed case files"), MANAGERS),
        Permission("sae.configure", _l("Set up employment assistance"), (ADMINISTRATOR,)),
        Permission("sae.registration", _l("Open the office-visit registration form"), WRITERS),
    ] + [permission for permission in record_permissions("visits", _l("office visits"))
         if permission.name != "visits.view"] + [
        Permission("visits.view", _l("View office visits"), EVERYONE),
    ]


@hookimpl
def passerelle_user_permissions(user):
    from plugins.sae.settings import TEAM_PERMISSIONS, is_on_team

    return TEAM_PERMISSIONS if is_on_team(user) else None


@hookimpl
def passerelle_session_reads():
    from plugins.sae.settings import MEMBERS_READ

    return [MEMBERS_READ]


@hookimpl
def passerelle_menu_items():
    return [
        MenuItem(_l("Registration form"), "sae.registration", "sae.registration", "door-open", "visit"),
        MenuItem(_l("SAE settings"), "sae.settings", "sae.configure", "settings", "case_file", settings=True),
    ]


@hookimpl
def passerelle_blueprints():
    from plugins.sae.views import bp

    return [bp]


@hookimpl
def passerelle_record_saved(entity, record, created, changes, user):
    if entity.name == "placement" and created:
        from plugins.sae.followups import create_follow_ups

        create_follow_ups(record, user)


@hookimpl
def passerelle_record_panels(entity, record, user):
    from plugins.sae.views import closing_panel, follow_up_task_panel, follow_ups_panel

    if entity.name == "case_file" and entity.can_change(user, record, "edit"):
        return [closing_panel(record)]
    if entity.name == "placement" and entity.can(user, "view"):
        return [follow_ups_panel(record, user)]
    if entity.name == "task" and user.can("sae.view"):  # the file's details stay out of the task itself
        panel = follow_up_task_panel(record)
        return [panel] if panel is not None else None
    return None


@hookimpl
def passerelle_dashlets():
    from plugins.sae.dashlets import sae_dashlets

    return sae_dashlets()


@hookimpl
def passerelle_report_columns():
    from plugins.sae.reports import report_columns

    return report_columns()


@hookimpl
def passerelle_standard_reports():
    from plugins.sae.reports import standard_reports

    return standard_reports()


@hookimpl(trylast=True)  # after the clients' and partners' demo records exist
def passerelle_demo_data(session, users):
    from plugins.sae.demo import load_demo_case_files

    load_demo_case_files(session, users)


@hookimpl
def passerelle_menu_sections():
    return [MenuSection("employment", _l("Employment (SAE)"), 45, "briefcase")]


@hookimpl
def passerelle_menu_placements():
    icons = {"case_file": "briefcase", "visit": "door-open", "placement": "handshake", "barrier": "construction",
             "action_step": "list-ordered"}
    return [ModulePlacement(module, "employment", icon) for module, icon in icons.items()]
from plugins.sae.personal_data import passerelle_identifying_data  # noqa: E402, F401  what identifies a person (docs/privacy.md)
