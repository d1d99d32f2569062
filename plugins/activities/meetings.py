"""The colleagues invited to a meeting."""

from __future__ import annotations

from sqlalchemy import select

from kernel.toolkit import User, db
from plugins.activities.models import MeetingInvitee


def invited_ids(meeting_id: int) -> set[int]:
    return set(db.session.scalars(select(MeetingInvitee.user_id).where(MeetingInvitee.meeting_id == meeting_id)))


def save_invitees(meeting_id: int, chosen: set[int]) -> set[int]:
    """Invite exactly the chosen active users; returns those invited (unknown ids are left out)."""
    db.session.execute(MeetingInvitee.__table__.delete().where(MeetingInvitee.meeting_id == meeting_id))
    valid = set(db.session.scalars(select(User.id).where(User.id.in_(chosen), User.active.is_(True))))
    for user_id in valid:
        db.session.add(MeetingInvitee(meeting_id=meeting_id, user_id=user_id))
    return valid
