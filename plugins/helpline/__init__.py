"""Helpline: the contact centre's working screen, from the moment a call arrives until the contact
is closed — caller profiles, service needs, referrals to the resource directory sent by e-mail or
SMS, service gaps, intake surveys, programme enrolments and the closing checklist."""

from kernel import hookimpl
from kernel.i18n import lazy_gettext as _l
from kernel.menu import MenuSection, ModulePlacement
from kernel.permissions import ADMINISTRATOR, EVERYONE, MANAGERS, SUPERVISOR, Permission, record_permissions

LABEL = _l("Helpline")
ORDER = 55
REQUIRES = ("contactcenter",)


@hookimpl
def passerelle_entities():
    from plugins.helpline import models

    return [models.Contact, models.Profile, models.Need, models.Referral, models.ServiceGap, models.SourceLine,
            models.NoteTemplate, models.Survey, models.SurveyQuestion, models.SurveyResponse, models.Enrolment]


@hookimpl
def passerelle_permissions():
    return [
        *record_permissions("helpline", _l("helpline contacts")),
        Permission("helpline.force_close", _l("Force the closing of an incomplete contact"), MANAGERS),
        Permission("helpline.reopen", _l("Reopen a closed contact"), MANAGERS),
        Permission("helpline.merge", _l("Merge duplicate caller profiles"), MANAGERS),
        Permission("helpline_setup.view", _l("View the helpline's settings"), EVERYONE),
        Permission("helpline_setup.create", _l("Create source lines, note templates and surveys"), MANAGERS),
        Permission("helpline_setup.edit", _l("Edit source lines, note templates and surveys"), MANAGERS),
        Permission("helpline_setup.delete", _l("Delete source lines, note templates and surveys"), MANAGERS),
        Permission("helpline_setup.checklist", _l("Set the closing checklist"), (ADMINISTRATOR, SUPERVISOR)),
    ]


@hookimpl
def passerelle_blueprints():
    from plugins.helpline.views import blueprint

    return [blueprint]


@hookimpl
def passerelle_menu_items():
    from kernel.menu import MenuItem

    return [
        MenuItem(_l("Start a contact"), "helpline.start", "helpline.create", "phone", "helpline_contact"),
        MenuItem(_l("Closing checklist"), "helpline.checklist_settings", "helpline_setup.checklist", "list-checks",
                 "helpline_contact", settings=True),
    ]


@hookimpl
def passerelle_dashlets():
    from plugins.helpline.dashlets import helpline_dashlets

    return helpline_dashlets()


@hookimpl
def passerelle_template_context():
    from plugins.helpline.referring import refer_target

    return {"helpline_refer_target": refer_target}


@hookimpl
def passerelle_record_saved(entity, record, created, changes, user):
    if created and entity.name == "referral":
        from plugins.helpline.workflow import need_from_referral

        need_from_referral(record, user)


@hookimpl
def passerelle_record_panels(entity, record, user):
    from plugins.helpline.referring import contact_screen_panel

    return contact_screen_panel(entity, record, user)


@hookimpl
def passerelle_demo_data(session, users):
    from plugins.helpline.demo import load_demo

    load_demo(session, users)


@hookimpl
def passerelle_report_columns():
    from plugins.helpline.reports import report_columns

    return report_columns()


@hookimpl
def passerelle_standard_reports():
    from plugins.helpline.reports import standard_reports

    return standard_reports()


@hookimpl
def passerelle_menu_sections():
    return [MenuSection("contact_centre", _l("Contact centre"), 55, "headset")]


@hookimpl
def passerelle_menu_placements():
    daily = {"helpline_contact": "headset", "caller_profile": "id-card", "referral": "send", "service_need": "target",
             "service_gap": "circle-dashed", "survey_response": "clipboard-check", "programme_enrolment": "school"}
    settings = {"source_line": "phone-call", "note_template": "file-pen", "intake_survey": "clipboard-list",
                "survey_question": "circle-help"}
    return [ModulePlacement(module, "contact_centre", icon) for module, icon in daily.items()] + [
        ModulePlacement(module, "contact_centre", icon, settings=True) for module, icon in settings.items()
    ]
