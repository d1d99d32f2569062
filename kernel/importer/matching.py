"""Matching a row with the record it repeats, by the entity's duplicate rule (same e-mail, same
phone digits or same folded full name), looked up once per batch of rows in ``duplicate_keys``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select

from kernel.db import db, text_pairs
from kernel.duplicates import EXACT_KINDS, DuplicateKey, DuplicateRule, keys_of, rule_of
from kernel.entities import Entity

MATCH_KINDS = (*EXACT_KINDS, "name")


def default_rule(entity: Entity) -> DuplicateRule:
    """For an entity without a duplicate rule: its title's fields as the name, its e-mails and phones."""
    title_fields = tuple(name for name in re.findall(r"{(\w+)", entity.title) if name in entity.fields)
    exact = tuple(meta.name for meta in entity.fields.values() if meta.kind in ("email", "phone"))
    return DuplicateRule(name_fields=title_fields, exact_fields=exact)


def rule_labels(entity: Entity) -> list[str]:
    """The labels of the fields compared to find a row's existing record."""
    rule = rule_of(entity) or default_rule(entity)
    return [str(entity.fields[name].label) for name in rule.fields()]


@dataclass(frozen=True)
class Match:
    """What a row matches: a record (``record_id``) or, in a preview, an earlier row (``line``)."""

    record_id: int | None
    reason: str
    line: int | None = None


def reason_of(key: tuple[str, str]) -> str:
    kind, value = key
    return value.split(":", 1)[0] if kind == "value" else kind


class Matcher:
    """Finds the record a row duplicates: same e-mail (without case), same phone digits or same
    folded full name, by the entity's duplicate rule.

    Entities with a rule have their keys in ``duplicate_keys``: one query per batch of rows. Others
    are read once (their id and rule fields) into memory. Rows of the import itself are matched
    too: a row repeated in the file is not created twice (unless the mode says "create anyway")."""

    def __init__(self, entity: Entity):
        self.entity = entity
        rule = rule_of(entity)
        self.indexed = rule is not None
        self.rule = rule or default_rule(entity)
        self.found: dict[tuple[str, str], int] = {}
        self.seen: dict[tuple[str, str], Match] = {}
        self.scanned = False

    def keys(self, raw: dict) -> list[tuple[str, str]]:
        """The row's keys, exact ones (e-mail, phone) first."""
        keys = [key for key in keys_of(self.entity, self.rule, raw) if key[0] in MATCH_KINDS]
        return sorted(keys, key=lambda key: (key[0] == "name", key))

    def prepare(self, all_keys: Iterable[tuple[str, str]]) -> None:
        """Look the keys of a batch up: one query (or, for an entity without rule, one scan)."""
        if not self.indexed:
            self._scan_once()
            return
        self.seen.clear()  # earlier batches are flushed: their keys are in duplicate_keys now
        self.found = self._indexed(set(all_keys))

    def _indexed(self, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
        if not wanted:
            return {}
        # One index probe per key: a common name's key is shared by hundreds of records, which
        # "key IN (…) GROUP BY" would all read to keep the oldest.
        rows = db.session.execute(self._oldest_records(sorted(wanted)))
        return {(kind, key): record_id for kind, key, record_id in rows if record_id is not None}

    def _oldest_records(self, wanted: list[tuple[str, str]]):
        table = DuplicateKey.__table__
        keys = text_pairs(wanted, ("kind", "key"))
        oldest = (select(func.min(table.c.record_id))
                  .where(table.c.entity == self.entity.name, table.c.kind == keys.c.kind, table.c.key == keys.c.key)
                  .scalar_subquery())
        return select(keys.c.kind, keys.c.key, oldest)

    def _scan_once(self) -> None:
        if self.scanned:
            return
        self.scanned = True
        model = self.entity.model
        columns = [model.id, *(getattr(model, name) for name in self.rule.fields())]
        statement = select(*columns).where(model.deleted_at.is_(None)).order_by(model.id)
        for row in db.session.execute(statement.execution_options(yield_per=5000)):
            for key in self.keys(row._mapping):
                self.found.setdefault(key, row.id)

    def match(self, keys: list[tuple[str, str]]) -> Match | None:
        for key in keys:
            if key in self.found:
                return Match(record_id=self.found[key], reason=reason_of(key))
            if key in self.seen:
                earlier = self.seen[key]
                return Match(record_id=earlier.record_id, line=earlier.line, reason=reason_of(key))
        return None

    def remember(self, keys: list[tuple[str, str]], *, record_id: int | None = None, line: int | None = None):
        for key in keys:
            self.seen.setdefault(key, Match(record_id=record_id, line=line, reason=""))
            if not self.indexed and record_id is not None:
                self.found.setdefault(key, record_id)
