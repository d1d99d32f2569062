"""What happens to a contact: it starts (a call arrives, or an agent starts it), gets a profile,
needs and referrals, and closes once its checklist is complete (or is forced closed, incomplete).
Every save goes through ``kernel.records``; nothing here commits."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime

from flask import g
from rapidfuzz.distance import OSA
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm.exc import StaleDataError

from kernel.toolkit import (
    db,
    digits,
    entities,
    find_duplicates,
    fold,
    notify,
    phone_key,
    quick_search,
    records,
    utcnow,
)
from kernel.toolkit import lazy_gettext as _l
from plugins.contactcenter.models import (
    CLOSED,
    INCOMPLETE,
    OPEN,
    AgentLine,
    Contact,
    Need,
    Profile,
    Referral,
    SourceLine,
)
from plugins.directory.models import service_taxonomy

PROFILE_RESULTS = 10


def entity(name: str):
    return entities().get(name)


# -- starting a contact --------------------------------------------------------------------

def line_by_code(code: str) -> SourceLine | None:
    return db.session.scalar(select(SourceLine).where(SourceLine.code == (code or "").strip(),
                                                      SourceLine.deleted_at.is_(None)))


def start_contact(user, *, channel: str, line: SourceLine | None, caller_number: str | None,
                  call_id: str | None = None, agent=None) -> Contact:
    """A new open contact, assigned to ``agent`` (the person taking it) when known."""
    values = {"channel": channel, "status": OPEN, "line_id": line.id if line else None,
              "caller_number": caller_number or None,
              "call_id": call_id or None, "started_at": _now_text(),
              "assigned_user_id": agent.id if agent else None}
    return records.create(entity("helpline_contact"), values, user)


def contact_for_call(call_id: str) -> Contact | None:
    if not call_id:
        return None
    return db.session.scalar(select(Contact).where(Contact.call_id == call_id, Contact.deleted_at.is_(None)))


def agent_line_ids(user) -> list[int]:
    return list(db.session.scalars(select(AgentLine.line_id).where(AgentLine.user_id == user.id)))


def set_agent_lines(user, line_ids: list[int]) -> None:
    db.session.query(AgentLine).filter(AgentLine.user_id == user.id).delete()
    db.session.add_all(AgentLine(user_id=user.id, line_id=line_id) for line_id in set(line_ids))


def waiting_statement(user):
    """Open contacts nobody has taken yet, on the agent's lines (every line when they chose none)."""
    statement = select(Contact).where(Contact.deleted_at.is_(None), Contact.status == OPEN,
                                      Contact.assigned_user_id.is_(None))
    lines = agent_line_ids(user)
    if lines:
        statement = statement.where(Contact.line_id.in_(lines))
    return statement.order_by(Contact.started_at, Contact.id)


def take(contact: Contact, user) -> bool:
    """Assign a waiting contact to ``user``, unless another agent took it first: the save checks the
    version it read (``UPDATE … WHERE version = …``), so of two agents taking it at once one wins."""
    if contact.assigned_user_id is not None:
        return contact.assigned_user_id == user.id
    try:
        with db.session.begin_nested():
            records.update(entity("helpline_contact"), contact, {"assigned_user_id": user.id}, user,
                           expected_version=contact.version)
    except (records.StaleRecord, StaleDataError):
        db.session.expire(contact)
        return False
    return True


def next_contact_for(user) -> Contact | None:
    """The contact the agent's browser should be taken to: one assigned to them and never opened,
    else the oldest one waiting on their lines (which they take)."""
    mine = db.session.scalar(
        select(Contact).where(Contact.deleted_at.is_(None), Contact.status == OPEN,
                              Contact.assigned_user_id == user.id, Contact.opened_at.is_(None))
        .order_by(Contact.started_at, Contact.id).limit(1))
    if mine is not None:
        return mine
    for waiting in db.session.scalars(waiting_statement(user).limit(3)):
        if take(waiting, user):
            return waiting
    return None


def mark_opened(contact: Contact) -> None:
    """A technical marker, not a field: written without a new version or a history row."""
    if contact.opened_at is None:
        db.session.execute(update(Contact).where(Contact.id == contact.id).values(opened_at=utcnow())
                           .execution_options(synchronize_session=False))


# -- profiles ------------------------------------------------------------------------------

def profiles_for_number(number: str | None) -> list[Profile]:
    key = phone_key(number)
    if not key:
        return []
    return list(db.session.scalars(select(Profile).where(Profile.phone_digits == key, Profile.deleted_at.is_(None))
                                   .order_by(Profile.name).limit(PROFILE_RESULTS)))


def search_profiles(q: str) -> list[Profile]:
    """By phone (any format), e-mail (or part of it), or name: every word, then names with small
    typos ("Kilabuc", "Aputy" find Aputi Kilabuk)."""
    q = (q or "").strip()
    if not q:
        return []
    if len(digits(q)) >= 7 and not any(char.isalpha() for char in q):
        key = phone_key(q)
        return list(db.session.scalars(
            select(Profile).where(Profile.deleted_at.is_(None),
                                  or_(Profile.phone_digits == key, Profile.phone_digits.endswith(digits(q)[-7:])))
            .order_by(Profile.name).limit(PROFILE_RESULTS)))
    profile_entity = entity("caller_profile")
    if "@" in q:
        return list(db.session.scalars(profile_entity.active().where(
            func.lower(Profile.email).contains(q.lower(), autoescape=True)).order_by(Profile.name)
            .limit(PROFILE_RESULTS)))
    found = list(db.session.scalars(quick_search(profile_entity, profile_entity.active(), q)
                                    .order_by(Profile.name).limit(PROFILE_RESULTS)))
    known = {profile.id for profile in found}
    similar = [match.record_id for match in find_duplicates(profile_entity, {"name": q}, limit=PROFILE_RESULTS)
               if match.record_id not in known]
    if similar:
        found += list(db.session.scalars(select(Profile).where(Profile.id.in_(similar)).order_by(Profile.name)))
    if len(found) < PROFILE_RESULTS:
        known = {profile.id for profile in found}
        found += [profile for profile in names_with_typos(profile_entity, q) if profile.id not in known]
    return found[:PROFILE_RESULTS]


TYPO_CANDIDATES = 200  # profiles sharing a word's first or last letters, scored in Python


def names_with_typos(profile_entity, q: str) -> list[Profile]:
    """Profiles whose name has, for every word typed, a word at most one or two typos away. The
    candidates share the start or the end of a typed word (three letters), found by the quick
    search's index; each typed word may be a typo of a first name or of a last name."""
    words = [word for word in fold(q).split() if len(word) >= 4]
    if not words:
        return []
    pieces = {piece for word in words for piece in (word[:3], word[-3:])}
    candidates = {}
    for piece in sorted(pieces):
        for profile in db.session.scalars(quick_search(profile_entity, profile_entity.active(), piece)
                                          .limit(TYPO_CANDIDATES)):
            candidates[profile.id] = profile
    close = [profile for profile in candidates.values() if _every_word_close(words, fold(profile.name).split())]
    return sorted(close, key=lambda profile: profile.name)[:PROFILE_RESULTS]


def _every_word_close(typed: list[str], name_words: list[str]) -> bool:
    return all(any(OSA.distance(word, name_word) <= (1 if len(word) < 7 else 2) for name_word in name_words)
               for word in typed)


def choose_profile(contact: Contact, profile: Profile, user, expected_version=None) -> None:
    records.update(entity("helpline_contact"), contact, {"profile_id": profile.id}, user,
                   expected_version=expected_version)


def previous_contacts(contact: Contact, limit: int = 20) -> tuple[list[Contact], int]:
    """The caller's earlier contacts, newest first, and how many there are in all."""
    if contact.profile_id is None:
        return [], 0
    earlier = (Contact.profile_id == contact.profile_id, Contact.id != contact.id, Contact.deleted_at.is_(None))
    total = db.session.scalar(select(func.count(Contact.id)).where(*earlier))
    shown = list(db.session.scalars(select(Contact).where(*earlier)
                                    .order_by(Contact.started_at.desc(), Contact.id.desc()).limit(limit)))
    return shown, total


def earlier_referrals_and_needs(contact_ids) -> tuple[dict, dict]:
    """For the caller's earlier contacts: the resources they were referred to and their needs,
    ``{contact_id: [resource_id, …]}`` and ``{contact_id: [term_id, …]}``, in two queries."""
    referrals, needs = {}, {}
    if not contact_ids:
        return referrals, needs
    for contact_id, resource_id in db.session.execute(
            select(Referral.contact_id, Referral.resource_id).where(Referral.contact_id.in_(contact_ids),
                                                                    Referral.deleted_at.is_(None))
            .order_by(Referral.id)):
        referrals.setdefault(contact_id, []).append(resource_id)
    for contact_id, term_id in db.session.execute(
            select(Need.contact_id, Need.term_id).where(Need.contact_id.in_(contact_ids), Need.deleted_at.is_(None))
            .order_by(Need.is_primary.desc(), Need.id)):
        needs.setdefault(contact_id, []).append(term_id)
    return referrals, needs


# -- needs and referrals -------------------------------------------------------------------

def needs_of(contact_id: int) -> list[Need]:
    return list(db.session.scalars(select(Need).where(Need.contact_id == contact_id, Need.deleted_at.is_(None))
                                   .order_by(Need.is_primary.desc(), Need.id)))


def add_need(contact: Contact, term_id: int, user, *, primary: bool | None = None) -> Need | None:
    """Add a service need unless the contact has it already; the first one is primary."""
    needs = needs_of(contact.id)
    if any(need.term_id == term_id for need in needs):
        return None
    is_primary = primary if primary is not None else not any(need.is_primary for need in needs)
    if is_primary:
        for need in needs:
            if need.is_primary:
                records.update(entity("service_need"), need, {"is_primary": False}, user)
    return records.create(entity("service_need"), {"contact_id": contact.id, "term_id": term_id,
                                                   "is_primary": is_primary}, user)


def mark_primary(contact: Contact, need: Need, user) -> None:
    for other in needs_of(contact.id):
        if other.is_primary != (other.id == need.id):
            records.update(entity("service_need"), other, {"is_primary": other.id == need.id}, user)


def resource_term(resource_id: int) -> int | None:
    """The resource's first service type: the need a referral to it meets."""
    return db.session.scalar(select(service_taxonomy.c.term_id).where(service_taxonomy.c.service_id == resource_id)
                             .order_by(service_taxonomy.c.id).limit(1))


def already_referred(contact: Contact, resource_id: int) -> bool:
    return db.session.scalar(select(Referral.id).where(Referral.contact_id == contact.id,
                                                       Referral.resource_id == resource_id,
                                                       Referral.deleted_at.is_(None)).limit(1)) is not None


def refer(contact: Contact, resource_id: int, user) -> Referral:
    """A referral of the contact's caller to a resource (its need follows: ``need_from_referral``)."""
    return records.create(entity("referral"), {"contact_id": contact.id, "resource_id": resource_id,
                                               "profile_id": contact.profile_id}, user)


def need_from_referral(referral: Referral, user) -> None:
    """Needs follow the referrals, whichever way they are made (screen, API, import): the first
    fills the primary need with the resource's service type, later ones add secondary needs."""
    contact = db.session.get(Contact, referral.contact_id)
    term_id = resource_term(referral.resource_id)
    if contact is not None and term_id is not None:
        add_need(contact, term_id, user)


def referrals_of(contact_id: int) -> list[Referral]:
    return list(db.session.scalars(select(Referral).where(Referral.contact_id == contact_id,
                                                          Referral.deleted_at.is_(None)).order_by(Referral.id)))


# -- closing -------------------------------------------------------------------------------

@contextmanager
def closing():
    """Marks the saves inside as the closing of a contact (the only way its status changes)."""
    g.contactcenter_closing = True
    try:
        yield
    finally:
        g.contactcenter_closing = False


def close(contact: Contact, user, expected_version=None) -> None:
    with closing():
        records.update(entity("helpline_contact"), contact,
                       {"status": CLOSED, "ended_at": _now_text()}, user, expected_version=expected_version)


def force_close(contact: Contact, user, reason: str, approver=None, expected_version=None) -> None:
    values = {"status": INCOMPLETE, "ended_at": _now_text(), "incomplete_reason": reason}
    if approver is not None:
        values["approved_by_id"] = approver.id
    with closing():
        records.update(entity("helpline_contact"), contact, values, user, expected_version=expected_version)
    if approver is not None and approver.id != getattr(user, "id", None):
        notify(approver, "contactcenter_forced_close",
               _l("%(agent)s closed contact %(title)s incomplete with your approval: %(reason)s",
                  agent=getattr(user, "name", ""), title=entity("helpline_contact").title_of(contact), reason=reason),
               entity="helpline_contact", record=contact)


def _now_text() -> str:
    """Now, with its zone: the schema reads naive times in the user's zone."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def is_closed(contact: Contact) -> bool:
    return contact.status != OPEN


