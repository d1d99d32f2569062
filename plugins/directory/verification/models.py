"""The verification cycle's own rows: the requests e-mailed to agencies, the changes they propose,
and the agents' "flagged as wrong" reports."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel.toolkit import Base, utcnow

PURPOSE = "directory_verification"
CONFIRMED, CHANGES = "confirmed", "changes"
PENDING, REVIEWED = "pending", "reviewed"
OPEN, RESOLVED = "open", "resolved"


class VerificationRequest(Base):
    """One e-mail asking an agency to check its records, and what became of it."""

    __tablename__ = "directory_verification_requests"
    # The reminders pass reads the unanswered requests by date; the report groups by date sent.
    __table_args__ = (Index("ix_directory_verification_requests_due", "answered_at", "sent_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("directory_organizations.id", ondelete="CASCADE"), index=True)
    link_id: Mapped[int | None] = mapped_column(Integer)  # the secure link now valid (a reminder issues a new one)
    email: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(8))
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0)
    last_reminder_at: Mapped[datetime | None] = mapped_column(DateTime)
    opened_at: Mapped[datetime | None] = mapped_column(DateTime)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    outcome: Mapped[str | None] = mapped_column(String(16))  # "confirmed" or "changes"


class VerificationProposal(Base):
    """The changes an agency proposed for one of its records: stored, applied only by a reviewer."""

    __tablename__ = "directory_verification_proposals"
    __table_args__ = (Index("ix_directory_verification_proposals_status", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("directory_verification_requests.id", ondelete="SET NULL"), index=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("directory_organizations.id", ondelete="CASCADE"), index=True)
    entity: Mapped[str] = mapped_column(String(32))  # "agency" or "resource"
    record_id: Mapped[int] = mapped_column(Integer)
    changes: Mapped[dict] = mapped_column(JSON, default=dict)  # {field: proposed value}
    comment: Mapped[str | None] = mapped_column(Text)  # what no field holds (phones, hours, places…)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    decisions: Mapped[dict | None] = mapped_column(JSON)  # {field: "accepted" | "rejected"}
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)


class WrongReport(Base):
    """An agent's "this is wrong" about a resource, a maintenance item until resolved."""

    __tablename__ = "directory_wrong_reports"
    __table_args__ = (Index("ix_directory_wrong_reports_status", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("directory_services.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(32))
    details: Mapped[str | None] = mapped_column(Text)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default=OPEN)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    resolution_note: Mapped[str | None] = mapped_column(Text)
