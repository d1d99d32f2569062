"""What anonymising or erasing some records reaches: the records themselves, the records about
the same person in every plugin, the links to clear and the reasons it may not go ahead.

A plan only reads: the dry run and the erasure preview show it, ``apply`` carries it out."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import select

from kernel.db import db
from kernel.i18n import gettext as _
from kernel.personal_data.declarations import declaration_of, declarations, links_to

ANONYMISE, DELETE = "anonymise", "delete"
CHUNK = 500


def chunks(values: Iterable, size: int = CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


@dataclass
class Blocker:
    entity: object
    record_id: int
    message: str


@dataclass
class Plan:
    """Records to anonymise and to delete, per entity name, in the order they were reached."""

    action: str
    anonymise: dict = field(default_factory=lambda: defaultdict(set))
    delete: dict = field(default_factory=lambda: defaultdict(set))
    detach: dict = field(default_factory=lambda: defaultdict(set))  # (entity name, field) -> ids
    order: list = field(default_factory=list)  # entities, first reached first
    blockers: list = field(default_factory=list)
    cleared: dict = field(default_factory=dict)  # entity name -> fields a retention rule also empties

    def seen(self, name: str) -> set:
        return self.anonymise.get(name, set()) | self.delete.get(name, set())

    def add(self, entity, ids: set, action: str) -> None:
        if entity not in self.order:
            self.order.append(entity)
        (self.delete if action == DELETE else self.anonymise)[entity.name].update(ids)

    def counts(self) -> dict[str, dict[str, int]]:
        """``{entity name: {"anonymised": n, "deleted": n}}``, entities in the order reached."""
        return {entity.name: {"anonymised": len(self.anonymise.get(entity.name, ())),
                              "deleted": len(self.delete.get(entity.name, ()))} for entity in self.order}

    @property
    def total(self) -> int:
        return sum(len(ids) for ids in self.anonymise.values()) + sum(len(ids) for ids in self.delete.values())


def plan(entity, ids: Iterable[int], action: str = ANONYMISE, *,
         held: Callable[[str, set], set] | None = None) -> Plan:
    """Everything that anonymising (or deleting) these records of ``entity`` reaches.

    ``held(entity name, ids)`` gives those of the ids under a legal hold: they are blockers."""
    from kernel.registry import entities

    registry, known = entities(), declarations()
    result = Plan(action)
    queue = deque([(entity, set(ids), action)])
    candidates: dict = defaultdict(set)  # person entity name -> ids whose link was cleared
    while queue:
        while queue:
            current, wanted, how = queue.popleft()
            new = set(wanted) - result.seen(current.name)
            if not new:
                continue
            result.add(current, new, how)
            _find_blockers(result, current, new, known, held)
            queue.extend(_dependants(result, current, new, how, registry, known))
            _people_of(result, current, new, known, candidates)
        for person_name, person_ids in list(candidates.items()):
            person = registry.get(person_name)
            orphans = _without_other_records(person, person_ids - result.seen(person_name), result, registry)
            candidates[person_name] = set()
            if person is not None and orphans:
                queue.append((person, orphans, ANONYMISE if action == ANONYMISE else DELETE))
    return result


def _find_blockers(result: Plan, entity, ids: set, known, held) -> None:
    if held:
        for record_id in sorted(held(entity.name, ids)):
            record = f"{entity.label} #{record_id}"
            result.blockers.append(Blocker(entity, record_id, _("A legal hold keeps %(record)s.", record=record)))
        _people_held(result, entity, ids, held)
    blocks = declaration_of(entity, known).blocks
    if blocks is None:
        return
    for part in chunks(sorted(ids)):
        for record in db.session.scalars(select(entity.model).where(entity.model.id.in_(part))):
            message = blocks(record)
            if message:
                result.blockers.append(Blocker(entity, record.id, str(message)))


def _people_held(result: Plan, entity, ids: set, held) -> None:
    """A hold on a person keeps every record about them: the records pointing at a held person."""
    from kernel.registry import entities

    registry = entities()
    people: dict = defaultdict(set)
    for name, meta in entity.declared_fields.items():
        if meta.kind not in ("reference", "related"):
            continue
        column = getattr(entity.model, name)
        for part in chunks(sorted(ids)):
            for value in db.session.scalars(select(column).where(entity.model.id.in_(part), column.is_not(None))):
                person, person_id = _person_of(registry, meta, value)
                if person is not None and person.person:
                    people[person.name].add(person_id)
    for person_name, person_ids in people.items():
        for person_id in sorted(held(person_name, person_ids)):
            person = registry.get(person_name)
            record = f"{person.label} #{person_id}"
            result.blockers.append(Blocker(person, person_id, _("A legal hold keeps %(record)s.", record=record)))


def _person_of(registry, meta, value):
    if meta.kind == "reference":
        return registry.by_table(meta.target), value
    name, _sep, number = str(value).partition(":")
    return (registry.get(name), int(number)) if number.isascii() and number.isdigit() else (None, None)


def _dependants(result: Plan, target, ids: set, how: str, registry, known):
    """Records of every entity pointing at these: about the same person (anonymised or deleted
    with them), or about someone else (only their link is cleared)."""
    for link in links_to(target, registry):
        column = getattr(link.entity.model, link.name)
        found = set()
        for part in chunks(link.values(target, ids)):
            found.update(db.session.scalars(select(link.entity.model.id).where(column.in_(part))))
        if not found:
            continue
        someone_else = link.entity.person or link.name in declaration_of(link.entity, known).detach
        if someone_else or (how == ANONYMISE and link.entity.name == target.name):
            if link.nullable:
                result.detach[(link.entity.name, link.name)].update(found)
            continue
        yield link.entity, found, (DELETE if how == DELETE and not link.nullable else ANONYMISE)
    for name, declared in known.items():
        dependant = registry.get(name) if declared.linked else None
        if dependant is not None and dependant.name != target.name:
            found = set(declared.linked(target, sorted(ids)) or ())
            if found:
                yield dependant, found, how


def _people_of(result: Plan, entity, ids: set, known, candidates) -> None:
    """The people these records are about (``IdentifyingData.persons``): their links are
    cleared, and each becomes a candidate for anonymisation once nothing else points at them."""
    model = entity.model
    for name, person_name in declaration_of(entity, known).persons.items():
        column = getattr(model, name)
        nullable = model.__table__.columns[name].nullable  # a required link stays; the record is anonymised anyway
        for part in chunks(sorted(ids)):
            for record_id, person_id in db.session.execute(
                    select(model.id, column).where(model.id.in_(part), column.is_not(None))):
                if nullable:
                    result.detach[(entity.name, name)].add(record_id)
                candidates[person_name].add(person_id)


def _without_other_records(person, person_ids: set, result: Plan, registry) -> set:
    if person is None or not person_ids:
        return set()
    referred = set()
    for link in links_to(person, registry):
        planned = result.seen(link.entity.name)
        column = getattr(link.entity.model, link.name)
        detached = result.detach.get((link.entity.name, link.name), set())
        for part in chunks(link.values(person, person_ids)):
            for record_id, value in db.session.execute(
                    select(link.entity.model.id, column).where(column.in_(part))):
                if record_id not in planned and record_id not in detached:
                    referred.add(link.target_id(value))
    return person_ids - referred
