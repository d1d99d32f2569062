"""Applying the retention rules: which records are due, what a run would do (the dry run), and
the run itself, recorded with its counts per entity. A legal hold on a record, or on the person
it is about, keeps it; so does anything a plugin says must be kept (an open case file)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import exists, func, or_, select
from sqlalchemy.exc import IntegrityError

from kernel.toolkit import clock, db, entities, personal_data, record_event, utcnow
from plugins.privacy.retention.models import Anonymised, LegalHold, RetentionRule, RetentionRun, cleared_names

BATCH = 200  # records planned and applied per transaction
PREVIEW_LIMIT = 1000  # records a dry run plans per rule (it counts them all)
SCHEDULED, MANUAL, ERASURE = "scheduled", "manual", "erasure"
RETENTION_RUN = "retention_run"  # the security log's event


def months_before(moment: datetime, months: int) -> datetime:
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def active_rules() -> list[RetentionRule]:
    return list(db.session.scalars(select(RetentionRule).where(RetentionRule.active.is_(True),
                                                               RetentionRule.deleted_at.is_(None))
                                   .order_by(RetentionRule.entity_name, RetentionRule.id)))


def held_ids(entity_name: str, ids) -> set[int]:
    """Those of the ids under a legal hold today."""
    today = clock.today()
    held = set()
    ids = sorted(ids)
    for start in range(0, len(ids), 500):
        held.update(db.session.scalars(select(LegalHold.record_id).where(
            LegalHold.entity_name == entity_name, LegalHold.record_id.in_(ids[start:start + 500]),
            LegalHold.deleted_at.is_(None), or_(LegalHold.until.is_(None), LegalHold.until >= today))))
    return held


def due(rule: RetentionRule, entity, now: datetime | None = None):
    """SELECT of the ids of the records the rule has reached, oldest id first."""
    model = entity.model
    event = personal_data.events_of(entity).get(rule.event)
    if event is None:
        return None
    when = event.when(model)
    cutoff = months_before(now or utcnow(), rule.months)
    statement = select(model.id).where(when.is_not(None), when <= cutoff)
    if rule.action == personal_data.ANONYMISE:
        statement = statement.where(~exists().where(Anonymised.entity == entity.name,
                                                    Anonymised.record_id == model.id))
    return statement.order_by(model.id)


@dataclass
class RulePreview:
    rule: RetentionRule
    entity: object
    due: int = 0
    held: int = 0
    reached: dict = field(default_factory=dict)  # entity name -> {"anonymised": n, "deleted": n}
    complete: bool = True  # False when more records are due than the preview planned

    @property
    def emptied(self) -> list[str]:
        """The labels of what this rule empties beyond what the module declares."""
        offered = personal_data.statistics_kept(self.entity)
        return [str(offered[name]) for name in cleared_names(self.rule.cleared_fields) if name in offered]


def dry_run(now: datetime | None = None) -> list[RulePreview]:
    """What the next run will do, rule by rule; changes nothing."""
    previews = []
    for rule in active_rules():
        entity = entities().get(rule.entity_name)
        statement = due(rule, entity, now) if entity is not None else None
        if statement is None:
            continue
        preview = RulePreview(rule, entity)
        preview.due = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
        ids = list(db.session.scalars(statement.limit(PREVIEW_LIMIT)))
        preview.complete = preview.due <= PREVIEW_LIMIT
        kept, planned = _plans(entity, ids, rule)
        preview.held = len(kept)
        for entity_plan in planned:
            for name, counts in entity_plan.counts().items():
                total = preview.reached.setdefault(name, {"anonymised": 0, "deleted": 0})
                total["anonymised"] += counts["anonymised"]
                total["deleted"] += counts["deleted"]
        previews.append(preview)
    return previews


def _plans(entity, ids: list[int], rule: RetentionRule):
    """The plan of a batch, or, when something in it must be kept, one plan per record: the
    records kept, and the plans to apply."""
    if not ids:
        return set(), []
    whole = _plan(entity, ids, rule)
    if not whole.blockers:
        return set(), [whole]
    kept, plans = set(), []
    for record_id in ids:
        single = _plan(entity, [record_id], rule)
        if single.blockers:
            kept.add(record_id)
        else:
            plans.append(single)
    return kept, plans


def _plan(entity, ids: list[int], rule: RetentionRule):
    """A plan of the rule's records; what the rule chose not to keep is emptied as well."""
    plan = personal_data.plan(entity, ids, rule.action, held=held_ids)
    offered = personal_data.statistics_kept(entity)
    plan.cleared[entity.name] = tuple(name for name in cleared_names(rule.cleared_fields) if name in offered)
    return plan


def start_run(kind: str, *, user=None, run_key: str | None = None, **details) -> RetentionRun | None:
    """Record the start of a run (committed); None when a run of that key exists (another worker)."""
    run = RetentionRun(kind=kind, run_key=run_key, user_id=getattr(user, "id", None), counts={}, **details)
    db.session.add(run)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return run


def apply_plan(run: RetentionRun, plan) -> None:
    """Carry out one plan inside the current transaction, adding its counts to the run's and
    marking what it anonymised."""
    counts = personal_data.apply(plan)
    total = dict(run.counts or {})
    for name, numbers in counts.items():
        merged = dict(total.get(name, {}))
        for key, number in numbers.items():
            merged[key] = merged.get(key, 0) + number
        total[name] = merged
    run.counts = total
    mark_anonymised(run, plan)


def mark_anonymised(run: RetentionRun, plan) -> None:
    for name, ids in plan.anonymise.items():
        ids = sorted(ids)
        for start in range(0, len(ids), 500):
            part = ids[start:start + 500]
            known = set(db.session.scalars(select(Anonymised.record_id).where(Anonymised.entity == name,
                                                                              Anonymised.record_id.in_(part))))
            db.session.add_all(Anonymised(entity=name, record_id=record_id, run_id=run.id)
                               for record_id in part if record_id not in known)


def run_rules(kind: str = MANUAL, *, user=None, run_key: str | None = None,
              now: datetime | None = None) -> RetentionRun | None:
    """Apply every active rule, a batch per transaction; the run is recorded with its counts."""
    run = start_run(kind, user=user, run_key=run_key)
    if run is None:
        return None
    try:
        for rule in active_rules():
            _apply_rule(run, rule, now)
    except Exception as error:
        db.session.rollback()
        run.error = error.__class__.__name__
        run.finished_at = utcnow()
        db.session.commit()
        raise
    run.finished_at = utcnow()
    record_event(RETENTION_RUN, user=user, target_type="privacy_retention_run", target_id=str(run.id), kind=kind,
                 held=run.held or 0, counts={name: sum(numbers.values()) for name, numbers in (run.counts or {}).items()})
    db.session.commit()
    return run


def _apply_rule(run: RetentionRun, rule: RetentionRule, now) -> None:
    entity = entities().get(rule.entity_name)
    statement = due(rule, entity, now) if entity is not None else None
    if statement is None:
        return
    passed: set[int] = set()  # held or blocked: not asked again in this run
    while True:
        ids = list(db.session.scalars(statement.where(entity.model.id.not_in(passed or {0})).limit(BATCH)))
        if not ids:
            return
        kept, plans = _plans(entity, ids, rule)
        for plan in plans:
            apply_plan(run, plan)
        passed.update(kept)
        if rule.action == personal_data.DELETE:
            passed.update(ids)  # deleted, or kept: never the same batch twice
        run.held = (run.held or 0) + len(kept)
        db.session.commit()


def scheduled_job() -> None:
    """The worker's daily run: the first worker to claim today's key runs it, the others pass."""
    today = clock.today().isoformat()
    run_key = f"{SCHEDULED}:{today}"
    if db.session.scalar(select(RetentionRun.id).where(RetentionRun.run_key == run_key)) is not None:
        return
    if not active_rules():
        return
    run_rules(SCHEDULED, run_key=run_key)
