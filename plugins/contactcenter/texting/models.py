"""The messages of a text contact's conversation, in and out."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel.toolkit import Base

INBOUND, OUTBOUND = "in", "out"


class TextMessage(Base):
    __tablename__ = "contactcenter_text_messages"
    __table_args__ = (
        Index("ix_contactcenter_text_messages_contact_at", "contact_id", "at"),
        Index("ix_contactcenter_text_messages_phone_at", "phone_key", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contactcenter_contacts.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(3))
    body: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(DateTime)
    # The caller's digits (kernel phone_key): the open contact of a number is found by any format.
    phone_key: Mapped[str | None] = mapped_column(String(50))
    # The gateway's id of an inbound message: a retried webhook finds it and adds nothing.
    gateway_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    outbox_message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id", ondelete="SET NULL"))
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
