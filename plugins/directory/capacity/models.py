"""One row per resource that declared its capacity (``directory_capacity``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kernel.toolkit import Base, utcnow


class Capacity(Base):
    __tablename__ = "directory_capacity"
    # The search's "hide full programmes" reads the services not accepting from this index.
    __table_args__ = (Index("ix_directory_capacity_accepting", "accepting", "service_id"),)

    service_id: Mapped[int] = mapped_column(ForeignKey("directory_services.id", ondelete="CASCADE"),
                                            primary_key=True)
    open_spots: Mapped[int | None] = mapped_column(Integer)
    waiting_list: Mapped[int | None] = mapped_column(Integer)
    accepting: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Who said it when no account did: the partner organisation answering through its link.
    updated_by_name: Mapped[str | None] = mapped_column(String(255))
