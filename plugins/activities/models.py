"""Calls, meetings, tasks, notes and documents, and the tables around them (meeting invitees,
document links and revisions, calendar sharing)."""

from datetime import date, datetime, timedelta

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kernel.toolkit import Assignable, Base, ChoiceList, Entity, Record, end_not_before_start, field, utcnow
from kernel.toolkit import gettext as _
from kernel.toolkit import lazy_gettext as _l

RELATED_TO = ("client", "contact", "partner")

CALL_DIRECTIONS = ChoiceList("call_direction", [("inbound", _l("Inbound")), ("outbound", _l("Outbound"))])
CALL_STATUSES = ChoiceList("call_status", [
    ("planned", _l("Planned")), ("held", _l("Held")), ("not_held", _l("Not held - postponed")),
])
MEETING_STATUSES = ChoiceList("meeting_status", [
    ("planned", _l("Planned")), ("held", _l("Held")), ("not_held", _l("Not held - postponed")),
])
TASK_STATUSES = ChoiceList("task_status", [
    ("not_started", _l("Not started")), ("in_progress", _l("In progress")), ("pending", _l("Pending")),
    ("completed", _l("Completed")),
])
OPEN_TASK_STATUSES = ("not_started", "in_progress", "pending")
TASK_PRIORITIES = ChoiceList("task_priority", [("high", _l("High")), ("medium", _l("Medium")), ("low", _l("Low"))])
DOCUMENT_CATEGORIES = ChoiceList("document_category", [
    ("cv", _l("CV")), ("contract", _l("Contract")), ("identity", _l("Identity document")), ("other", _l("Other")),
])


def duration_is_valid(values: dict) -> dict:
    """Hours and minutes of a call: minutes between 0 and 59, hours not negative, not both zero."""
    hours, minutes = values.get("duration_hours"), values.get("duration_minutes")
    if hours is not None and hours < 0:
        return {"duration_hours": _("Enter a number of hours of zero or more.")}
    if minutes is not None and not 0 <= minutes <= 59:
        return {"duration_minutes": _("Enter a number of minutes between 0 and 59.")}
    if hours == 0 and minutes == 0:
        return {"duration_minutes": _("The duration cannot be zero.")}
    return {}


def reminder_is_valid(values: dict) -> dict:
    minutes = values.get("reminder_minutes")
    if minutes is not None and minutes < 0:
        return {"reminder_minutes": _("Enter a number of minutes of zero or more.")}
    return {}


LONGEST_MEETING = timedelta(days=31)  # lets the calendar find a period's meetings by their start


def meeting_ends_after_start(values: dict) -> dict:
    """A meeting ends strictly after it starts, and within a month."""
    begins, ends = values.get("start"), values.get("end")
    if begins is not None and ends is not None and ends <= begins:
        return {"end": _("The end must be after the start.")}
    if begins is not None and ends is not None and ends - begins > LONGEST_MEETING:
        return {"end": _("A meeting cannot last more than %(days)d days.", days=LONGEST_MEETING.days)}
    return {}


class Call(Record, Assignable):
    __tablename__ = "calls"
    __table_args__ = (Index("ix_calls_assigned_start", "assigned_user_id", "start"),)
    __entity__ = Entity(
        name="call", plural="calls", icon="📞", label=_l("Call"), label_plural=_l("Calls"),
        create_label=_l("Schedule a call"), list_label=_l("View calls"), title="{subject}",
        default_sort="-start", permission="activities", validators=(duration_is_valid, reminder_is_valid),
    )

    subject: Mapped[str] = field(label=_l("Subject"), required=True, searchable=True, list=True)
    direction: Mapped[str | None] = field("choice", label=_l("Direction"), choices=CALL_DIRECTIONS, list=True)
    status: Mapped[str | None] = field("choice", label=_l("Status"), choices=CALL_STATUSES, list=True, index=True)
    start: Mapped[datetime] = field("datetime", label=_l("Start"), required=True, list=True, index=True)
    duration_hours: Mapped[int] = field("integer", label=_l("Duration (hours)"), required=True)
    duration_minutes: Mapped[int] = field("integer", label=_l("Duration (minutes)"), required=True)
    related_to: Mapped[str | None] = field("related", label=_l("Related to"), targets=RELATED_TO, list=True)
    reminder_minutes: Mapped[int | None] = field(
        "integer", label=_l("Reminder (minutes before)"), help=_l("Leave empty for the default reminder."))
    description: Mapped[str | None] = field("longtext", label=_l("Description"))
    reminded_at: Mapped[datetime | None] = mapped_column()

    @property
    def total_minutes(self) -> int:
        return (self.duration_hours or 0) * 60 + (self.duration_minutes or 0)


class Meeting(Record, Assignable):
    __tablename__ = "meetings"
    __table_args__ = (Index("ix_meetings_assigned_start", "assigned_user_id", "start"),)
    __entity__ = Entity(
        name="meeting", plural="meetings", icon="👥", label=_l("Meeting"), label_plural=_l("Meetings"),
        create_label=_l("Schedule a meeting"), list_label=_l("View meetings"), title="{subject}",
        default_sort="-start", permission="activities",
        validators=(end_not_before_start("start", "end"), meeting_ends_after_start, reminder_is_valid),
    )

    subject: Mapped[str] = field(label=_l("Subject"), required=True, searchable=True, list=True)
    status: Mapped[str | None] = field("choice", label=_l("Status"), choices=MEETING_STATUSES, list=True,
                                       index=True)
    start: Mapped[datetime] = field("datetime", label=_l("Start"), required=True, list=True, index=True)
    end: Mapped[datetime] = field("datetime", label=_l("End"), required=True, list=True)
    location: Mapped[str | None] = field(label=_l("Location"), searchable=True)
    related_to: Mapped[str | None] = field("related", label=_l("Related to"), targets=RELATED_TO, list=True)
    reminder_minutes: Mapped[int | None] = field(
        "integer", label=_l("Reminder (minutes before)"), help=_l("Leave empty for the default reminder."))
    description: Mapped[str | None] = field("longtext", label=_l("Description"))
    reminded_at: Mapped[datetime | None] = mapped_column()


class MeetingInvitee(Base):
    """A colleague invited to a meeting."""

    __tablename__ = "meeting_invitees"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)


class Task(Record, Assignable):
    __tablename__ = "tasks"
    __table_args__ = (Index("ix_tasks_assigned_due", "assigned_user_id", "due_date"),)
    __entity__ = Entity(
        name="task", plural="tasks", icon="✅", label=_l("Task"), label_plural=_l("Tasks"),
        create_label=_l("Create a task"), list_label=_l("View tasks"), title="{subject}",
        default_sort="due_date", permission="activities",
        validators=(end_not_before_start("start_date", "due_date"),),
    )

    subject: Mapped[str] = field(label=_l("Subject"), required=True, searchable=True, list=True)
    status: Mapped[str] = field("choice", label=_l("Status"), choices=TASK_STATUSES, required=True, list=True,
                                index=True, default="not_started")
    start_date: Mapped[date | None] = field("date", label=_l("Start date"), list=True, index=True)
    due_date: Mapped[date | None] = field("date", label=_l("Due date"), list=True, index=True)
    priority: Mapped[str | None] = field("choice", label=_l("Priority"), choices=TASK_PRIORITIES, list=True)
    related_to: Mapped[str | None] = field("related", label=_l("Related to"), targets=RELATED_TO, list=True)
    description: Mapped[str | None] = field("longtext", label=_l("Description"))


class Document(Record):
    __tablename__ = "documents"
    __entity__ = Entity(
        name="document", plural="documents", icon="📄", label=_l("Document"), label_plural=_l("Documents"),
        create_label=_l("Add a document"), list_label=_l("View documents"), title="{name}",
        permission="documents", sensitive=True,
    )

    name: Mapped[str] = field(label=_l("Name"), required=True, searchable=True, list=True)
    category: Mapped[str | None] = field("choice", label=_l("Category"), choices=DOCUMENT_CATEGORIES, list=True,
                                         index=True)
    cv_date: Mapped[date | None] = field("date", label=_l("CV received on"), list=True, editable=False)
    description: Mapped[str | None] = field("longtext", label=_l("Description"))


class Note(Record):
    __tablename__ = "notes"
    __entity__ = Entity(
        name="note", plural="notes", icon="🗒", label=_l("Note"), label_plural=_l("Notes"),
        create_label=_l("Add a note"), list_label=_l("View notes"), title="{subject}", permission="activities",
    )

    subject: Mapped[str] = field(label=_l("Subject"), required=True, searchable=True, list=True)
    text: Mapped[str | None] = field("longtext", label=_l("Text"), searchable=True)
    related_to: Mapped[str | None] = field("related", label=_l("Related to"), targets=RELATED_TO, list=True)
    document_id: Mapped[int | None] = field("reference", label=_l("Attachment"), target="documents", list=True)


class DocumentLink(Base):
    """A document linked to a client, contact or partner (``"client:42"``)."""

    __tablename__ = "document_links"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    related: Mapped[str] = mapped_column(String(80), primary_key=True, index=True)


class DocumentRevision(Base):
    """One uploaded version of a document; the latest is the current one."""

    __tablename__ = "document_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


SHARING_CHOICES = (("nobody", _l("Nobody")), ("chosen", _l("Chosen colleagues")), ("everyone", _l("Everyone")))


class CalendarSettings(Base):
    """Who may see a user's calendar, and the secret token of their iCal feed."""

    __tablename__ = "calendar_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    sharing: Mapped[str] = mapped_column(String(20), default="nobody")
    ical_token: Mapped[str | None] = mapped_column(String(64), unique=True)


class CalendarShare(Base):
    """A colleague chosen to see a user's calendar."""

    __tablename__ = "calendar_shares"
    __table_args__ = (UniqueConstraint("owner_id", "viewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    viewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
