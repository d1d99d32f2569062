"""Activities: calls, meetings, tasks (with their kanban and history), notes and documents (CVs
included), a shared calendar with a private iCal feed, reminders and dashboard blocks.

Calls, meetings, tasks and notes are "related to" a client, contact or partner through the
kernel's related-to field, so the kernel already lists them on those records' pages."""

from kernel.toolkit import (
    MenuItem,
    MenuSection,
    ModulePlacement,
    Panel,
    csrf_exempt,
    hookimpl,
    record_permissions,
)
from kernel.toolkit import lazy_gettext as _l

LABEL = _l("Activities")
ORDER = 30
REQUIRES = ()


@hookimpl
def passerelle_entities():
    from plugins.activities.models import Call, Document, Meeting, Note, Task

    return [Call, Meeting, Task, Note, Document]


@hookimpl
def passerelle_permissions():
    return record_permissions("activities", _l("activities")) + record_permissions("documents", _l("documents"))


@hookimpl
def passerelle_menu_items():
    from plugins.activities.models import OPEN_TASK_STATUSES

    return [
        MenuItem(_l("Open tasks"), "records.list_records", "activities.view", "square-check", "task",
                 {"plural": "tasks", "status__in": list(OPEN_TASK_STATUSES)}),
        MenuItem(_l("History"), "activities.task_history", "activities.view", "history", "task"),
        MenuItem(_l("Kanban"), "activities.kanban", "activities.view", "kanban", "task"),
        MenuItem(_l("Calendar"), "activities.calendar_page", "activities.view", "calendar", "calendar"),
        MenuItem(_l("CVs"), "cvs.cv_list", "documents.view", "file-user", "cv"),
    ]


@hookimpl
def passerelle_blueprints():
    from plugins.activities.api import api
    from plugins.activities.cvs import bp as cvs
    from plugins.activities.views import bp

    csrf_exempt(api)  # token authentication, as the kernel's API
    return [bp, api, cvs]


@hookimpl
def passerelle_record_panels(entity, record, user):
    from plugins.activities.documents import document_panels
    from plugins.activities.models import RELATED_TO
    from plugins.activities.panel import activities_panel
    from plugins.activities.views import invitees_panel

    if entity.name == "meeting":
        return [invitees_panel(record, user)]
    panels = document_panels(entity, record, user) or []
    if entity.name in RELATED_TO and user.can("activities.view"):
        panels.append(activities_panel(entity, record, user))
    return panels


@hookimpl
def passerelle_profile_panels(user):
    from flask import url_for

    from plugins.activities.calendar import sharing_context

    if not user.can("activities.view"):
        return None
    return [Panel(key="calendar-sharing", title=_l("My calendar"), template="activities/_sharing_form.html",
                  context=sharing_context(user) | {"next": url_for("profile.show")})]


@hookimpl
def passerelle_dashlets():
    from plugins.activities.dashlets import activity_dashlets

    return activity_dashlets()


@hookimpl(trylast=True)  # after the clients, contacts and partners the activities relate to
def passerelle_demo_data(session, users):
    from plugins.activities.demo import load_demo_activities

    load_demo_activities(session, users)


@hookimpl
def passerelle_worker_jobs():
    from plugins.activities.reminders import send_due_reminders

    return [send_due_reminders]
from plugins.activities.reports import passerelle_report_columns, passerelle_standard_reports  # noqa: E402, F401  report hooks (docs/reports.md)


@hookimpl
def passerelle_menu_sections():
    return [MenuSection("activities", _l("Activities"), 30, "calendar-check")]


@hookimpl
def passerelle_menu_placements():
    icons = {"task": "square-check", "calendar": "calendar", "call": "phone", "meeting": "users",
             "note": "notebook-pen", "document": "file-text", "cv": "file-user"}
    return [ModulePlacement(module, "activities", icon) for module, icon in icons.items()]
from plugins.activities.personal_data import (  # noqa: E402, F401  a person's data (docs/privacy.md)
    passerelle_identifying_data,
    passerelle_person_data,
)
