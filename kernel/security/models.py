"""The tables behind sessions, throttling counters and the security event log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from kernel.db import Base, utcnow


class UserSession(Base):
    """One signed-in browser. The cookie carries only ``id``'s secret; the session ends on the
    server when ``ended_at`` is set (logout, password change, deactivation, "sign out
    everywhere") or when it has been idle or alive for too long."""

    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the cookie's secret
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(255))


class ThrottleCounter(Base):
    """Attempts counted in a fixed window, shared by every worker and server through the database.
    ``key`` is a hash of what is counted (an account, an address), never the value in clear."""

    __tablename__ = "throttle_counters"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(default=utcnow)
    count: Mapped[int] = mapped_column(default=0)


class SecurityEvent(Base):
    """One security-relevant event: who, when, from where, what. Rows are only ever added (and
    removed by the retention job once older than the configured time)."""

    __tablename__ = "security_events"
    __table_args__ = (Index("ix_security_events_event_occurred_at", "event", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    event: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(index=True)  # no foreign key: the log outlives users
    user_email: Mapped[str | None] = mapped_column(String(255))
    address: Mapped[str | None] = mapped_column(String(64), index=True)  # the log screen filters by it
    target_type: Mapped[str | None] = mapped_column(String(64))
    target_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict] = mapped_column(JSON, default=dict)
