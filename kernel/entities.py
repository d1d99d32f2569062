"""Entities: record types declared once by plugins, from which the kernel derives everything.

A plugin writes::

    class Client(Record, Assignable):
        __tablename__ = "clients"
        __entity__ = Entity(name="client", plural="clients", label=_l("Client"), ...)
        last_name: Mapped[str] = field("text", label=_l("Last name"), required=True,
                                       searchable=True, list=True)

and the kernel derives the schema, views, API, history and trash from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    event,
    select,
)
from sqlalchemy import (
    false as sql_false,
)
from sqlalchemy import (
    text as sql_text,
)
from sqlalchemy import (
    true as sql_true,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from kernel.choices import ChoiceList
from kernel.db import Base, utcnow
from kernel.i18n import lazy_gettext as _l
from kernel.text import digits, fold

if TYPE_CHECKING:
    from kernel.duplicates import DuplicateRule

TEXT_MAX = 255

KIND_TYPES = {
    "text": lambda: String(TEXT_MAX),
    "longtext": lambda: Text(),
    "email": lambda: String(TEXT_MAX),
    "phone": lambda: String(50),
    "url": lambda: String(TEXT_MAX),
    "integer": lambda: Integer(),
    "decimal": lambda: Numeric(12, 2),
    "date": lambda: Date(),
    "datetime": lambda: DateTime(),
    "boolean": lambda: Boolean(),
    "choice": lambda: String(50),
    "country": lambda: String(2),
    "user": lambda: Integer(),
    "reference": lambda: Integer(),
    "related": lambda: String(80),  # "<entity>:<id>", a record of any relatable entity
}



@dataclass
class FieldMeta:
    """What the kernel knows about one field of an entity."""

    kind: str
    label: object
    required: bool = False
    choices: ChoiceList | None = None
    searchable: bool = False
    filterable: bool = True
    list: bool = False
    sortable: bool = True
    editable: bool = True
    report: bool = True
    help: object = None
    target: str | None = None  # table name of a "reference" field
    targets: tuple[str, ...] | None = None  # entity names a "related" field may point at (None: any relatable)
    unique: bool = False  # no two records may share a value
    identifier: bool = False  # unique whatever the case and spacing (kernel.identifiers); implies unique
    suggest_next: object = False  # the create form offers the next free number (True, or a function(entity, name))
    name: str = ""  # filled in by the registry
    custom: bool = False  # added by an administrator (kernel.custom_fields), kept in record.custom

    @property
    def max_length(self) -> int | None:
        return TEXT_MAX if self.kind in {"text", "email", "url"} else (50 if self.kind == "phone" else None)


def field(
    kind: str = "text",
    *,
    label,
    required: bool = False,
    choices: ChoiceList | None = None,
    searchable: bool = False,
    filterable: bool = True,
    list: bool = False,  # noqa: A002 - reads naturally in declarations
    sortable: bool = True,
    editable: bool = True,
    report: bool = True,
    help=None,
    target: str | None = None,
    targets: tuple[str, ...] | None = None,
    unique: bool = False,
    identifier: bool = False,
    suggest_next=False,
    index: bool = False,
    default=None,
):
    """A mapped column carrying field metadata. ``kind`` is one of ``KIND_TYPES``."""
    if kind not in KIND_TYPES:
        raise ValueError(f"unknown field kind {kind!r}")
    if kind == "choice" and choices is None:
        raise ValueError("a choice field needs choices=ChoiceList(...)")
    unique = unique or identifier
    meta = FieldMeta(
        kind=kind, label=label, required=required, choices=choices, searchable=searchable,
        filterable=filterable, list=list, sortable=sortable, editable=editable, report=report,
        help=help, target=target, targets=tuple(targets) if targets else None, unique=unique,
        identifier=identifier, suggest_next=suggest_next,
    )
    args = [KIND_TYPES[kind]()]
    if kind == "user":
        args.append(ForeignKey("users.id", ondelete="SET NULL"))
    elif kind == "reference":
        if not target:
            raise ValueError("a reference field needs target='<table name>'")
        args.append(ForeignKey(f"{target}.id", ondelete="SET NULL"))
    extra = {}
    if kind == "boolean":
        default = bool(default)
        extra["server_default"] = sql_true() if default else sql_false()
    return mapped_column(
        *args, nullable=not required and kind != "boolean",
        index=(index or kind in {"user", "reference", "related"}) and not unique, unique=unique or None,
        default=default, info={"field": meta}, **extra,
    )


class Record(Base):
    """Columns every record has: identity, authorship, optimistic locking, soft delete, search."""

    __abstract__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)
    deleted_at: Mapped[datetime | None] = mapped_column()
    search_text: Mapped[str] = mapped_column(Text, default="")
    custom: Mapped[dict] = mapped_column(JSON, default=dict, server_default=sql_text("'{}'"))

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        table = getattr(cls, "__table__", None)
        if table is not None and "deleted_at" in table.c:
            _add_trash_index(table)

    @declared_attr.directive
    def __mapper_args__(cls):
        # Columns with a server default also have a Python one: nothing needs fetching back
        # after an INSERT, so that many new rows go in one executemany (imports).
        return {"version_id_col": cls.__table__.c.version, "eager_defaults": False}


def _add_trash_index(table) -> None:
    """Only the trash is looked up by ``deleted_at``: a partial index serves it without tempting
    the planner to use it for "not in the trash", which is almost every row. Added to every
    record table whatever ``__table_args__`` its model declares."""
    name = f"ix_{table.name}_in_trash"
    if any(index.name == name for index in table.indexes):
        return
    in_trash = sql_text("deleted_at IS NOT NULL")
    Index(name, table.c.deleted_at, sqlite_where=in_trash, postgresql_where=in_trash)


class Assignable:
    """Mixin for records that belong to a staff member ("My items")."""

    assigned_user_id: Mapped[int | None] = field("user", label=_l("Assigned to"), index=True)


@dataclass
class Closing:
    """Records for which ``is_closed(record)`` is true are read-only: the kernel refuses to change
    or delete them through forms, inline edits, mass actions, imports and the API, and hides their
    edit buttons, until a user holding ``reopen_permission`` reopens them, which applies
    ``reopen_values`` (e.g. ``{"status": "active"}``) and is written in the history.
    A closed case file or a closed contact-centre contact are such records."""

    is_closed: object  # function(record) -> bool
    message: object  # shown when a change is refused, e.g. _l("This case file is closed.")
    reopen_permission: str
    reopen_values: dict


@dataclass
class Entity:
    """The declaration of a record type, set as ``__entity__`` on its model."""

    name: str
    plural: str
    label: object
    label_plural: object
    title: str
    create_label: object = None
    list_label: object = None
    icon: str = "▣"
    default_sort: str = "-id"
    permission: str | None = None  # permission prefix; defaults to the plugin's name
    duplicates: DuplicateRule | None = None  # duplicate detection (kernel.duplicates)
    relatable: bool = False  # other modules' "related to" fields may point at its records
    hints: tuple[str, ...] = ()  # fields a picker shows after the title to tell records apart (a client's city)
    validators: tuple = ()  # functions(values: dict) -> {field: message} checked on every save
    closing: Closing | None = None  # read-only records once closed (see Closing)
    person: bool = False  # a record about one person: consents, export and erasure apply (docs/privacy.md)
    sensitive: bool = False  # reads of its records are logged: who saw what (docs/privacy.md)
    model: type | None = None
    plugin: str | None = None
    fts_table: str | None = None  # set by kernel.search_index when the quick-search index exists
    sort_indexes: dict = dataclass_field(default_factory=dict)  # SQLite: {field: its sort index}, set by kernel.search_index
    folded_names: list = dataclass_field(default_factory=list)  # PostgreSQL: name fields with a folded index, likewise
    declared_fields: dict[str, FieldMeta] = dataclass_field(default_factory=dict)

    # -- derived from the model -------------------------------------------------------------
    def bind(self, model: type, plugin: str) -> None:
        self.model = model
        self.plugin = plugin
        self.permission = self.permission or plugin
        self.declared_fields = {}
        self.__dict__.pop("_merged_fields", None)
        for column in model.__table__.columns:
            meta = column.info.get("field")
            if meta is None:
                continue
            meta.name = column.key
            self.declared_fields[column.key] = meta

    @property
    def fields(self) -> dict[str, FieldMeta]:
        """The declared fields, then the active custom fields (read once per request)."""
        return self._merged()[1]

    @property
    def custom_fields(self) -> dict[str, FieldMeta]:
        """The active custom fields; a field the plugin declares later wins over one of the same name."""
        return self._merged()[0]

    def _merged(self) -> tuple[dict[str, FieldMeta], dict[str, FieldMeta]]:
        """``(custom fields, all fields)``, merged once per reading of the custom fields (once per
        request: ``kernel.custom_fields`` keeps its reading on ``flask.g``). The reading is kept
        with its result, so that its identity cannot be reused by another request's."""
        from kernel.custom_fields import custom_metas

        metas = custom_metas(self.name)
        merged = self.__dict__.get("_merged_fields")
        if merged is not None and merged[0] is metas:
            return merged[1], merged[2]
        if any(name in self.declared_fields for name in metas):
            custom = {name: meta for name, meta in metas.items() if name not in self.declared_fields}
        else:
            custom = metas
        every = {**self.declared_fields, **custom} if custom else self.declared_fields
        self.__dict__["_merged_fields"] = (metas, custom, every)
        return custom, every

    @property
    def list_fields(self) -> list[FieldMeta]:
        return [meta for meta in self.fields.values() if meta.list]

    @property
    def searchable_fields(self) -> list[FieldMeta]:
        """Declared fields only: the quick search does not look into custom fields."""
        return [meta for meta in self.declared_fields.values() if meta.searchable]

    @property
    def editable_fields(self) -> list[FieldMeta]:
        return [meta for meta in self.fields.values() if meta.editable]

    @property
    def assignable(self) -> bool:
        return "assigned_user_id" in self.declared_fields

    def column(self, name: str):
        """The SQL expression of a field, for filters and sorting (typed JSON for a custom field)."""
        if name in self.declared_fields:
            return getattr(self.model, name)
        meta = self.custom_fields.get(name)
        if meta is None:
            return getattr(self.model, name)
        from kernel.custom_fields import column_expression

        return column_expression(self.model, meta)

    def value_of(self, record, name: str):
        """A field's value on a record; a custom field's is read from ``record.custom``."""
        if name in self.declared_fields:
            return getattr(record, name, None)
        meta = self.custom_fields.get(name)
        if meta is None:
            return getattr(record, name, None)
        from kernel.custom_fields import from_json

        return from_json(meta, (getattr(record, "custom", None) or {}).get(name))

    def can(self, user, action: str) -> bool:
        return bool(user) and user.can(f"{self.permission}.{action}")

    def is_closed(self, record) -> bool:
        return self.closing is not None and bool(self.closing.is_closed(record))

    def can_change(self, user, record, action: str) -> bool:
        """May ``user`` edit or delete this very record (the permission, and the record not closed)?"""
        return self.can(user, action) and not self.is_closed(record)

    def can_merge(self, user) -> bool:
        """Administrators merge any entity's duplicates (``kernel.merge``); a plugin may let others
        merge its own by declaring ``<prefix>.merge``."""
        return bool(user) and (user.can("kernel.merge") or user.can(f"{self.permission}.merge"))

    def can_reopen(self, user, record) -> bool:
        return self.is_closed(record) and bool(user) and user.can(self.closing.reopen_permission)

    def title_of(self, record) -> str:
        if callable(self.title):
            title = self.title(record)
        else:
            values = {name: (getattr(record, name, None) or "") for name in self.declared_fields}
            title = self.title.format(id=record.id, **values).strip()
        return title or f"{self.label} #{record.id}"

    def search_text_of(self, record) -> str:
        parts = []
        for meta in self.searchable_fields:
            value = getattr(record, meta.name, None)
            if value in (None, ""):
                continue
            parts.append(fold(value))
            if meta.kind == "phone":
                parts.append(digits(value))
        return " ".join(parts)

    def active(self):
        """SELECT of the records not in the trash."""
        return select(self.model).where(self.model.deleted_at.is_(None))


@event.listens_for(Record, "before_insert", propagate=True)
@event.listens_for(Record, "before_update", propagate=True)
def _refresh_search_text(_mapper, _connection, record):
    entity = getattr(type(record), "__entity__", None)
    if isinstance(entity, Entity) and entity.model is not None:
        record.search_text = entity.search_text_of(record)


def bilingual_title(french: str, english: str):
    """A title in the user's language, for records named in both (``name_fr``, ``name_en``)."""

    def title(record) -> str:
        from flask_babel import get_locale

        locale = str(get_locale() or "fr")
        first, second = (english, french) if locale == "en" else (french, english)
        return str(getattr(record, first, None) or getattr(record, second, None) or "")

    return title


class EntityRegistry:
    """The enabled entities, by name and by plural (URL segment)."""

    def __init__(self):
        self._by_name: dict[str, Entity] = {}
        self._by_plural: dict[str, Entity] = {}
        self._by_table: dict[str, Entity] = {}

    def register(self, model: type, plugin: str) -> Entity:
        entity = getattr(model, "__entity__", None)
        if not isinstance(entity, Entity):
            raise TypeError(f"{model.__name__} has no __entity__ = Entity(...) declaration")
        entity.bind(model, plugin)
        for index, key in ((self._by_name, entity.name), (self._by_plural, entity.plural)):
            if key in index:
                raise ValueError(f"entity {key!r} is declared twice")
            index[key] = entity
        self._by_table[model.__tablename__] = entity
        return entity

    def __iter__(self):
        return iter(self._by_name.values())

    def __len__(self):
        return len(self._by_name)

    def get(self, name: str) -> Entity | None:
        return self._by_name.get(name)

    def by_plural(self, plural: str) -> Entity | None:
        return self._by_plural.get(plural)

    def by_table(self, table: str) -> Entity | None:
        return self._by_table.get(table)
