"""Employment-assistance (SAE) case files and what hangs on them: barriers, action-plan steps,
placements; office visits recorded by the front-desk registration form; the plugin's settings."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import format_datetime
from sqlalchemy import Boolean, ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column

from kernel.toolkit import Base, ChoiceList, Closing, Entity, Record, db, end_not_before_start, field
from kernel.toolkit import gettext as _
from kernel.toolkit import lazy_gettext as _l

CASE_STATUSES = ChoiceList("sae_case_status", [
    ("open", _l("Open")), ("active", _l("Active")), ("on_hold", _l("On hold")), ("closed", _l("Closed")),
])
OPEN_STATUSES = ("open", "active", "on_hold")
REFERRAL_SOURCES = ChoiceList("sae_referral_source", [
    ("self", _l("Self-referred")), ("partner", _l("Partner organisation")),
    ("government", _l("Government employment office")), ("word_of_mouth", _l("Word of mouth")),
    ("internal", _l("Another programme of ours")), ("other", _l("Other")),
])
BARRIERS = ChoiceList("sae_barrier", [
    ("language", _l("Language")), ("credentials", _l("Recognition of credentials")),
    ("experience", _l("No Canadian work experience")), ("transport", _l("Transportation")),
    ("childcare", _l("Childcare")), ("health", _l("Health")), ("housing", _l("Housing")),
    ("digital", _l("Digital skills")), ("other", _l("Other")),
])
CLOSING_OUTCOMES = ChoiceList("sae_outcome", [
    ("employed", _l("Employed")), ("in_training", _l("In training")), ("moved", _l("Moved")),
    ("lost_contact", _l("Lost contact")), ("other", _l("Other")),
])
STEP_STATUSES = ChoiceList("sae_step_status", [
    ("planned", _l("Planned")), ("in_progress", _l("In progress")), ("done", _l("Done")),
    ("cancelled", _l("Cancelled")),
])
OPEN_STEP_STATUSES = ("planned", "in_progress")
PLACEMENT_OUTCOMES = ChoiceList("sae_placement_outcome", [
    ("ongoing", _l("Ongoing")), ("hired", _l("Hired permanently")), ("completed", _l("Completed")),
    ("ended_early", _l("Ended early")),
])
VISIT_REASONS = ChoiceList("sae_visit_reason", [
    ("job_search", _l("Help looking for a job")), ("cv", _l("Help with a CV")),
    ("appointment", _l("I have an appointment")), ("information", _l("Information")),
    ("workshop", _l("A workshop")), ("other", _l("Something else")),
])

CLOSED_MESSAGE = _l("This case file is closed. A supervisor can reopen it.")
CLOSED_PARENT_MESSAGE = _l("The case file of this record is closed. A supervisor can reopen the case file.")


def closing_needs_date_and_outcome(values: dict) -> dict:
    """A closed file says when it was closed and how it ended."""
    if values.get("status") != "closed":
        return {}
    errors = {}
    if values.get("closure_date") is None:
        errors["closure_date"] = _("Enter the closure date to close the file.")
    if not values.get("outcome"):
        errors["outcome"] = _("Choose the outcome to close the file.")
    return errors


def next_file_number(entity, name: str) -> str:
    from plugins.sae.numbering import next_file_number as next_number

    return next_number(entity, name)


class CaseFile(Record):
    __tablename__ = "sae_case_files"
    # "My caseload" counts a counsellor's files by status from this index alone.
    __table_args__ = (Index("ix_sae_case_files_caseload", "assigned_user_id", "status", "deleted_at"),)
    __entity__ = Entity(
        name="case_file", plural="case-files", icon="💼", label=_l("Case file"), label_plural=_l("Case files"),
        create_label=_l("Open a case file"), list_label=_l("View case files"), title="{file_number}",
        default_sort="-intake_date", permission="sae", sensitive=True,
        validators=(closing_needs_date_and_outcome, end_not_before_start("intake_date", "closure_date")),
        closing=Closing(is_closed=lambda record: record.status == "closed", message=CLOSED_MESSAGE,
                        reopen_permission="sae.reopen",
                        reopen_values={"status": "active", "closure_date": None, "outcome": None}),
    )

    file_number: Mapped[str] = field(
        label=_l("File identification number"), required=True, identifier=True, suggest_next=next_file_number,
        searchable=True, list=True, help=_l("Each case file has its own number."))
    client_id: Mapped[int] = field("reference", label=_l("Client"), target="clients", required=True, list=True)
    assigned_user_id: Mapped[int | None] = field("user", label=_l("Counsellor"), list=True)
    status: Mapped[str] = field("choice", label=_l("Status"), choices=CASE_STATUSES, required=True, list=True,
                                index=True, default="open")
    intake_date: Mapped[date] = field("date", label=_l("Intake date"), required=True, list=True, index=True)
    referral_source: Mapped[str | None] = field("choice", label=_l("Referral source"), choices=REFERRAL_SOURCES,
                                                index=True)
    employment_goal: Mapped[str | None] = field(label=_l("Employment goal"), searchable=True)
    closure_date: Mapped[date | None] = field("date", label=_l("Closure date"), index=True)
    outcome: Mapped[str | None] = field("choice", label=_l("Outcome"), choices=CLOSING_OUTCOMES, index=True)
    notes: Mapped[str | None] = field("longtext", label=_l("Notes"))


def case_file_is_closed(case_file_id) -> bool:
    case_file = db.session.get(CaseFile, case_file_id) if case_file_id else None
    return case_file is not None and case_file.status == "closed"


def parent_is_open(values: dict) -> dict:
    """Nothing is added to a closed case file."""
    if case_file_is_closed(values.get("case_file_id")):
        return {"case_file_id": str(CLOSED_MESSAGE)}
    return {}


# Steps, barriers and placements are read-only while their case file is closed. They are
# reopened with it: their own closing names a permission nobody holds, so no "Reopen" button
# shows on them.
PARENT_CLOSING = Closing(is_closed=lambda record: case_file_is_closed(record.case_file_id),
                         message=CLOSED_PARENT_MESSAGE, reopen_permission="sae.reopen_through_case_file",
                         reopen_values={})


def step_done_has_a_date(values: dict) -> dict:
    if values.get("status") == "done" and values.get("completed_on") is None:
        return {"completed_on": _("Enter the date the step was completed.")}
    return {}


class Barrier(Record):
    __tablename__ = "sae_barriers"
    __entity__ = Entity(
        name="barrier", plural="barriers", icon="🚧", label=_l("Barrier to employment"),
        label_plural=_l("Barriers to employment"), create_label=_l("Add a barrier"),
        list_label=_l("View barriers"), title=lambda record: BARRIERS.label(record.barrier), permission="sae",
        validators=(parent_is_open,), closing=PARENT_CLOSING,
    )

    barrier: Mapped[str] = field("choice", label=_l("Barrier"), choices=BARRIERS, required=True, list=True,
                                 index=True)
    details: Mapped[str | None] = field(label=_l("Details"), list=True)
    case_file_id: Mapped[int] = field("reference", label=_l("Case file"), target="sae_case_files", required=True,
                                      list=True)


class ActionStep(Record):
    __tablename__ = "sae_action_steps"
    __entity__ = Entity(
        name="action_step", plural="action-steps", icon="🪜", label=_l("Action-plan step"),
        label_plural=_l("Action plan"), create_label=_l("Add a step"), list_label=_l("View action-plan steps"),
        title="{description}", default_sort="target_date", permission="sae",
        validators=(parent_is_open, step_done_has_a_date), closing=PARENT_CLOSING,
    )

    description: Mapped[str] = field(label=_l("Description"), required=True, searchable=True, list=True)
    case_file_id: Mapped[int] = field("reference", label=_l("Case file"), target="sae_case_files", required=True,
                                      list=True)
    target_date: Mapped[date | None] = field("date", label=_l("Target date"), list=True, index=True)
    status: Mapped[str] = field("choice", label=_l("Status"), choices=STEP_STATUSES, required=True, list=True,
                                index=True, default="planned")
    completed_on: Mapped[date | None] = field("date", label=_l("Completion date"), list=True)


def hours_and_wage_are_sensible(values: dict) -> dict:
    errors = {}
    hours, wage = values.get("hours_per_week"), values.get("hourly_wage")
    if hours is not None and not 0 < hours <= 168:
        errors["hours_per_week"] = _("Enter a number of hours between 0 and 168.")
    if wage is not None and wage < 0:
        errors["hourly_wage"] = _("Enter a wage of zero or more.")
    return errors


class Placement(Record):
    __tablename__ = "sae_placements"
    __entity__ = Entity(
        name="placement", plural="placements", icon="🤝", label=_l("Placement"), label_plural=_l("Placements"),
        create_label=_l("Record a placement"), list_label=_l("View placements"), title="{position}",
        default_sort="-start_date", permission="sae",
        validators=(parent_is_open, hours_and_wage_are_sensible), closing=PARENT_CLOSING,
    )

    position: Mapped[str] = field(label=_l("Job"), required=True, searchable=True, list=True)
    case_file_id: Mapped[int] = field("reference", label=_l("Case file"), target="sae_case_files", required=True,
                                      list=True)
    employer_id: Mapped[int] = field("reference", label=_l("Employer"), target="partners", required=True, list=True)
    start_date: Mapped[date] = field("date", label=_l("Start date"), required=True, list=True, index=True)
    hours_per_week: Mapped[float | None] = field("decimal", label=_l("Hours a week"), list=True)
    hourly_wage: Mapped[float | None] = field("decimal", label=_l("Hourly wage"), list=True)
    outcome: Mapped[str | None] = field("choice", label=_l("Outcome"), choices=PLACEMENT_OUTCOMES, list=True,
                                        index=True, default="ongoing")


class Visit(Record):
    """A walk-in visit registered at the front desk (or typed by staff)."""

    __tablename__ = "sae_visits"
    __entity__ = Entity(
        name="visit", plural="visits", icon="🚪", label=_l("Office visit"), label_plural=_l("Office visits"),
        create_label=_l("Record a visit"), list_label=_l("View office visits"),
        title=lambda record: _("Visit of %(date)s", date=format_datetime(record.visited_at, "short"))
        if record.visited_at else "", default_sort="-visited_at", permission="visits",
    )

    client_id: Mapped[int] = field("reference", label=_l("Client"), target="clients", required=True, list=True)
    visited_at: Mapped[datetime] = field("datetime", label=_l("Date and time"), required=True, list=True, index=True)
    reason: Mapped[str] = field("choice", label=_l("Reason for the visit"), choices=VISIT_REASONS, required=True,
                                list=True, index=True)
    details: Mapped[str | None] = field("longtext", label=_l("Details"))
    # What the visitor gave at the front desk: an existing client's record is not changed by it.
    phone: Mapped[str | None] = field("phone", label=_l("Phone given"))
    email: Mapped[str | None] = field("email", label=_l("E-mail given"))
    postal_code: Mapped[str | None] = field(label=_l("Postal code given"))


class SaeSettings(Base):
    """The administrator's settings of the plugin (one row)."""

    __tablename__ = "sae_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_number_format: Mapped[str] = mapped_column(String(255))


class SaeMember(Base):
    """A user the administrator put on the SAE team (case files) or on duty at the front desk."""

    __tablename__ = "sae_members"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    on_team: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    on_duty: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class FollowUp(Base):
    """A follow-up task (activities plugin) created for a placement, 30, 60 or 90 days after its
    start. ``task_id`` has no foreign key: the activities plugin, hence its table, is optional."""

    __tablename__ = "sae_follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("sae_placements.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[int] = mapped_column(index=True)
    days: Mapped[int]
