"""Contact centre: the contact centre's working screen, from the moment a call arrives until the contact
is closed — caller profiles, service needs, referrals to the resource directory sent by e-mail or
SMS, service gaps, intake surveys, programme enrolments and the closing checklist."""

from kernel.toolkit import (
    ADMINISTRATOR,
    EVERYONE,
    MANAGERS,
    SUPERVISOR,
    MenuSection,
    ModulePlacement,
    Permission,
    hookimpl,
    record_permissions,
)
from kernel.toolkit import lazy_gettext as _l

LABEL = _l("Contact centre")
ORDER = 55
REQUIRES = ("directory",)
FORMERLY = ("helpline",)  # its name until issue 17


@hookimpl
def passerelle_entities():
    from plugins.contactcenter import models

    return [models.Contact, models.Profile, models.Need, models.Referral, models.ServiceGap, models.SourceLine,
            models.NoteTemplate, models.Survey, models.SurveyQuestion, models.SurveyResponse, models.Enrolment]


@hookimpl
def passerelle_permissions():
    return [
        *record_permissions("contactcenter", _l("contact-centre contacts")),
        Permission("contactcenter.force_close", _l("Force the closing of an incomplete contact"), MANAGERS),
        Permission("contactcenter.reopen", _l("Reopen a closed contact"), MANAGERS),
        Permission("contactcenter.merge", _l("Merge duplicate caller profiles"), MANAGERS),
        Permission("contactcenter_setup.view", _l("View the contact centre's settings"), EVERYONE),
        Permission("contactcenter_setup.create", _l("Create source lines, note templates and surveys"), MANAGERS),
        Permission("contactcenter_setup.edit", _l("Edit source lines, note templates and surveys"), MANAGERS),
        Permission("contactcenter_setup.delete", _l("Delete source lines, note templates and surveys"), MANAGERS),
        Permission("contactcenter_setup.checklist", _l("Set the closing checklist"), (ADMINISTRATOR, SUPERVISOR)),
        # granted only to a partner organisation's account linked to its agency (passerelle_user_permissions)
        Permission("contactcenter.partner_queue", _l("Answer the referrals sent to one's organisation"),
                   (ADMINISTRATOR,)),
    ]


@hookimpl
def passerelle_user_permissions(user):
    from plugins.contactcenter.warm_referrals.partner import granted

    return granted(user)


@hookimpl
def passerelle_blueprints():
    from plugins.contactcenter.views import blueprint

    return [blueprint]


@hookimpl
def passerelle_menu_items():
    from kernel.toolkit import MenuItem

    return [
        MenuItem(_l("Start a contact"), "contactcenter.start", "contactcenter.create", "phone", "helpline_contact"),
        MenuItem(_l("Follow-ups"), "contactcenter.followup_queue", "contactcenter.view", "calendar-check",
                 "helpline_contact"),
        MenuItem(_l("Warm referrals"), "contactcenter.warm_referral_queue", "contactcenter.view", "handshake",
                 "helpline_contact"),
        MenuItem(_l("Referrals to my organisation"), "contactcenter.partner_queue", "contactcenter.partner_queue",
                 "handshake", "helpline_contact"),
        MenuItem(_l("Closing checklist"), "contactcenter.checklist_settings", "contactcenter_setup.checklist", "list-checks",
                 "helpline_contact", settings=True),
    ]


@hookimpl
def passerelle_dashlets():
    from plugins.contactcenter.dashlets import contactcenter_dashlets
    from plugins.contactcenter.followups.dashlet import followup_dashlets

    return contactcenter_dashlets() + followup_dashlets()


@hookimpl
def passerelle_template_context():
    from plugins.contactcenter.referring import refer_target
    from plugins.contactcenter.texting.conversation import thread
    from plugins.contactcenter.warm_referrals.context import warm_referral_context

    return {"contactcenter_refer_target": refer_target, "contactcenter_text_thread": thread,
            **warm_referral_context()}


@hookimpl
def passerelle_inbound_sms(message):
    from plugins.contactcenter.texting.conversation import take_inbound

    return take_inbound(message)


@hookimpl
def passerelle_calendar_items(owner_ids, start, end):
    from plugins.contactcenter.followups.service import calendar_items

    return calendar_items(owner_ids, start, end)


@hookimpl
def passerelle_template_slots():
    from kernel.toolkit import Slot
    from plugins.contactcenter.referring import refer_target

    # "Refer" on the resource directory's result cards and resource page, and the global search's
    # resources, while the agent has a contact open (asked once a request, not rendered per card)
    return [Slot("result_card_actions", "contactcenter/_refer_button.html", permission="contactcenter.edit",
                 entities=("resource",), when=refer_target),
            # the agency's page: its partner accounts (administrators)
            Slot("record_header_buttons", "contactcenter/warm_referrals/_partner_accounts_link.html",
                 permission="kernel.manage_users", entities=("agency",))]


@hookimpl
def passerelle_record_saved(entity, record, created, changes, user):
    if created and entity.name == "referral":
        from plugins.contactcenter.workflow import need_from_referral

        need_from_referral(record, user)


@hookimpl
def passerelle_record_panels(entity, record, user):
    from plugins.contactcenter.referring import contact_screen_panel

    return contact_screen_panel(entity, record, user)


@hookimpl
def passerelle_demo_data(session, users):
    from plugins.contactcenter.demo import load_demo

    load_demo(session, users)


@hookimpl
def passerelle_report_columns():
    from plugins.contactcenter.reports import report_columns

    return report_columns()


@hookimpl
def passerelle_standard_reports():
    from plugins.contactcenter.reports import standard_reports

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
from plugins.contactcenter.personal_data import passerelle_identifying_data, passerelle_person_data  # noqa: E402, F401  what identifies a person (docs/privacy.md)
