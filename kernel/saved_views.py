"""What users keep about lists: their columns and page size, and their saved filters."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, Text, bindparam, or_, select
from sqlalchemy.orm import Mapped, mapped_column

from kernel.db import Base, db, utcnow


class ListPreference(Base):
    __tablename__ = "list_preferences"
    __table_args__ = (Index("ix_list_preferences_user_entity", "user_id", "entity", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    entity: Mapped[str] = mapped_column(String(64))
    columns: Mapped[list] = mapped_column(JSON, default=list)
    per_page: Mapped[int | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SavedFilter(Base):
    __tablename__ = "saved_filters"
    __table_args__ = (Index("ix_saved_filters_entity_user", "entity", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    entity: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(255))
    query: Mapped[str] = mapped_column(Text)
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def preference_for(user_id: int, entity_name: str) -> ListPreference | None:
    return db.session.scalar(_preference_statement(entity_name), {"list_user_id": user_id})


@lru_cache(maxsize=512)  # built once per entity, the user a parameter: every list page reads it (kernel.onepass)
def _preference_statement(entity_name: str):
    return select(ListPreference).where(ListPreference.user_id == bindparam("list_user_id"),
                                        ListPreference.entity == entity_name)


def save_columns(user_id: int, entity_name: str, columns: list[str], per_page: int | None = None) -> None:
    preference = preference_for(user_id, entity_name)
    if preference is None:
        preference = ListPreference(user_id=user_id, entity=entity_name)
        db.session.add(preference)
    preference.columns = list(columns)
    if per_page:
        preference.per_page = per_page


def filters_for(user_id: int, entity_name: str) -> list[SavedFilter]:
    """The user's own saved filters and those shared with everyone."""
    return list(db.session.scalars(_filters_statement(entity_name), {"list_user_id": user_id}))


@lru_cache(maxsize=512)  # as _preference_statement
def _filters_statement(entity_name: str):
    return (
        select(SavedFilter)
        .where(SavedFilter.entity == entity_name,
               or_(SavedFilter.user_id == bindparam("list_user_id"), SavedFilter.shared.is_(True)))
        .order_by(SavedFilter.name)
    )


def add_list_reads(reads, user_id: int, entity_name: str) -> None:
    """The user's columns and page size, and the saved filters, read with a list page's other
    reads (``kernel.onepass``): ``found["list:preference"]`` (a list of at most one) and
    ``found["list:saved_filters"]``, transient rows."""
    params = {"list_user_id": user_id}
    reads.rows("list:preference", _preference_statement(entity_name), params=params)
    reads.rows("list:saved_filters", _filters_statement(entity_name), params=params)
