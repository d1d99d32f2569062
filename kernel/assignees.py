"""Who may be offered in "Assigned to" lists: active users who may edit, so not the read-only ones
(they could never act on what is assigned to them). The current assignee stays offered, so that
saving a form never reassigns a record behind the user's back."""

from __future__ import annotations

from sqlalchemy import or_, select

from kernel.db import db
from kernel.permissions import READONLY
from kernel.users import User


def assignable_users(keep=()) -> list[User]:
    """Active users who may edit, by name; plus the users whose ids are in ``keep``."""
    kept = {int(value) for value in keep if str(value).isdigit()}
    statement = select(User).where(User.active.is_(True), or_(User.role != READONLY, User.id.in_(kept)))
    return list(db.session.scalars(statement.order_by(User.name)))


def kept_user_ids(entity, values: dict) -> list:
    """The values of the form's user fields (the current assignees)."""
    return [values.get(name) for name, meta in entity.fields.items() if meta.kind == "user" and values.get(name)]
