"""A consent: one row per decision (given or withdrawn), never changed afterwards. The current state
of a person's consent to a purpose is the latest row of that person, purpose and scope."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel.toolkit import Base, ChoiceList, utcnow
from kernel.toolkit import lazy_gettext as _l

VERBAL, FORM, KIOSK, WEB = "verbal", "form", "kiosk", "web"
CHANNELS = ChoiceList("consent_channel", [
    (VERBAL, _l("Verbal, on a call")),
    (FORM, _l("Signed form")),
    (KIOSK, _l("Registration kiosk")),
    (WEB, _l("Web")),
])
SCOPE_MAX = 255


class Consent(Base):
    __tablename__ = "privacy_consents"
    __table_args__ = (
        # a person's consents (their page, the outbox's check); a purpose's current states (reports)
        Index("ix_privacy_consents_person", "entity", "record_id", "purpose", "id"),
        Index("ix_privacy_consents_purpose", "entity", "purpose", "record_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(50))  # the person entity's name: "client"
    record_id: Mapped[int] = mapped_column(Integer)
    purpose: Mapped[str] = mapped_column(String(50))
    scope: Mapped[str] = mapped_column(String(SCOPE_MAX), default="")  # sharing: the partner organisation
    given: Mapped[bool] = mapped_column(Boolean)
    decided_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(20))
    expires_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def current_on(self, today: date) -> bool:
        """Whether this decision, as the latest, lets a message for its purpose go on ``today``."""
        return self.given and (self.expires_on is None or self.expires_on >= today)
