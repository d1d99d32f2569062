"""A warm referral (one per referral) and its history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel.toolkit import Base
from kernel.toolkit import lazy_gettext as _l

SENT, OPENED, ACCEPTED, DECLINED, CLOSED = "sent", "opened", "accepted", "declined", "closed"
WAITING = (SENT, OPENED)  # no answer from the partner yet: these may go stale
STATUSES = {SENT: _l("Sent"), OPENED: _l("Opened by the organisation"), ACCEPTED: _l("Accepted"),
            DECLINED: _l("Declined"), CLOSED: _l("Outcome reported")}
DECLINE_REASONS = {"full": _l("Programme full"), "not_eligible": _l("Not eligible"),
                   "out_of_area": _l("Out of our service area"), "other": _l("Other reason")}
OUTCOMES = {"helped": _l("Helped"), "not_helped": _l("Not helped"), "unreachable": _l("Could not reach the person")}
EVENTS = {"sent": _l("Sent to the organisation"), "resent": _l("Sent again with a new link"),
          "opened": _l("Opened by the organisation"), "accepted": _l("Accepted"), "declined": _l("Declined"),
          "outcome": _l("Outcome reported"), "capacity": _l("Capacity updated")}


class WarmReferral(Base):
    __tablename__ = "contactcenter_warm_referrals"
    __table_args__ = (
        Index("ix_contactcenter_warm_referrals_status_sent", "status", "sent_at"),
        Index("ix_contactcenter_warm_referrals_sent", "sent_at"),
        Index("ix_contactcenter_warm_referrals_contact", "contact_id"),
        Index("ix_contactcenter_warm_referrals_agency_sent", "agency_id", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("contactcenter_referrals.id", ondelete="CASCADE"),
                                             unique=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contactcenter_contacts.id", ondelete="CASCADE"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("directory_organizations.id", ondelete="SET NULL"))
    email: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(8))
    note: Mapped[str | None] = mapped_column(Text)  # the agent's note to the organisation
    status: Mapped[str] = mapped_column(String(20), default=SENT)
    decline_reason: Mapped[str | None] = mapped_column(String(20))
    decline_note: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(20))
    outcome_note: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(DateTime)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime | None] = mapped_column(DateTime)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    outcome_at: Mapped[datetime | None] = mapped_column(DateTime)
    link_id: Mapped[int | None] = mapped_column()  # the current secure link (an older one is revoked)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id", ondelete="SET NULL"))


class WarmReferralEvent(Base):
    """One step of a warm referral: sent, opened, accepted, declined, outcome, capacity."""

    __tablename__ = "contactcenter_warm_referral_events"
    __table_args__ = (Index("ix_contactcenter_warm_referral_events_warm", "warm_referral_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    warm_referral_id: Mapped[int] = mapped_column(ForeignKey("contactcenter_warm_referrals.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(DateTime)
    kind: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str | None] = mapped_column(Text)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))  # None: the partner


class PartnerAccount(Base):
    """A user account of a partner organisation: it sees only the warm referrals sent to its agency."""

    __tablename__ = "contactcenter_partner_accounts"
    __table_args__ = (Index("ix_contactcenter_partner_accounts_agency", "agency_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("directory_organizations.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
