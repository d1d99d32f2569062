"""Reading and recording consents: a person's states in one query, the outbox's check, the ids a
report leaves out, and the one way a decision is recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import and_, bindparam, exists, or_, select
from sqlalchemy.orm import aliased

from kernel.toolkit import CONSENT_PURPOSES, clock, db, utcnow
from kernel.toolkit import gettext as _
from plugins.privacy.consent.models import CHANNELS, SCOPE_MAX, Consent

SHARING = "sharing"


@dataclass(frozen=True)
class State:
    """A person's consent to one purpose (and scope): the latest decision."""

    purpose: str
    scope: str
    latest: Consent | None
    today: date

    @property
    def current(self) -> bool:
        return self.latest is not None and self.latest.current_on(self.today)

    @property
    def expired(self) -> bool:
        latest = self.latest
        return latest is not None and latest.given and not self.current

    @property
    def withdrawn(self) -> bool:
        return self.latest is not None and not self.latest.given

    @property
    def label(self) -> str:
        return CONSENT_PURPOSES.label(self.purpose)


def history_of(entity_name: str, record_id: int) -> list[Consent]:
    """Every decision about the person, newest first (one query)."""
    return list(db.session.scalars(history_statement(), history_params(entity_name, record_id)))


@cache
def history_statement():
    """A person's decisions, newest first; built once, the person given by ``history_params``."""
    return (select(Consent).where(Consent.entity == bindparam("consent_entity"),
                                  Consent.record_id == bindparam("consent_record_id"))
            .order_by(Consent.id.desc()))


def history_params(entity_name: str, record_id: int) -> dict:
    return {"consent_entity": entity_name, "consent_record_id": record_id}


def states_from(history: list[Consent], today: date | None = None) -> dict[tuple[str, str], State]:
    """The state of every purpose (and scope) from a person's history, the offered purposes first."""
    today = today or clock.today()
    latest: dict[tuple[str, str], Consent] = {}
    for row in history:  # newest first: the first seen is the latest
        latest.setdefault((row.purpose, row.scope or ""), row)
    states = {(purpose, ""): State(purpose, "", latest.get((purpose, "")), today)
              for purpose in CONSENT_PURPOSES.values() if purpose != SHARING}
    for (purpose, scope), row in latest.items():
        states.setdefault((purpose, scope), State(purpose, scope, row, today))
    return states


def latest_decision(entity_name: str, record_id: int, purpose: str, scope: str = "") -> Consent | None:
    return db.session.scalar(select(Consent).where(
        Consent.entity == entity_name, Consent.record_id == record_id, Consent.purpose == purpose,
        Consent.scope == (scope or "")).order_by(Consent.id.desc()).limit(1))


def has_consent(entity_name: str, record_id: int, purpose: str, scope: str = "", today: date | None = None) -> bool:
    latest = latest_decision(entity_name, record_id, purpose, scope)
    return latest is not None and latest.current_on(today or clock.today())


def consenting_ids(entity_name: str, purpose: str, today: date):
    """A ``SELECT`` of the record ids whose latest decision on ``purpose`` is a current consent."""
    later = aliased(Consent)
    newer_decision = exists().where(later.entity == Consent.entity, later.record_id == Consent.record_id,
                                    later.purpose == Consent.purpose, later.scope == Consent.scope,
                                    later.id > Consent.id)
    return select(Consent.record_id).where(
        Consent.entity == entity_name, Consent.purpose == purpose, Consent.scope == "", Consent.given.is_(True),
        or_(Consent.expires_on.is_(None), Consent.expires_on >= today), ~newer_decision)


def without_consent(entity, purpose: str, today: date | None = None):
    """A ``SELECT`` of the ids of ``entity``'s records with no current consent to ``purpose``."""
    model = entity.model
    return select(model.id).where(and_(model.id.not_in(consenting_ids(entity.name, purpose, today or clock.today()))))


class ConsentInvalid(ValueError):
    """The decision cannot be recorded as given; ``errors`` says why, by field."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def record(entity_name: str, record_id: int, *, purpose: str, given: bool, channel: str, user,
           decided_on: date | None = None, expires_on: date | None = None, note: str | None = None,
           scope: str | None = None) -> Consent:
    """Add a decision (never changes an earlier one); the caller commits."""
    scope = (scope or "").strip()
    errors = {}
    if purpose not in CONSENT_PURPOSES.values():
        errors["purpose"] = _("Choose a purpose.")
    if channel not in CHANNELS.values():
        errors["channel"] = _("Choose how the person said it.")
    if purpose == SHARING and not scope:
        errors["scope"] = _("Name the partner organisation the information is shared with.")
    if len(scope) > SCOPE_MAX:
        errors["scope"] = _("At most %(max)s characters.", max=SCOPE_MAX)
    decided_on = decided_on or clock.today(user)
    if decided_on > clock.today(user):
        errors["decided_on"] = _("The date cannot be in the future.")
    if expires_on is not None and expires_on < decided_on:
        errors["expires_on"] = _("The expiry cannot be before the date of the decision.")
    if errors:
        raise ConsentInvalid(errors)
    row = Consent(entity=entity_name, record_id=record_id, purpose=purpose, scope=scope if purpose == SHARING else "",
                  given=given, decided_on=decided_on, channel=channel, expires_on=expires_on if given else None,
                  note=(note or "").strip() or None, recorded_by_id=getattr(user, "id", None), recorded_at=utcnow())
    db.session.add(row)
    return row
