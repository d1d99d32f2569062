"""The declarations of every enabled plugin, merged per entity, and the kernel's defaults."""

from __future__ import annotations

from dataclasses import dataclass, replace

from kernel.personal_data import CREATED_EVENT, LAST_CHANGE_EVENT, IdentifyingData

# Kinds that say who someone is (a name, an address, a phone, a birth date); the others (choices,
# numbers, booleans, moments, links) are what statistics count and are kept.
IDENTIFYING_KINDS = frozenset({"text", "longtext", "email", "phone", "url", "date"})


def declarations() -> dict[str, IdentifyingData]:
    from kernel.registry import plugins

    merged: dict[str, IdentifyingData] = {}
    for declaration in plugins().collect("passerelle_identifying_data"):
        merged[declaration.entity] = _merge(merged.get(declaration.entity), declaration)
    return merged


def _merge(first: IdentifyingData | None, second: IdentifyingData) -> IdentifyingData:
    if first is None:
        return second
    return IdentifyingData(
        entity=first.entity, fields=tuple(dict.fromkeys(first.fields + second.fields)),
        coarsen={**first.coarsen, **second.coarsen}, keeps=first.keeps or second.keeps,
        persons={**first.persons, **second.persons}, detach=first.detach + second.detach,
        dependants=_both(first.dependants, second.dependants), blocks=_either(first.blocks, second.blocks),
        events=first.events + second.events, linked=first.linked or second.linked)


def _both(first, second):
    if not (first and second):
        return first or second

    def dependants(ids, deleting):
        return {**(first(ids, deleting) or {}), **(second(ids, deleting) or {})}
    return dependants


def _either(first, second):
    if not (first and second):
        return first or second
    return lambda record: first(record) or second(record)


def declaration_of(entity, known: dict | None = None) -> IdentifyingData:
    """The entity's declaration, or the kernel's default one (a person entity's identifying kinds)."""
    known = declarations() if known is None else known
    declared = known.get(entity.name)
    if declared is None:
        return IdentifyingData(entity=entity.name, fields=default_fields(entity))
    if not declared.fields and entity.person:  # a plugin adding only dependants to a person entity
        return replace(declared, fields=default_fields(entity))
    return declared


def default_fields(entity) -> tuple[str, ...]:
    if not entity.person:
        return ()
    return tuple(name for name, meta in entity.declared_fields.items() if meta.kind in IDENTIFYING_KINDS)


def identifying_fields(entity, known: dict | None = None) -> tuple[str, ...]:
    declared = declaration_of(entity, known)
    return tuple(dict.fromkeys(declared.fields + tuple(declared.persons) + tuple(declared.coarsen)))


def kept_in_history(entity, known: dict | None = None) -> set[str]:
    """Fields whose old and new values the history keeps after anonymisation: declared fields of
    a counting kind that nothing declares identifying. Every other value (custom fields, form
    sections, text) is emptied."""
    identifying = set(identifying_fields(entity, known))
    return {name for name, meta in entity.declared_fields.items()
            if meta.kind not in IDENTIFYING_KINDS and name not in identifying}


def statistics_kept(entity, known: dict | None = None) -> dict:
    """``{field: label}``: what an anonymised record still holds that a retention rule may also
    empty (the counting fields, and those kept less precise); a column that cannot be empty is
    left out."""
    declared = declaration_of(entity, known)
    columns = entity.model.__table__.columns
    names = sorted(kept_in_history(entity, known) | set(declared.coarsen))
    return {name: entity.declared_fields[name].label for name in names
            if name in columns and columns[name].nullable and name in entity.declared_fields
            and not columns[name].primary_key}


def events_of(entity, known: dict | None = None) -> dict:
    declared = declaration_of(entity, known)
    return {event.key: event for event in (CREATED_EVENT, LAST_CHANGE_EVENT, *declared.events)}


@dataclass(frozen=True)
class Link:
    """A field of ``entity`` pointing at records of another: a reference (the id) or a "related
    to" field (``"client:42"``)."""

    entity: object
    name: str
    related: bool
    nullable: bool

    def values(self, target, ids) -> list:
        return [f"{target.name}:{record_id}" for record_id in ids] if self.related else list(ids)

    def target_id(self, value) -> int | None:
        if not self.related:
            return value
        name, _sep, number = str(value or "").partition(":")
        return int(number) if number.isascii() and number.isdigit() else None


def links_to(target, registry) -> list[Link]:
    """Every field of every enabled entity that may point at records of ``target``."""
    table = target.model.__tablename__
    links = []
    for entity in registry:
        for name, meta in entity.declared_fields.items():
            column = entity.model.__table__.columns[name]
            if meta.kind == "reference" and meta.target == table:
                links.append(Link(entity, name, False, column.nullable))
            elif meta.kind == "related" and target.relatable and (meta.targets is None or target.name in meta.targets):
                links.append(Link(entity, name, True, column.nullable))
    return links


def check(app, plugin_set) -> None:
    """Stop the start on a declaration naming a field its entity does not have (a typo would leave
    a person's name behind after anonymisation). Declarations for entities of a disabled plugin
    are ignored."""
    from kernel.plugins import PluginError

    registry = app.extensions["passerelle.entities"]
    with app.app_context():
        declared = plugin_set.collect("passerelle_identifying_data")
    for declaration in declared:
        entity = registry.get(declaration.entity)
        if entity is None:
            continue
        columns = entity.model.__table__.columns
        named = (*declaration.fields, *declaration.coarsen, *declaration.persons, *declaration.detach)
        unknown = [name for name in named if name not in columns]
        if unknown:
            raise PluginError(f"the identifying data of {declaration.entity!r} names fields it does not have: "
                              f"{', '.join(unknown)}")
