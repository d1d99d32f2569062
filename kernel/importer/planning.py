"""Planning: what happens to each row (create, update, skip or reject) and why, decided batch by
batch without writing anything; the preview shows the plan of the first rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from kernel.duplicates import reason_label
from kernel.entities import Entity
from kernel.i18n import gettext as _
from kernel.i18n import lazy_gettext as _l
from kernel.importer.coercion import Coercer
from kernel.importer.jobs import CREATE, SKIP, UPDATE
from kernel.importer.matching import Match, Matcher
from kernel.importer.reading import CsvFile, SourceRow
from kernel.importer.validation import RowValidator

PREVIEW_ROWS = 20


REJECT, EXTRA_CELLS_KEY = "reject", ""


EXTRA_CELLS = _l("This line has more cells than the first line has columns.")


@dataclass
class RowPlan:
    """One row: its cells, the values to save, its errors and what will happen to it."""

    row: SourceRow
    raw: dict
    keys: list[tuple[str, str]] = field(default_factory=list)
    action: str = CREATE  # create, update, skip or reject
    match: Match | None = None
    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)

    @property
    def line(self) -> int:
        return self.row.line


class Planner:
    """Decides, batch by batch, what happens to each row (nothing is written here)."""

    def __init__(self, entity: Entity, mapping: list[str | None], mode: str):
        self.entity = entity
        self.mode = mode
        self.coercer = Coercer(entity, mapping)
        self.validator = RowValidator(entity, mapping)
        self.matcher = Matcher(entity)

    def start_batch(self, rows: list[SourceRow]) -> list[RowPlan]:
        """Coerce a batch and look up, once for the whole batch, its matches and references."""
        plans = [RowPlan(row=row, raw=self.coercer.raw(row.cells)) for row in rows]
        if self.mode != CREATE:  # "create anyway" never looks for matches
            for plan in plans:
                plan.keys = self.matcher.keys(plan.raw)
            self.matcher.prepare(key for plan in plans for key in plan.keys)
        self.validator.prepare([plan.raw for plan in plans])
        return plans

    def decide(self, plan: RowPlan) -> RowPlan:
        """Fill ``action``, ``match``, ``values`` and ``errors`` (in file order: a row can match
        an earlier one)."""
        if self.coercer.extra_cells(plan.row.cells):
            plan.action, plan.errors = REJECT, {EXTRA_CELLS_KEY: [str(EXTRA_CELLS)]}
            return plan
        plan.match = self.matcher.match(plan.keys)
        if plan.match is not None and self.mode == SKIP:
            plan.action = SKIP
            return plan
        updating = plan.match is not None
        plan.values, plan.errors = self.validator.validate(plan.raw, partial=updating)
        if plan.errors:
            plan.action = REJECT
        else:
            plan.action = UPDATE if updating else CREATE
        return plan

    def preview(self, rows: list[SourceRow]) -> list[RowPlan]:
        plans = []
        for plan in self.start_batch(rows):
            plans.append(self.decide(plan))
            if plan.action == CREATE:
                self.matcher.remember(plan.keys, line=plan.line)
            elif plan.action == UPDATE:
                self.matcher.remember(plan.keys, record_id=plan.match.record_id, line=plan.match.line)
        return plans


def preview(entity: Entity, csv_file: CsvFile, mapping: list[str | None], mode: str,
            count: int = PREVIEW_ROWS) -> list[RowPlan]:
    """The first rows as they would be imported, without writing anything."""
    rows = [row for _, row in zip(range(count), csv_file.rows(), strict=False)]
    planner = Planner(entity, mapping, mode)
    return planner.preview(rows)


def reason_text(entity: Entity, errors: dict) -> str:
    """``"Last name: This field is required. | E-mail: Enter a valid e-mail address…"``"""
    parts = []
    for name, messages in errors.items():
        text = " ".join(messages)
        meta = entity.fields.get(name)
        parts.append(f"{meta.label}: {text}" if meta else text)
    return " | ".join(parts)


def action_text(entity: Entity, plan: RowPlan) -> str:
    """What happens to a row, for the preview: "Create", "Update #12 (Same e-mail)"…"""
    if plan.action == REJECT:
        return _("Rejected")
    if plan.action == CREATE:
        return _("Create")
    target = f"#{plan.match.record_id}" if plan.match.record_id else _("line %(line)d", line=plan.match.line)
    text = _("Update %(target)s", target=target) if plan.action == UPDATE else _("Skip: matches %(target)s",
                                                                                   target=target)
    return f"{text} ({match_reason_text(entity, plan.match.reason)})" if plan.match.reason else text


def match_reason_text(entity: Entity, reason: str) -> str:
    """"Same e-mail", "Same phone", "Same name" (the import matches identical names only)."""
    return _("Same name") if reason == "name" else reason_label(entity, reason)
