"""A follow-up of a contact and the outcome of each of its referrals."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel.toolkit import Base, ChoiceList
from kernel.toolkit import lazy_gettext as _l

DUE, DONE, UNREACHABLE, CANCELLED = "due", "done", "unreachable", "cancelled"
STATUSES = ChoiceList("contactcenter_followup_status", [
    (DUE, _l("To do")), (DONE, _l("Done")), (UNREACHABLE, _l("Unreachable")), (CANCELLED, _l("Follow-up cancelled")),
])
WHY_NOT = ChoiceList("contactcenter_followup_why_not", [
    ("no_answer", _l("No answer")), ("not_eligible", _l("Not eligible")), ("waiting_list", _l("Waiting list")),
    ("closed", _l("Service closed")), ("other", _l("Other")),
])
YES_NO = ChoiceList("contactcenter_followup_yes_no", [("yes", _l("Yes")), ("no", _l("No"))])


class FollowUp(Base):
    __tablename__ = "contactcenter_followups"
    __table_args__ = (
        Index("ix_contactcenter_followups_status_due", "status", "due_at"),
        Index("ix_contactcenter_followups_assignee_status_due", "assignee_id", "status", "due_at"),
        Index("ix_contactcenter_followups_contact", "contact_id"),
        Index("ix_contactcenter_followups_due", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contactcenter_contacts.id", ondelete="CASCADE"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    due_at: Mapped[datetime] = mapped_column(DateTime)
    channel: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    consent_to_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default=DUE)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    cancel_reason: Mapped[str | None] = mapped_column(Text)


class FollowUpOutcome(Base):
    """What one attempt learnt about one referral (reached=False: the attempt failed)."""

    __tablename__ = "contactcenter_followup_outcomes"
    __table_args__ = (
        Index("ix_contactcenter_followup_outcomes_followup", "followup_id"),
        Index("ix_contactcenter_followup_outcomes_referral", "referral_id"),
        Index("ix_contactcenter_followup_outcomes_recorded", "recorded_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    followup_id: Mapped[int] = mapped_column(ForeignKey("contactcenter_followups.id", ondelete="CASCADE"))
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("contactcenter_referrals.id", ondelete="CASCADE"))
    reached: Mapped[bool] = mapped_column(Boolean, default=False)
    contacted_service: Mapped[bool | None] = mapped_column(Boolean)
    got_help: Mapped[bool | None] = mapped_column(Boolean)
    why_not: Mapped[str | None] = mapped_column(String(20))
    new_need_term_id: Mapped[int | None] = mapped_column(ForeignKey("directory_taxonomy_terms.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


SCHEDULED, EDITED, CANCELLED_EVENT, ATTEMPTED = "scheduled", "edited", "cancelled", "attempted"


class FollowUpChange(Base):
    """The follow-up's history: scheduled, each field edited (from what to what), cancelled (why),
    each attempt."""

    __tablename__ = "contactcenter_followup_changes"
    __table_args__ = (Index("ix_contactcenter_followup_changes_followup", "followup_id", "changed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    followup_id: Mapped[int] = mapped_column(ForeignKey("contactcenter_followups.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(20))
    field: Mapped[str | None] = mapped_column(String(20))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(DateTime)
