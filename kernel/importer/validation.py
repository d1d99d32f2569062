"""Validating a row with the entity's schema, as ``kernel.schemas.load`` does, but at the cost
of an import: one schema per import and one query per batch for the users and records it names."""

from __future__ import annotations

from collections.abc import Iterable

from marshmallow import RAISE, ValidationError
from sqlalchemy import false, select

from kernel.db import db
from kernel.entities import Entity, FieldMeta
from kernel.i18n import lazy_gettext as _l
from kernel.importer.mapping import importable_fields
from kernel.schemas import REQUIRED, entity_schema, plain_messages
from kernel.users import User

USER_NOT_FOUND = _l("Choose an active user.")
RECORD_NOT_FOUND = _l("Choose an existing record.")


class ExistingIds:
    """Replaces the schema's one-query-per-value check of user and reference fields: the ids that
    exist are loaded once per batch (users: once per import)."""

    def __init__(self, meta: FieldMeta, message):
        self.meta = meta
        self.message = message
        self.ids: set[int] = set()

    def load(self, values: Iterable) -> None:
        wanted = {value for value in values if isinstance(value, int)}
        if not wanted:
            self.ids = set()
            return
        self.ids = set(db.session.scalars(self._statement(wanted)))

    def _statement(self, wanted):
        if self.meta.kind == "user":
            return select(User.id).where(User.id.in_(wanted), User.active.is_(True))
        from kernel.registry import entities

        target = entities().by_table(self.meta.target)
        if target is None:
            return select(User.id).where(false())
        return select(target.model.id).where(target.model.id.in_(wanted), target.model.deleted_at.is_(None))

    def __call__(self, value) -> None:
        if value not in self.ids:
            raise ValidationError(str(self.message))


class RowValidator:
    """The entity's schema, instantiated once per import (instantiating it costs more than loading
    a row), checking exactly what ``kernel.schemas.load`` checks. It holds only the mapped fields:
    the others are never in a row, and marshmallow visits every field of a schema for each row."""

    def __init__(self, entity: Entity, mapping: list[str | None]):
        self.entity = entity
        schema_class = entity_schema(entity)
        mapped = sorted({name for name in mapping if name} & set(schema_class._declared_fields))
        self.schemas = {
            partial: schema_class(partial=partial, unknown=RAISE, only=mapped) for partial in (False, True)
        }
        self.required = [meta.name for meta in importable_fields(entity) if meta.required]
        self.existing = {
            meta.name: ExistingIds(meta, USER_NOT_FOUND if meta.kind == "user" else RECORD_NOT_FOUND)
            for name in mapping if name and (meta := entity.fields[name]).kind in ("user", "reference")
        }
        for schema in self.schemas.values():
            for name, check in self.existing.items():
                schema.fields[name].validators = [
                    validator for validator in schema.fields[name].validators
                    if getattr(validator, "__name__", "") != "check"
                ] + [check]

    def prepare(self, raws: list[dict]) -> None:
        """Load, in one query per user or reference column, the ids this batch points at."""
        for name, existing in self.existing.items():
            existing.load(raw.get(name) for raw in raws)

    def validate(self, raw: dict, *, partial: bool) -> tuple[dict, dict]:
        """``(values, {})`` or ``({}, {field: [messages]})``."""
        try:
            values = self.schemas[partial].load(raw)
        except ValidationError as error:
            return {}, plain_messages(error.normalized_messages())
        if not partial:
            missing = {name: [str(REQUIRED)] for name in self.required if values.get(name) in (None, "")}
            if missing:
                return {}, missing
        return values, {}
