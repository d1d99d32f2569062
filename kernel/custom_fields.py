"""Custom fields: fields an administrator adds to any entity, without code.

Their definitions are rows of ``custom_fields``; their values live in the ``custom`` JSON column
that every record has (``kernel.entities.Record``). ``Entity.fields`` returns the declared fields
followed by the active custom fields, as ``FieldMeta`` objects with ``custom=True``, so forms,
lists, filters, exports, imports, history and the API treat them like any other field.

Definitions are read once per request (cached on ``flask.g``; outside a request they are read
each time) and forgotten when an administrator changes them.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache

from flask import has_app_context
from sqlalchemy import Boolean, Float, Integer, String, TypeDecorator, UniqueConstraint, select, type_coerce
from sqlalchemy.orm import Mapped, mapped_column

from kernel.choices import LABEL_MAX, ChoiceList, current_language
from kernel.db import Base, db
from kernel.entities import FieldMeta
from kernel.i18n import gettext as _
from kernel.i18n import lazy_gettext as _l
from kernel.request_state import forget_for_request, is_kept_for_request, keep_for_request, once_per_request

KEY_MAX = 64
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
# Names the list, filter and API URLs already use for something else.
RESERVED_KEYS = {"q", "sort", "page", "per_page", "cols", "mine", "list", "pos", "bom", "all", "ids",
                 "csrf_token", "continue", "version", "custom"}

# administrator's kind → (kind of FieldMeta, label)
KINDS = {
    "text": ("text", _l("Text")),
    "longtext": ("longtext", _l("Long text")),
    "number": ("decimal", _l("Number")),
    "date": ("date", _l("Date")),
    "choice": ("choice", _l("Choice list")),
    "checkbox": ("boolean", _l("Checkbox")),
}
_CACHE_KEY = "_passerelle_custom_fields"


class CustomField(Base):
    """The definition of a field an administrator added to an entity."""

    __tablename__ = "custom_fields"
    __table_args__ = (UniqueConstraint("entity", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(KEY_MAX))
    kind: Mapped[str] = mapped_column(String(20))
    label_en: Mapped[str] = mapped_column(String(LABEL_MAX))
    label_fr: Mapped[str] = mapped_column(String(LABEL_MAX))
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    show_in_list: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def list_name(self) -> str:
        return choice_list_name(self.entity, self.key)

    def label(self) -> BilingualLabel:
        return BilingualLabel(self.label_en, self.label_fr)


def choice_list_name(entity_name: str, key: str) -> str:
    """Where the options of a custom choice field are kept in ``choice_options``."""
    return f"custom:{entity_name}:{key}"


class BilingualLabel:
    """A label typed by an administrator in both languages, shown in the user's."""

    __slots__ = ("en", "fr")

    def __init__(self, en: str, fr: str):
        self.en, self.fr = en, fr

    def __str__(self) -> str:
        first, second = (self.fr, self.en) if current_language() == "fr" else (self.en, self.fr)
        return first or second

    def __repr__(self) -> str:
        return f"BilingualLabel({self.en!r}, {self.fr!r})"


# -- definitions → field metadata ---------------------------------------------------------------
def field_meta(definition: CustomField) -> FieldMeta:
    kind = KINDS[definition.kind][0]
    choices = ChoiceList(definition.list_name, register=False) if kind == "choice" else None
    return FieldMeta(
        kind=kind, label=definition.label(), required=definition.required, choices=choices,
        list=definition.show_in_list, name=definition.key, custom=True,
    )


_NONE: dict[str, FieldMeta] = {}  # an entity without custom fields: always this one (never changed)


def custom_metas(entity_name: str) -> dict[str, FieldMeta]:
    """``{key: FieldMeta}`` of the entity's active custom fields, in order (do not change it)."""
    return _active_metas().get(entity_name, _NONE)


def _active_metas() -> dict[str, dict[str, FieldMeta]]:
    if not has_app_context():
        return {}
    return once_per_request(_CACHE_KEY, _read_active_metas)


def _read_active_metas() -> dict[str, dict[str, FieldMeta]]:
    return _metas_of(db.session.scalars(_active_definitions()))


@cache  # built once: a list or record page reads it with its other settings (kernel.onepass)
def _active_definitions():
    return (select(CustomField).where(CustomField.active.is_(True))
            .order_by(CustomField.entity, CustomField.position, CustomField.id))


def _metas_of(definitions) -> dict[str, dict[str, FieldMeta]]:
    metas: dict[str, dict[str, FieldMeta]] = {}
    for definition in definitions:
        metas.setdefault(definition.entity, {})[definition.key] = field_meta(definition)
    return metas


READ_KEY = "settings:custom_fields"


def add_definitions_read(reads) -> None:
    """The active definitions, read with a page's other reads (``kernel.onepass``) unless the
    request has them already; ``keep_definitions_read`` keeps them for the rest of the request."""
    if not is_kept_for_request(_CACHE_KEY):
        reads.rows(READ_KEY, _active_definitions(), params={})


def keep_definitions_read(found: dict) -> None:
    if READ_KEY in found:
        keep_for_request(_CACHE_KEY, _metas_of(found[READ_KEY]))


def forget_definitions() -> None:
    """Call after changing ``custom_fields``: the rest of the request reads them again."""
    forget_for_request(_CACHE_KEY)


def signature(metas: dict[str, FieldMeta]) -> tuple:
    """What a schema depends on: a new schema is built when this changes."""
    return tuple((meta.name, meta.kind, meta.required) for meta in metas.values())


def definitions_of(entity_name: str) -> list[CustomField]:
    """Every custom field of an entity, inactive ones included (for the administration)."""
    return list(db.session.scalars(
        select(CustomField).where(CustomField.entity == entity_name)
        .order_by(CustomField.position, CustomField.id)
    ))


# -- values: JSON in the database, Python in the application -------------------------------------
def plain_number(value) -> Decimal | None:
    """A number as a Decimal without a needless ".0" (12.0 → 12)."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number.to_integral_value() if number == number.to_integral_value() else number


def to_json(meta: FieldMeta, value):
    """A loaded value as the JSON column keeps it."""
    if value is None:
        return None
    if meta.kind == "decimal":
        number = Decimal(value)
        return int(number) if number == number.to_integral_value() else float(number)
    if meta.kind == "date":
        return value.isoformat()
    if meta.kind == "boolean":
        return bool(value)
    return str(value)


def from_json(meta: FieldMeta, value):
    """A value of the JSON column as the rest of the application expects it."""
    if meta.kind == "boolean":
        return bool(value)
    if value is None or value == "":
        return None
    if meta.kind == "decimal":
        return plain_number(value)
    if meta.kind == "date":
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            return None
    return str(value)


# -- SQL expressions ----------------------------------------------------------------------------
class IsoDate(TypeDecorator):
    """A date kept as an ISO string in JSON: compared with dates, read back as dates."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return value.isoformat() if isinstance(value, date) else value

    def process_result_value(self, value, dialect):
        try:
            return date.fromisoformat(value) if value else None
        except (TypeError, ValueError):
            return None


class JsonNumber(TypeDecorator):
    """A number kept in JSON: compared as a float, read back as a Decimal."""

    impl = Float
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return float(value) if isinstance(value, Decimal) else value

    def process_result_value(self, value, dialect):
        return plain_number(value) if value is not None else None


def column_expression(model, meta: FieldMeta):
    """The SQL expression of a custom field, typed, the same on SQLite and PostgreSQL."""
    element = model.custom[meta.name]
    if meta.kind == "decimal":
        return type_coerce(element.as_float(), JsonNumber())
    if meta.kind == "boolean":
        return element.as_boolean()
    if meta.kind == "date":
        return type_coerce(element.as_string(), IsoDate())
    return element.as_string()


# -- administration -----------------------------------------------------------------------------
def key_problem(entity, key: str) -> str | None:
    """Why ``key`` cannot name a new custom field of ``entity`` (a message), or None."""
    if not key:
        return _("This field is required.")
    if len(key) > KEY_MAX or not KEY_PATTERN.match(key):
        return _("Use lower-case letters, digits and single underscores, starting with a letter "
                 "(at most %(max)d characters).", max=KEY_MAX)
    if key in RESERVED_KEYS or key in entity.model.__table__.columns or hasattr(entity.model, key):
        return _("This name is already used by the record; choose another.")
    taken = db.session.scalar(
        select(CustomField.id).where(CustomField.entity == entity.name, CustomField.key == key)
    )
    if taken is not None:
        return _("Another field of this record already has this name.")
    return None
