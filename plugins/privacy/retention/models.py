"""Retention: the rules administrators set per entity, the legal holds that stop them, the record
of every run (scheduled, started by hand, or an erasure on request) and which records are
already anonymised."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel.toolkit import Base, ChoiceList, Entity, Record, entities, field, personal_data, utcnow
from kernel.toolkit import gettext as _
from kernel.toolkit import lazy_gettext as _l

RULES = "privacy.retention"  # privacy.retention.view, .create, .edit, .delete: administrators
HOLDS = "privacy.holds"
LONGEST_MONTHS = 1200

ACTIONS = ChoiceList("privacy_retention_action", [
    ("anonymise", _l("Anonymise")),
    ("delete", _l("Delete")),
])


def known_entity_and_event(values: dict) -> dict:
    """The entity must be an enabled one, the event one it offers, the period sensible."""
    errors = {}
    name = values.get("entity_name")
    entity = entities().get(name) if name else None
    if name and entity is None:
        errors["entity_name"] = _("No enabled module has records called %(name)s.", name=name)
    event = values.get("event")
    if entity is not None and event and event not in personal_data.events_of(entity):
        errors["event"] = _("Records of this kind offer these events: %(events)s.",
                            events=", ".join(personal_data.events_of(entity)))
    months = values.get("months")
    if months is not None and not 1 <= months <= LONGEST_MONTHS:
        errors["months"] = _("Between 1 and %(most)d months.", most=LONGEST_MONTHS)
    if entity is not None and values.get("cleared_fields"):
        offered = personal_data.statistics_kept(entity)
        unknown = [name for name in cleared_names(values["cleared_fields"]) if name not in offered]
        if unknown:
            errors["cleared_fields"] = _("Not among what these records keep: %(names)s. They keep: %(kept)s.",
                                         names=", ".join(unknown), kept=", ".join(offered) or "—")
    return errors


def cleared_names(value: str | None) -> tuple[str, ...]:
    """The field names of a rule's "Also empty", as typed (commas or spaces between them)."""
    return tuple(dict.fromkeys(name for name in (value or "").replace(",", " ").split() if name))


def held_record_exists(values: dict) -> dict:
    name, record_id = values.get("entity_name"), values.get("record_id")
    entity = entities().get(name) if name else None
    if name and entity is None:
        return {"entity_name": _("No enabled module has records called %(name)s.", name=name)}
    if entity is not None and record_id is not None:
        from kernel.toolkit import db

        if db.session.get(entity.model, record_id) is None:
            return {"record_id": _("There is no such record.")}
    return {}


class RetentionRule(Record):
    __tablename__ = "privacy_retention_rules"
    __entity__ = Entity(
        name="privacy_retention_rule", plural="privacy-retention-rules", icon="timer",
        label=_l("Retention rule"), label_plural=_l("Retention rules"), create_label=_l("Add a retention rule"),
        list_label=_l("View the retention rules"), title="{entity_name} ({months})", default_sort="entity_name",
        permission=RULES, validators=(known_entity_and_event,),
    )

    entity_name: Mapped[str] = field(label=_l("Records"), required=True, list=True, index=True,
                                     help=_l("The kind of record, by its name: helpline_contact, client, "
                                             "case_file… (the dry run page lists them)."))
    event: Mapped[str] = field(label=_l("Counted from"), required=True, list=True,
                               help=_l("The event after which the period runs (the dry run page lists those of each kind of record)."))
    months: Mapped[int] = field("integer", label=_l("Months"), required=True, list=True)
    action: Mapped[str] = field("choice", label=_l("Then"), choices=ACTIONS, required=True, list=True,
                                default="anonymise")
    cleared_fields: Mapped[str | None] = field(
        label=_l("Also empty when anonymising"),
        help=_l("Names of what anonymised records would otherwise keep for statistics, separated by commas "
                "(the dry run page lists them for each kind of record). Empty: they keep all of it."))
    active: Mapped[bool] = field("boolean", label=_l("Active"), list=True, default=True)
    note: Mapped[str | None] = field("longtext", label=_l("Why this period"),
                                     help=_l("The law, funder or policy that sets it."))


class LegalHold(Record):
    __tablename__ = "privacy_legal_holds"
    __table_args__ = (Index("ix_privacy_legal_holds_record", "entity_name", "record_id"),)
    __entity__ = Entity(
        name="privacy_legal_hold", plural="privacy-legal-holds", icon="lock",
        label=_l("Legal hold"), label_plural=_l("Legal holds"), create_label=_l("Place a legal hold"),
        list_label=_l("View the legal holds"), title="{entity_name} #{record_id}", default_sort="-id",
        permission=HOLDS, validators=(held_record_exists,),
    )

    entity_name: Mapped[str] = field(label=_l("Records"), required=True, list=True,
                                     help=_l("The kind of record held: client, caller_profile, helpline_contact…"))
    record_id: Mapped[int] = field("integer", label=_l("Record number"), required=True, list=True)
    reason: Mapped[str] = field("longtext", label=_l("Reason"), required=True,
                                help=_l("The claim, inquiry or request for which the record must be kept."))
    until: Mapped[date | None] = field("date", label=_l("Until"), list=True,
                                       help=_l("Leave empty while the hold lasts."))


class RetentionRun(Base):
    """One run: what it anonymised and deleted, per entity (``counts``), or why it failed."""

    __tablename__ = "privacy_retention_runs"
    __table_args__ = (Index("ix_privacy_retention_runs_started", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # scheduled, manual, erasure
    run_key: Mapped[str | None] = mapped_column(String(40), unique=True)  # one scheduled run a day
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    subject: Mapped[str | None] = mapped_column(String(80))  # the person of an erasure, "client:42"
    action: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
    held: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)


class Anonymised(Base):
    """A record already anonymised: later runs pass it by."""

    __tablename__ = "privacy_anonymised"

    entity: Mapped[str] = mapped_column(String(64), primary_key=True)
    record_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("privacy_retention_runs.id", ondelete="SET NULL"),
                                               index=True)
    anonymised_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
