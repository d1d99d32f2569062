"""The plugin's settings an administrator edits on the SAE settings screen: the format of file
numbers, who is on the SAE team (they get the SAE permissions whatever their role), and who is
on duty at the front desk (they are notified of walk-in visitors)."""

from __future__ import annotations

from functools import cache

from sqlalchemy import select

from kernel.toolkit import (
    PERMISSIONS_CHANGED,
    SessionRead,
    User,
    db,
    forget_for_request,
    once_per_request,
    record_event,
)
from plugins.sae.models import SaeMember, SaeSettings
from plugins.sae.numbering import DEFAULT_FORMAT

TEAM_PERMISSIONS = ("sae.view", "sae.create", "sae.edit")


def file_number_format() -> str:
    row = db.session.get(SaeSettings, 1)
    return row.file_number_format if row is not None else DEFAULT_FORMAT


def save_file_number_format(number_format: str) -> None:
    row = db.session.get(SaeSettings, 1)
    if row is None:
        row = SaeSettings(id=1, file_number_format=number_format)
        db.session.add(row)
    row.file_number_format = number_format


MEMBERS_KEY = "sae_members"


def members() -> dict[int, SaeMember]:
    """The team and duty flags by user id, read once per request: with the browser's session
    (``MEMBERS_READ``) on a signed-in page, on their own elsewhere."""
    return once_per_request(MEMBERS_KEY, _read_members)


def _read_members() -> dict[int, SaeMember]:
    return _by_user(db.session.scalars(_members_statement()))


def _by_user(rows) -> dict[int, SaeMember]:
    return {member.user_id: member for member in rows}


@cache  # built once: read with the session on every signed-in page (kernel.onepass)
def _members_statement():
    return select(SaeMember)


# every page that draws the menu asks whether its user is on the team (passerelle_user_permissions)
MEMBERS_READ = SessionRead(MEMBERS_KEY, _members_statement, _by_user)


def is_on_team(user) -> bool:
    member = members().get(user.id)
    return bool(member and member.on_team)


def on_duty_users() -> list[User]:
    return list(db.session.scalars(
        select(User).join(SaeMember, SaeMember.user_id == User.id)
        .where(SaeMember.on_duty.is_(True), User.active.is_(True)).order_by(User.name)
    ))


def save_members(team_ids: set[int], duty_ids: set[int]) -> None:
    """Set the flags of every user: those in the sets get them, the others lose them."""
    current = {member.user_id: member for member in db.session.scalars(select(SaeMember))}
    for user_id in set(current) | team_ids | duty_ids:
        member = current.get(user_id)
        if member is None:
            member = SaeMember(user_id=user_id)
            db.session.add(member)
        if bool(member.on_team) != (user_id in team_ids):  # the SAE team grants permissions
            record_event(PERMISSIONS_CHANGED, target_type="user", target_id=user_id,
                         sae_team=user_id in team_ids)
        member.on_team = user_id in team_ids
        member.on_duty = user_id in duty_ids
    forget_for_request(MEMBERS_KEY)
