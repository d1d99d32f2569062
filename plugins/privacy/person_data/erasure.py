"""Erasure on request: one person anonymised or deleted across every plugin, with a reason, after
a preview; a legal hold or an open case file stops it. Recorded as a run of the retention log,
in the access log and in the security log."""

from __future__ import annotations

from kernel.toolkit import db, note_read, personal_data, record_event, utcnow
from kernel.toolkit import gettext as _
from plugins.privacy.retention.models import RetentionRun
from plugins.privacy.retention.run import ERASURE, apply_plan, held_ids

ERASED = "person_erased"
REASON_MAX = 2000


class ErasureRefused(Exception):
    """The erasure may not go ahead: the messages say why (translated)."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def preview(entity, record, action: str):
    """What erasing the person would reach (a plan: counts per entity, blockers)."""
    return personal_data.plan(entity, [record.id], action, held=held_ids)


def erase(entity, record, action: str, reason: str, user):
    """Erase (or anonymise) the person and everything about them; returns the run recorded."""
    reason = (reason or "").strip()
    errors = []
    if action not in (personal_data.ANONYMISE, personal_data.DELETE):
        errors.append(_("Choose to anonymise or to delete."))
    if not reason:
        errors.append(_("Say why the person's data is erased (their request, its date)."))
    elif len(reason) > REASON_MAX:
        errors.append(_("The reason is too long (%(most)d characters at most).", most=REASON_MAX))
    if errors:
        raise ErasureRefused(errors)
    plan = preview(entity, record, action)
    if plan.blockers:
        raise ErasureRefused([blocker.message for blocker in plan.blockers])
    subject, record_id = f"{entity.name}:{record.id}", record.id
    note_read(entity, record_id, via="erasure", count=plan.total, user=user)
    run = RetentionRun(kind=ERASURE, user_id=getattr(user, "id", None), subject=subject, action=action,
                       reason=reason, counts={})
    db.session.add(run)
    db.session.flush()
    apply_plan(run, plan)
    run.finished_at = utcnow()
    record_event(ERASED, user=user, target_type=entity.name, target_id=str(record_id), action=action,
                 counts={name: sum(numbers.values()) for name, numbers in run.counts.items()})
    db.session.commit()
    return run
