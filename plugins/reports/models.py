"""Saved reports: a name, the report's definition (a query string, as the builder writes it), who
sees it, and whether it is e-mailed as CSV every week or month."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, or_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kernel.toolkit import Base, User, db, utcnow
from kernel.toolkit import lazy_gettext as _l

PRIVATE, EVERYONE, ROLE = "private", "everyone", "role"
SHARING = {PRIVATE: _l("Only me"), EVERYONE: _l("Everyone"), ROLE: _l("A role")}
NEVER, WEEKLY, MONTHLY = "none", "weekly", "monthly"
SCHEDULES = {NEVER: _l("Not sent"), WEEKLY: _l("Every Monday"), MONTHLY: _l("On the first day of every month")}


class SavedReport(Base):
    __tablename__ = "saved_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    entity: Mapped[str] = mapped_column(String(64))
    query: Mapped[str] = mapped_column(Text)
    # Labels of the columns when the report was saved: a column whose plugin is disabled later
    # can still be named in the message saying it is missing.
    column_labels: Mapped[dict] = mapped_column(JSON, default=dict)
    sharing: Mapped[str] = mapped_column(String(20), default=PRIVATE)
    shared_role: Mapped[str | None] = mapped_column(String(20))
    schedule: Mapped[str] = mapped_column(String(10), default=NEVER)
    recipients: Mapped[str | None] = mapped_column(Text)
    next_run_at: Mapped[datetime | None] = mapped_column(index=True)
    last_sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    owner: Mapped[User] = relationship(lazy="joined")

    def visible_to(self, user) -> bool:
        return self.owner_id == user.id or self.sharing == EVERYONE or (
            self.sharing == ROLE and self.shared_role == user.role)

    def editable_by(self, user) -> bool:
        return self.owner_id == user.id or user.is_admin

    @property
    def recipient_list(self) -> list[str]:
        return [address.strip() for address in (self.recipients or "").replace(";", ",").split(",")
                if address.strip()]


def reports_visible_to(user) -> list[SavedReport]:
    """The user's own reports and those shared with everyone or with the user's role."""
    statement = select(SavedReport).where(or_(
        SavedReport.owner_id == user.id, SavedReport.sharing == EVERYONE,
        (SavedReport.sharing == ROLE) & (SavedReport.shared_role == user.role),
    )).order_by(SavedReport.name, SavedReport.id)
    return list(db.session.scalars(statement))
