"""Duplicate detection: likely matches for a record about to be created, for any entity.

An entity opts in with ``Entity(duplicates=DuplicateRule(name_fields=..., exact_fields=...))``.

Finding matches never scans the entity's table. Every active record of such an entity has a few
*keys* in the ``duplicate_keys`` table (index on entity, kind, key), kept up to date by mapper
events and rebuilt by ``passerelle duplicates reindex``:

``name``    the normalised name's tokens, sorted: same name whatever the case, accents or order;
``pair``    each name token followed by the first letter of another token: survives a typo in
            that other token ("emile n" is shared by "Émile Noël" and "Emile Noell");
``prefix``  the 3-letter prefixes of two tokens, sorted: survives typos after the third letter;
``email``   the lower-cased e-mail address;
``phone``   the digits of a phone number (a leading North-American "1" dropped);
``value``   ``<field>:<folded value>`` for any other exact field.

A look-up computes the same keys from the typed values and asks the index for the records that
share the most of them, exact fields first: first by the exact keys (e-mail, phone, the exact
name), then, only when that gives fewer matches than asked, by the typo-tolerant ones, of which at
most ``CANDIDATE_LIMIT`` records are loaded by primary key and scored with rapidfuzz.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from itertools import permutations

from rapidfuzz.distance import OSA
from sqlalchemy import (
    Index,
    Integer,
    String,
    and_,
    bindparam,
    case,
    delete,
    event,
    func,
    insert,
    inspect,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column

from kernel.db import Base, db, insert_many
from kernel.entities import Entity, FieldMeta, Record
from kernel.i18n import gettext as _
from kernel.text import digits, fold

CANDIDATE_LIMIT = 100  # records scored per look-up, at most (typo-tolerant phase)
KEY_MAX = 255
MAX_NAME_TOKENS = 4
MIN_PHONE_DIGITS = 7
EXACT_KINDS = ("email", "phone", "value")
SURE_KINDS = (*EXACT_KINDS, "name")  # every record found by these keys is a match
FUZZY_KINDS = ("pair", "prefix")  # records found by these are scored


# -- declaration -------------------------------------------------------------------------------
_NOT_ALPHANUMERIC = re.compile(r"[^\w]+")
_ABBREVIATION_DOT = re.compile(r"\b(\w)\.")
COMPANY_SUFFIXES = frozenset({
    "inc", "incorporated", "incorporee", "ltd", "limited", "ltee", "limitee", "llc", "llp", "lp", "corp",
    "corporation", "co", "cie", "company", "compagnie", "senc", "sencrl", "srl", "enr", "plc", "gmbh",
    "sa", "sas", "sarl",
})
CONNECTORS = frozenset({"et", "and"})  # "&" is punctuation, so "Roy & Fils" = "Roy et fils"


def person_name_key(value) -> str:
    """The default name normaliser: folded case and accents, punctuation as spaces.

    ``"Jean-Noël  O'Brien"`` → ``"jean noel o brien"``."""
    return " ".join(_NOT_ALPHANUMERIC.sub(" ", fold(value).replace("_", " ")).split())


def company_name_key(value) -> str:
    """A company name without its legal form or punctuation, for partners.

    ``"KCR - Kelowna Com"`` and ``"KCR Kelowna Com inc."`` → ``"kcr kelowna com"``;
    ``"Boulangerie Côté & Cie"`` → ``"boulangerie cote"``. Legal forms are dropped at the end only,
    "and", "et" and "&" everywhere, and dotted initials are joined (``"S.E.N.C."`` → ``"senc"``)."""
    words = person_name_key(_ABBREVIATION_DOT.sub(r"\1", fold(value))).split()
    tokens = [word for word in words if word not in CONNECTORS] or words
    while len(tokens) > 1 and tokens[-1] in COMPANY_SUFFIXES:
        tokens.pop()
    return " ".join(tokens)


@dataclass(frozen=True)
class DuplicateRule:
    """How to recognise two records of an entity as likely the same.

    ``name_fields`` are joined into one name compared with tolerance (case, accents, order of
    the words, small typos); ``exact_fields`` match on equality (e-mail without case, phone by
    digits, other fields folded). ``threshold`` is the name score (0–100) from which two names
    are "similar"."""

    name_fields: tuple[str, ...] = ()
    exact_fields: tuple[str, ...] = ()
    normalise: Callable[[object], str] = person_name_key
    threshold: int = 85

    def fields(self) -> tuple[str, ...]:
        return tuple(self.name_fields) + tuple(self.exact_fields)

    def check(self, entity: Entity) -> None:
        unknown = [name for name in self.fields() if declared_meta(entity, name) is None]
        if unknown:
            raise ValueError(f"duplicate rule of {entity.name!r} names unknown fields: {', '.join(unknown)}")


def declared_meta(entity: Entity, name: str) -> FieldMeta | None:
    """A field declared on the model (from its column, so without reading custom fields)."""
    column = entity.model.__table__.columns.get(name)
    return column.info.get("field") if column is not None else None


def rule_of(entity: Entity | None) -> DuplicateRule | None:
    rule = getattr(entity, "duplicates", None)
    if rule is None or entity.model is None:
        return None
    rule.check(entity)
    return rule


# -- the keys table ----------------------------------------------------------------------------
class DuplicateKey(Base):
    """One search key of one record; only active records (not in the trash) have keys."""

    __tablename__ = "duplicate_keys"
    __table_args__ = (
        Index("ix_duplicate_keys_lookup", "entity", "kind", "key", "record_id"),
        Index("ix_duplicate_keys_record", "entity", "record_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[int]
    kind: Mapped[str] = mapped_column(String(10))
    key: Mapped[str] = mapped_column(String(KEY_MAX))


# -- keys --------------------------------------------------------------------------------------
def name_tokens(rule: DuplicateRule, values: dict) -> list[str]:
    parts = [str(values.get(name) or "") for name in rule.name_fields]
    return rule.normalise(" ".join(parts)).split()


def email_key(value) -> str:
    return str(value or "").strip().lower()


def phone_key(value) -> str:
    """Digits only; ``+1 867 979 1234`` and ``(867) 979-1234`` give the same key."""
    number = digits(value)
    if len(number) == 11 and number.startswith("1"):
        number = number[1:]
    return number if len(number) >= MIN_PHONE_DIGITS else ""


def exact_key(entity: Entity, name: str, value) -> tuple[str, str] | None:
    return _exact_key_of_kind(declared_meta(entity, name).kind, name, value)


def _exact_key_of_kind(kind: str, name: str, value) -> tuple[str, str] | None:
    if value in (None, ""):
        return None
    if kind == "email":
        key = ("email", email_key(value))
    elif kind == "phone":
        key = ("phone", phone_key(value))
    else:
        key = ("value", f"{name}:{fold(value)}")
    return key if key[1] else None


def name_keys(tokens: list[str]) -> set[tuple[str, str]]:
    if not tokens:
        return set()
    keys = {("name", " ".join(sorted(tokens)))}
    kept = _distinct(tokens)[:MAX_NAME_TOKENS]
    for one, other in permutations(kept, 2):
        keys.add(("pair", f"{one} {other[0]}"))
        keys.add(("prefix", " ".join(sorted((one[:3], other[:3])))))
    if len(kept) == 1:
        keys.add(("prefix", kept[0][:3]))
    return keys


def keys_of(entity: Entity, rule: DuplicateRule, values: dict) -> set[tuple[str, str]]:
    """The ``(kind, key)`` pairs of a record's values (a record or typed form values)."""
    keys = name_keys(name_tokens(rule, values))
    for name in rule.exact_fields:
        key = exact_key(entity, name, values.get(name))
        if key:
            keys.add(key)
    return {(kind, key[:KEY_MAX]) for kind, key in keys}


def _distinct(tokens: list[str]) -> list[str]:
    return list(dict.fromkeys(tokens))


def _values_of(record, rule: DuplicateRule) -> dict:
    return {name: getattr(record, name, None) for name in rule.fields()}


def key_rows(entity: Entity, record_id: int, keys) -> list[dict]:
    return [{"entity": entity.name, "record_id": record_id, "kind": kind, "key": key} for kind, key in keys]


# -- keeping keys up to date -------------------------------------------------------------------
def _indexed_entity(record) -> Entity | None:
    entity = getattr(type(record), "__entity__", None)
    return entity if isinstance(entity, Entity) and rule_of(entity) is not None else None


_indexing_later: ContextVar[bool] = ContextVar("duplicate_keys_indexed_later", default=False)


@contextmanager
def keys_indexed_together(entity: Entity, records: list) -> Iterator[None]:
    """Around the flush of many new records (imports): their keys are written afterwards in one
    statement instead of one statement per record."""
    token = _indexing_later.set(True)
    try:
        yield
    finally:
        _indexing_later.reset(token)
    rule = rule_of(entity)
    if rule is None:
        return
    rows = [row for record in records if record.deleted_at is None
            for row in key_rows(entity, record.id, keys_of(entity, rule, _values_of(record, rule)))]
    insert_many(DuplicateKey.__table__, rows)


@event.listens_for(Record, "after_insert", propagate=True)
def _index_new_record(_mapper, connection, record):
    entity = _indexed_entity(record)
    if entity is None or record.deleted_at is not None or _indexing_later.get():
        return
    rows = key_rows(entity, record.id, keys_of(entity, entity.duplicates, _values_of(record, entity.duplicates)))
    if rows:
        connection.execute(insert(DuplicateKey.__table__), rows)


@event.listens_for(Record, "after_update", propagate=True)
def _reindex_changed_record(_mapper, connection, record):
    entity = _indexed_entity(record)
    if entity is None or not _keys_may_have_changed(record, entity.duplicates):
        return
    table = DuplicateKey.__table__
    connection.execute(delete(table).where(table.c.entity == entity.name, table.c.record_id == record.id))
    if record.deleted_at is None:
        rows = key_rows(entity, record.id, keys_of(entity, entity.duplicates, _values_of(record, entity.duplicates)))
        if rows:
            connection.execute(insert(table), rows)


def _keys_may_have_changed(record, rule: DuplicateRule) -> bool:
    state = inspect(record)
    return any(state.attrs[name].history.has_changes() for name in (*rule.fields(), "deleted_at"))


def reindex(entity: Entity, batch_size: int = 2000, progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the keys of an entity's active records, batch by batch (one commit per batch);
    returns the number of records indexed. Safe to run while the application is in use."""
    rule = rule_of(entity)
    if rule is None:
        raise ValueError(f"entity {entity.name!r} has no duplicate rule")
    model, table = entity.model, DuplicateKey.__table__
    columns = [model.id, *(getattr(model, name) for name in rule.fields())]
    last_id, done = 0, 0
    while True:
        rows = db.session.execute(
            select(*columns).where(model.id > last_id, model.deleted_at.is_(None)).order_by(model.id).limit(batch_size)
        ).all()
        upper = rows[-1].id if rows else None
        stale = delete(table).where(table.c.entity == entity.name, table.c.record_id > last_id)
        db.session.execute(stale if upper is None else stale.where(table.c.record_id <= upper))
        new_keys = [key for row in rows for key in key_rows(entity, row.id, keys_of(entity, rule, row._mapping))]
        if new_keys:
            db.session.execute(insert(table), new_keys)
        db.session.commit()
        if upper is None:
            return done
        last_id, done = upper, done + len(rows)
        if progress:
            progress(done)


# -- finding -----------------------------------------------------------------------------------
REASON_NAME, REASON_EMAIL, REASON_PHONE = "name", "email", "phone"


@dataclass
class DuplicateMatch:
    """A likely duplicate: the record, its title, the name score and why it matches.

    ``reasons`` holds ``"name"``, ``"email"``, ``"phone"`` or the name of another exact field."""

    entity: Entity
    record_id: int
    title: str
    score: int
    reasons: list[str] = field(default_factory=list)

    @property
    def exact(self) -> bool:
        return any(reason != REASON_NAME for reason in self.reasons)

    @property
    def reason_labels(self) -> list[str]:
        return [reason_label(self.entity, reason) for reason in self.reasons]

    def as_json(self) -> dict:
        return {"id": self.record_id, "title": self.title, "score": self.score, "reasons": list(self.reasons)}


def reason_label(entity: Entity, reason: str) -> str:
    if reason == REASON_NAME:
        return _("Similar name")
    if reason == REASON_EMAIL:
        return _("Same e-mail")
    if reason == REASON_PHONE:
        return _("Same phone")
    meta = declared_meta(entity, reason)
    return _("Same %(field)s", field=str(meta.label).lower() if meta else reason)


@dataclass
class Probe:
    """What a look-up compares, computed once: the name's words, the exact keys, all keys."""

    tokens: list[str]
    exact: dict[str, str]  # (kind, key) → reason
    keys: set[tuple[str, str]]

    @classmethod
    def of(cls, entity: Entity, rule: DuplicateRule, values: dict) -> Probe:
        return cls(tokens=name_tokens(rule, values), exact=exact_reasons_by_key(entity, rule, values),
                   keys=keys_of(entity, rule, values))

    def keys_of_kinds(self, kinds) -> set[tuple[str, str]]:
        return {(kind, key) for kind, key in self.keys if kind in kinds}


def exact_reasons_by_key(entity: Entity, rule: DuplicateRule, values: dict) -> dict:
    found = {}
    for name in rule.exact_fields:
        key = exact_key(entity, name, values.get(name))
        if key:
            found.setdefault(key, key[0] if key[0] in (REASON_EMAIL, REASON_PHONE) else name)
    return found


def find_duplicates(entity: Entity, values: dict, exclude_id=None, limit: int = 5) -> list[DuplicateMatch]:
    """Likely duplicates of a record with these ``values`` (typed or saved), best first.

    Records in the trash and ``exclude_id`` are never returned. At most five queries whatever the
    size of the table: records sharing an exact key or the exact name (index only), their compared
    columns (by primary key); only when that gives fewer than ``limit`` matches, the same for the
    typo-tolerant keys; then the records returned, for their titles."""
    rule = rule_of(entity)
    if rule is None:
        return []
    probe = Probe.of(entity, rule, values)
    if not probe.keys:
        return []
    excluded = {int(exclude_id)} if exclude_id is not None else set()
    sure_ids = _candidate_ids(entity, probe.keys_of_kinds(SURE_KINDS), excluded, max(4 * limit, 20))
    matches = _matches_among(entity, rule, probe, sure_ids)
    if len(matches) < limit:
        excluded |= set(sure_ids)
        fuzzy_ids = _candidate_ids(entity, probe.keys_of_kinds(FUZZY_KINDS), excluded, CANDIDATE_LIMIT)
        matches += _matches_among(entity, rule, probe, fuzzy_ids)
    matches.sort(key=lambda match: (-len(match.reasons) if match.exact else 0, -match.score, match.record_id))
    return _with_titles(entity, matches[:limit])


def _candidate_ids(entity: Entity, keys: set[tuple[str, str]], excluded: set[int], limit: int) -> list[int]:
    """Records sharing the most keys with the probe, exact fields first (from the index only)."""
    if not keys:
        return []
    by_kind: dict[str, list[str]] = {}
    for kind, key in keys:
        by_kind.setdefault(kind, []).append(key)
    kinds = tuple(sorted(by_kind))
    parameters = {f"keys_{index}": sorted(by_kind[kind]) for index, kind in enumerate(kinds)}
    parameters.update(entity=entity.name, limit=limit)
    if excluded:
        parameters["excluded"] = sorted(excluded)
    return list(db.session.scalars(_candidate_statement(kinds, bool(excluded)), parameters))


_candidate_statements: dict[tuple, object] = {}


def _candidate_statement(kinds: tuple[str, ...], with_excluded: bool):
    """The look-up of ``_candidate_ids`` for these kinds of keys, built once (building it cost more
    than running it): the keys, the entity and the limit are bound parameters."""
    statement = _candidate_statements.get((kinds, with_excluded))
    if statement is not None:
        return statement
    table = DuplicateKey.__table__
    weight = func.sum(case((table.c.kind.in_(EXACT_KINDS), 100), else_=1))
    matching = [and_(table.c.kind == kind, table.c.key.in_(bindparam(f"keys_{index}", expanding=True)))
                for index, kind in enumerate(kinds)]
    statement = (
        select(table.c.record_id)
        .where(table.c.entity == bindparam("entity"))
        .where(or_(*matching))
        .group_by(table.c.record_id)
        .order_by(weight.desc(), table.c.record_id)
        .limit(bindparam("limit", type_=Integer))
    )
    if with_excluded:
        statement = statement.where(table.c.record_id.not_in(bindparam("excluded", expanding=True)))
    _candidate_statements[(kinds, with_excluded)] = statement
    return statement


def _matches_among(entity: Entity, rule: DuplicateRule, probe: Probe, ids: list[int]) -> list[DuplicateMatch]:
    if not ids:
        return []
    model = entity.model
    columns = [model.id, *(getattr(model, name) for name in rule.fields())]
    rows = db.session.execute(select(*columns).where(model.id.in_(ids), model.deleted_at.is_(None))).all()
    kinds = {name: declared_meta(entity, name).kind for name in rule.exact_fields}
    return [match for row in rows if (match := _match(entity, rule, probe, kinds, row._mapping)) is not None]


def _match(entity: Entity, rule: DuplicateRule, probe: Probe, kinds: dict, candidate) -> DuplicateMatch | None:
    score = name_score(probe.tokens, name_tokens(rule, candidate))
    reasons = [REASON_NAME] if score >= rule.threshold else []
    for name, kind in kinds.items():
        reason = probe.exact.get(_exact_key_of_kind(kind, name, candidate[name]))
        if reason and reason not in reasons:
            reasons.append(reason)
    if not reasons:
        return None
    return DuplicateMatch(entity=entity, record_id=candidate["id"], title="", score=score, reasons=reasons)


def _with_titles(entity: Entity, matches: list[DuplicateMatch]) -> list[DuplicateMatch]:
    """Titles from the records themselves (a title may be a format or a function)."""
    if not matches:
        return matches
    model = entity.model
    found = {record.id: record for record in db.session.scalars(
        select(model).where(model.id.in_([match.record_id for match in matches])))}
    for match in matches:
        match.title = entity.title_of(found[match.record_id])
    return matches


# -- scoring -----------------------------------------------------------------------------------
def token_similarity(one: str, other: str) -> float:
    """0–1, by optimal string alignment: one typo (insertion, deletion, substitution or two
    swapped letters) in a 5-letter word still gives 0.8."""
    return OSA.normalized_similarity(one, other)


def name_score(tokens: list[str], other: list[str]) -> int:
    """0–100: the best pairing of the words of two names, whatever their order, each pair
    compared with ``token_similarity``; an unpaired word counts as 0."""
    if not tokens or not other:
        return 0
    shorter, longer = sorted((tokens, other), key=len)
    if len(longer) <= MAX_NAME_TOKENS:
        best = max(
            sum(token_similarity(one, two) for one, two in zip(shorter, arrangement, strict=False))
            for arrangement in permutations(longer, len(shorter))
        )
    else:
        best = sum(max(token_similarity(one, two) for two in longer) for one in shorter)
    return round(100 * best / len(longer))
