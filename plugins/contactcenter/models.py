"""The contact centre's working records: callers' profiles, contacts (one interaction each), their
service needs, referrals to resources of the directory, service gaps, intake surveys and
programme enrolments; and what the organisation configures (source lines, note templates,
surveys, the closing checklist)."""

from __future__ import annotations

from datetime import date, datetime

from flask import g, has_app_context
from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, String, event, text
from sqlalchemy.orm import Mapped, mapped_column

from kernel.toolkit import (
    Assignable,
    Base,
    ChoiceList,
    Closing,
    DuplicateRule,
    Entity,
    Record,
    bilingual_title,
    end_not_before_start,
    field,
    phone_key,
)
from kernel.toolkit import lazy_gettext as _l

SETUP = "contactcenter_setup"  # permission prefix of what supervisors configure

OPEN, CLOSED, INCOMPLETE = "open", "closed", "incomplete"
CONTACT_STATUSES = ChoiceList("contactcenter_contact_status", [
    (OPEN, _l("Open")), (CLOSED, _l("Closed")), (INCOMPLETE, _l("Closed incomplete")),
])
CHANNELS = ChoiceList("contactcenter_channel", [
    ("phone", _l("Phone")), ("chat", _l("Chat")), ("sms", _l("SMS")), ("email", _l("E-mail")),
    ("walk_in", _l("Walk-in")),
])
REQUESTER_SERVED = ChoiceList("contactcenter_requester_served", [
    ("yes", _l("Served")), ("partly", _l("Partly served")), ("no", _l("Not served")),
])
SERVICE_DELIVERY = ChoiceList("contactcenter_service_delivery", [
    ("information", _l("Information")), ("referral", _l("Referral")), ("advocacy", _l("Advocacy")),
    ("crisis_support", _l("Crisis support")), ("follow_up", _l("Follow-up")),
])
TAGS = ChoiceList("contactcenter_tag", [
    ("follow_up", _l("Follow-up needed")), ("high_priority", _l("High priority")),
    ("no_resource", _l("No resource available")), ("repeat_caller", _l("Repeat caller")),
])
LANGUAGES = ChoiceList("contactcenter_language", [
    ("fr", _l("French")), ("en", _l("English")), ("iu", _l("Inuktitut")), ("other", _l("Other")),
])
QUESTION_KINDS = ChoiceList("contactcenter_question_kind", [
    ("text", _l("Short text")), ("longtext", _l("Long text")), ("integer", _l("Number")),
    ("yes_no", _l("Yes or no")), ("choice", _l("One choice among options")), ("date", _l("Date")),
])


def closing_in_progress() -> bool:
    return bool(g.get("contactcenter_closing")) if has_app_context() else False


def closed_only_through_closing(values: dict) -> dict:
    """A contact is closed by "Close the contact" (its checklist) or a forced closing, never by
    editing its status: the generic form, the API and imports are refused."""
    if closing_in_progress():
        return {}
    errors = {}
    if values.get("status") not in (None, OPEN):
        errors["status"] = _l("A contact is closed with \"Close the contact\", which checks its checklist.")
    if values.get("incomplete_reason") or values.get("approved_by_id"):
        errors["incomplete_reason"] = _l("Only a forced closing records why a contact is incomplete.")
    return errors


def contact_is_closed(contact_id) -> bool:
    from kernel.toolkit import db

    contact = db.session.get(Contact, contact_id) if contact_id else None
    return contact is not None and contact.status != OPEN


def contact_still_open(values: dict) -> dict:
    """Needs, referrals, gaps, surveys and enrolments of a closed contact are read-only with it."""
    if contact_is_closed(values.get("contact_id")):
        return {"contact_id": _l("This contact is closed: it can be consulted but not changed.")}
    return {}


def closed_with_its_contact() -> Closing:
    return Closing(is_closed=lambda record: contact_is_closed(record.contact_id),
                   message=_l("This contact is closed: it can be consulted but not changed."),
                   reopen_permission="contactcenter.reopen", reopen_values={})


def _contact_title(record) -> str:
    return f"#{record.id} {record.caller_number or ''}".strip()


class SourceLine(Record):
    __tablename__ = "contactcenter_lines"
    __entity__ = Entity(
        name="source_line", plural="source-lines", icon="☎", label=_l("Source line"),
        label_plural=_l("Source lines"), create_label=_l("Create a source line"),
        list_label=_l("View source lines"), title=bilingual_title("name_fr", "name"), default_sort="name",
        permission=SETUP,
    )

    name: Mapped[str] = field(label=_l("Name"), required=True, searchable=True, list=True)
    name_fr: Mapped[str | None] = field(label=_l("Name in French"), searchable=True, list=True)
    code: Mapped[str] = field(label=_l("Line identifier"), required=True, identifier=True, list=True,
                              help=_l("The line's identifier in the phone system (IVR), sent with each call."))
    default_channel: Mapped[str | None] = field("choice", label=_l("Channel"), choices=CHANNELS, list=True)
    active: Mapped[bool] = field("boolean", label=_l("Active"), list=True, default=True)


class Profile(Record):
    __tablename__ = "contactcenter_profiles"
    __entity__ = Entity(
        name="caller_profile", plural="caller-profiles", icon="🪪", label=_l("Caller profile"),
        label_plural=_l("Caller profiles"), create_label=_l("Create a profile"),
        list_label=_l("View caller profiles"), title="{name}", default_sort="name", permission="contactcenter",
        relatable=True, sensitive=True, person=True,
        duplicates=DuplicateRule(name_fields=("name",), exact_fields=("email", "phone")),
    )

    name: Mapped[str] = field(label=_l("Name"), required=True, searchable=True, list=True, index=True)
    phone: Mapped[str | None] = field("phone", label=_l("Phone number"), searchable=True, list=True)
    email: Mapped[str | None] = field("email", label=_l("E-mail"), searchable=True, list=True)
    address: Mapped[str | None] = field(label=_l("Address"))
    postal_code: Mapped[str | None] = field(label=_l("Postal code"), list=True, index=True,
                                            help=_l("Used to find resources near the caller."))
    community: Mapped[str | None] = field(label=_l("Community"),
                                          help=_l("Finds resources near the caller when the postal code is unknown "
                                                  "or covers a large area."))
    preferred_language: Mapped[str | None] = field("choice", label=_l("Preferred language"), choices=LANGUAGES,
                                                   list=True)
    # The phone's digits without a leading North-American 1: callers are found by any format.
    phone_digits: Mapped[str | None] = mapped_column(String(50), index=True)


@event.listens_for(Profile, "before_insert")
@event.listens_for(Profile, "before_update")
def _keep_phone_digits(_mapper, _connection, profile):
    profile.phone_digits = phone_key(profile.phone) or None


class Contact(Record, Assignable):
    __tablename__ = "contactcenter_contacts"
    __table_args__ = (
        Index("ix_contactcenter_contacts_profile_started", "profile_id", "started_at"),
        Index("ix_contactcenter_contacts_status_line", "status", "line_id"),
        # "My contacts", newest first: the page and its count read this index alone (only the records
        # not in the trash are in it, so the count does not visit the table for ``deleted_at``)
        Index("ix_contactcenter_contacts_agent_active_started", "assigned_user_id", "started_at", "id",
              sqlite_where=text("deleted_at IS NULL"), postgresql_where=text("deleted_at IS NULL")),
    )
    __entity__ = Entity(
        name="helpline_contact", plural="helpline-contacts", icon="🎧", label=_l("Contact"),
        label_plural=_l("Calls and contacts"), create_label=_l("Record a past contact"),
        list_label=_l("View calls and contacts"), title=_contact_title, default_sort="-started_at", permission="contactcenter",
        sensitive=True,
        validators=(end_not_before_start("started_at", "ended_at"), closed_only_through_closing),
        closing=Closing(
            is_closed=lambda record: record.status in (CLOSED, INCOMPLETE),
            message=_l("This contact is closed: it can be consulted but not changed."),
            reopen_permission="contactcenter.reopen",
            reopen_values={"status": OPEN, "ended_at": None, "incomplete_reason": None, "approved_by_id": None},
        ),
    )

    channel: Mapped[str] = field("choice", label=_l("Channel"), choices=CHANNELS, required=True, list=True,
                                 default="phone", index=True)
    line_id: Mapped[int | None] = field("reference", label=_l("Contact source"), target="contactcenter_lines",
                                        list=True)
    caller_number: Mapped[str | None] = field("phone", label=_l("Caller number"), searchable=True, list=True)
    call_id: Mapped[str | None] = field(label=_l("Call identifier"), index=True)
    profile_id: Mapped[int | None] = field("reference", label=_l("Profile"), target="contactcenter_profiles", list=True)
    started_at: Mapped[datetime] = field("datetime", label=_l("Start"), required=True, list=True, index=True)
    ended_at: Mapped[datetime | None] = field("datetime", label=_l("End"))
    status: Mapped[str] = field("choice", label=_l("Status"), choices=CONTACT_STATUSES, required=True, list=True,
                                default=OPEN)
    requester_served: Mapped[str | None] = field("choice", label=_l("Requester served"), choices=REQUESTER_SERVED)
    service_delivery: Mapped[str | None] = field("choice", label=_l("Service delivery"), choices=SERVICE_DELIVERY)
    tags: Mapped[str | None] = field(label=_l("Tags"), help=_l("Codes of the tags, separated by commas."))
    notes: Mapped[str | None] = field("longtext", label=_l("Notes"))
    incomplete_reason: Mapped[str | None] = field("longtext", label=_l("Reason for closing incomplete"))
    approved_by_id: Mapped[int | None] = field("user", label=_l("Forced closing approved by"))
    # When the agent first opened the contact screen: a contact assigned to an agent and not yet
    # opened takes the agent's browser to it.
    opened_at: Mapped[datetime | None] = mapped_column(DateTime)

    @property
    def tag_list(self) -> list[str]:
        return [tag for tag in (self.tags or "").split(",") if tag]


class Need(Record):
    __tablename__ = "contactcenter_needs"
    __table_args__ = (Index("ix_contactcenter_needs_created", "created_at"),)  # the period of the monthly reports
    __entity__ = Entity(
        name="service_need", plural="service-needs", icon="🎯", label=_l("Service need"),
        label_plural=_l("Service needs"), create_label=_l("Add a service need"), list_label=_l("View service needs"),
        title="#{id}", default_sort="-id", permission="contactcenter",
        validators=(contact_still_open,), closing=closed_with_its_contact(),
    )

    contact_id: Mapped[int] = field("reference", label=_l("Contact"), target="contactcenter_contacts", required=True,
                                    list=True)
    term_id: Mapped[int] = field("reference", label=_l("Service type"), target="directory_taxonomy_terms", required=True,
                                 list=True)
    is_primary: Mapped[bool] = field("boolean", label=_l("Primary need"), list=True)


class Referral(Record):
    __tablename__ = "contactcenter_referrals"
    __table_args__ = (Index("ix_contactcenter_referrals_created", "created_at"),)  # the period of the monthly reports
    __entity__ = Entity(
        name="referral", plural="referrals", icon="📞", label=_l("Referral"), label_plural=_l("Referrals"),
        create_label=_l("Add a referral"), list_label=_l("View referrals"), title="#{id}", default_sort="-id",
        permission="contactcenter",
        validators=(contact_still_open,), closing=closed_with_its_contact(),
    )

    contact_id: Mapped[int] = field("reference", label=_l("Contact"), target="contactcenter_contacts", required=True,
                                    list=True)
    resource_id: Mapped[int] = field("reference", label=_l("Resource"), target="directory_services", required=True,
                                     list=True)
    profile_id: Mapped[int | None] = field("reference", label=_l("Profile"), target="contactcenter_profiles", list=True)
    email_message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id", ondelete="SET NULL"))
    sms_message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id", ondelete="SET NULL"))
    link_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    link_expires_at: Mapped[datetime | None] = mapped_column(DateTime)


class ServiceGap(Record):
    __tablename__ = "contactcenter_service_gaps"
    __entity__ = Entity(
        name="service_gap", plural="service-gaps", icon="🕳", label=_l("Service gap"),
        label_plural=_l("Service gaps"), create_label=_l("Record a service gap"), list_label=_l("View service gaps"),
        title="#{id}", default_sort="-id", permission="contactcenter",
        validators=(contact_still_open,), closing=closed_with_its_contact(),
    )

    contact_id: Mapped[int] = field("reference", label=_l("Contact"), target="contactcenter_contacts", required=True,
                                    list=True)
    term_id: Mapped[int] = field("reference", label=_l("Service type"), target="directory_taxonomy_terms", required=True,
                                 list=True)
    postal_code: Mapped[str | None] = field(label=_l("Area (postal code)"), list=True, index=True)
    note: Mapped[str | None] = field("longtext", label=_l("What was needed"))


class NoteTemplate(Record):
    __tablename__ = "contactcenter_note_templates"
    __entity__ = Entity(
        name="note_template", plural="note-templates", icon="📝", label=_l("Note template"),
        label_plural=_l("Note templates"), create_label=_l("Create a note template"),
        list_label=_l("View note templates"), title="{name}", default_sort="name", permission=SETUP,
    )

    name: Mapped[str] = field(label=_l("Name"), required=True, searchable=True, list=True)
    body: Mapped[str] = field("longtext", label=_l("Text"), required=True)


class Survey(Record):
    __tablename__ = "contactcenter_surveys"
    __entity__ = Entity(
        name="intake_survey", plural="intake-surveys", icon="📋", label=_l("Intake survey"),
        label_plural=_l("Intake surveys"), create_label=_l("Create an intake survey"),
        list_label=_l("View intake surveys"), title=bilingual_title("name_fr", "name"), default_sort="name",
        permission=SETUP,
    )

    name: Mapped[str] = field(label=_l("Name"), required=True, searchable=True, list=True)
    name_fr: Mapped[str | None] = field(label=_l("Name in French"), searchable=True, list=True)
    required_to_close: Mapped[bool] = field("boolean", label=_l("Required to close a contact"), list=True)
    active: Mapped[bool] = field("boolean", label=_l("Active"), list=True, default=True)


class SurveyQuestion(Record):
    __tablename__ = "contactcenter_survey_questions"
    __entity__ = Entity(
        name="survey_question", plural="survey-questions", icon="❓", label=_l("Survey question"),
        label_plural=_l("Survey questions"), create_label=_l("Add a question"), list_label=_l("View questions"),
        title=bilingual_title("label_fr", "label"), default_sort="position", permission=SETUP,
    )

    survey_id: Mapped[int] = field("reference", label=_l("Intake survey"), target="contactcenter_surveys",
                                   required=True, list=True)
    label: Mapped[str] = field(label=_l("Question"), required=True, list=True)
    label_fr: Mapped[str | None] = field(label=_l("Question in French"), list=True)
    kind: Mapped[str] = field("choice", label=_l("Kind of answer"), choices=QUESTION_KINDS, required=True,
                              list=True, default="text")
    options: Mapped[str | None] = field(label=_l("Options"), help=_l("For a choice: the options, separated by commas."))
    required: Mapped[bool] = field("boolean", label=_l("Answer required"), list=True)
    position: Mapped[int | None] = field("integer", label=_l("Position"), list=True)

    @property
    def option_list(self) -> list[str]:
        return [option.strip() for option in (self.options or "").split(",") if option.strip()]


class SurveyResponse(Record):
    __tablename__ = "contactcenter_survey_responses"
    __table_args__ = (Index("ix_contactcenter_survey_responses_contact_survey", "contact_id", "survey_id"),)
    __entity__ = Entity(
        name="survey_response", plural="survey-responses", icon="🗒", label=_l("Survey response"),
        label_plural=_l("Survey responses"), create_label=_l("Add a survey response"),
        list_label=_l("View survey responses"), title="#{id}", default_sort="-id", permission="contactcenter",
        validators=(contact_still_open,), closing=closed_with_its_contact(),
    )

    contact_id: Mapped[int] = field("reference", label=_l("Contact"), target="contactcenter_contacts", required=True,
                                    list=True)
    survey_id: Mapped[int] = field("reference", label=_l("Intake survey"), target="contactcenter_surveys",
                                   required=True, list=True)
    complete: Mapped[bool] = field("boolean", label=_l("Complete"), list=True)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)


class Enrolment(Record):
    __tablename__ = "contactcenter_enrolments"
    __entity__ = Entity(
        name="programme_enrolment", plural="programme-enrolments", icon="🏢", label=_l("Programme enrolment"),
        label_plural=_l("Programme enrolments"), create_label=_l("Enrol in a programme"),
        list_label=_l("View programme enrolments"), title="#{id}", default_sort="-id", permission="contactcenter",
        validators=(contact_still_open,), closing=closed_with_its_contact(),
    )

    contact_id: Mapped[int] = field("reference", label=_l("Contact"), target="contactcenter_contacts", required=True,
                                    list=True)
    profile_id: Mapped[int | None] = field("reference", label=_l("Profile"), target="contactcenter_profiles", list=True)
    # The programmes plugin is optional: its id without a foreign key, checked when enrolling.
    programme_id: Mapped[int] = field("integer", label=_l("Programme number"), required=True, list=True,
                                      index=True)
    enrolled_on: Mapped[date] = field("date", label=_l("Enrolment date"), required=True, list=True)
    note: Mapped[str | None] = field("longtext", label=_l("Note"))


class ChecklistSettings(Base):
    """The organisation's closing checklist (one row)."""

    __tablename__ = "contactcenter_checklist"

    id: Mapped[int] = mapped_column(primary_key=True)
    require_tags: Mapped[bool] = mapped_column(Boolean, default=False)
    required_demographics: Mapped[list] = mapped_column(JSON, default=list)


class AgentLine(Base):
    """The source lines an agent answers ("contacts waiting on my line")."""

    __tablename__ = "contactcenter_agent_lines"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("contactcenter_lines.id", ondelete="CASCADE"), primary_key=True,
                                         index=True)


from plugins.contactcenter.followups.models import FollowUp, FollowUpOutcome  # noqa: E402, F401  follow-ups of contacts
from plugins.contactcenter.texting.models import TextMessage  # noqa: E402, F401  the conversations of text contacts
from plugins.contactcenter.warm_referrals.models import WarmReferral, WarmReferralEvent  # noqa: E402, F401  warm referrals
