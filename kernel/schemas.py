"""The marshmallow schema of an entity, derived from its field metadata.

One schema validates every way in: HTML forms, the REST API and imports. Messages are lazy
translations, so a French user gets French errors.

We build the fields from the kernel's field metadata rather than through marshmallow-sqlalchemy:
the metadata knows more than the SQL types (an e-mail, a phone number, a choice list), and the
derivation stays one short function.
"""

from __future__ import annotations

from datetime import UTC

from flask_babel import get_timezone
from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate
from marshmallow import missing as ABSENT
from sqlalchemy import select

from kernel.contact_values import EmailNotValidError, PhoneNotValid, formatted_phone, normalized_email
from kernel.countries import country_codes
from kernel.db import db
from kernel.entities import Entity, FieldMeta
from kernel.i18n import gettext as _
from kernel.i18n import lazy_gettext as _l
from kernel.identifiers import Identifier
from kernel.related import Related
from kernel.validators import NotAWebAddress, web_address

REQUIRED = _l("This field is required.")
MESSAGES = {
    "required": REQUIRED,
    "null": REQUIRED,
    "invalid": _l("This value is not valid."),
}
KIND_MESSAGES = {
    "integer": _l("Enter a whole number."),
    "decimal": _l("Enter a number."),
    "date": _l("Enter a valid date."),
    "datetime": _l("Enter a valid date and time."),
    "boolean": _l("Choose yes or no."),
}


# What the database columns hold: PostgreSQL's ``integer`` (ids, whole numbers) and the
# ``Numeric(12, 2)`` of decimal fields. A larger value is refused here rather than by the database.
INTEGER_RANGE = (-(2**31), 2**31 - 1)
DECIMAL_LIMIT = 10**10
OUT_OF_RANGE = _l("This number is too large.")
UNSAVABLE_TEXT = _l("This text contains a character that cannot be saved (a NUL or an invalid character).")


def savable_text(value) -> bool:
    """No NUL (PostgreSQL refuses it) and no lone surrogate (it cannot be encoded in UTF-8): JSON
    can carry both (``"\\u0000"``, ``"\\ud800"``)."""
    if not isinstance(value, str):
        return True
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def in_integer_range(value) -> bool:
    return INTEGER_RANGE[0] <= value <= INTEGER_RANGE[1]


def _integer_range(value):
    if not in_integer_range(value):
        raise ValidationError(str(OUT_OF_RANGE))


def _decimal_range(value):
    if not -DECIMAL_LIMIT < value < DECIMAL_LIMIT:
        raise ValidationError(str(OUT_OF_RANGE))


class Email(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return normalized_email(text)
        except EmailNotValidError as error:
            raise ValidationError(_("Enter a valid e-mail address, such as name@example.org.")) from error


class Phone(fields.String):
    """Any way of writing a phone number; stored in one readable format."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return formatted_phone(text)
        except PhoneNotValid as error:
            raise ValidationError(_("Enter a valid phone number, such as 867-979-1234.")) from error


class WebAddress(fields.String):
    """A web address (http or https only); "example.org" is taken as "https://example.org"."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return web_address(text)
        except NotAWebAddress as error:
            raise ValidationError(_("Enter a full web address, such as https://example.org.")) from error


class UtcDateTime(fields.DateTime):
    """A date and time; naive input is in the user's time zone. Stored as naive UTC."""

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            if moment.tzinfo is None:
                moment = get_timezone().localize(moment)  # pytz: replace(tzinfo=) would take the zone's LMT offset
            return moment.astimezone(UTC).replace(tzinfo=None)
        except OverflowError as error:  # year 1 or 9999 moved across midnight by the time zone
            raise self.make_error("invalid") from error

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        if value.tzinfo is None:  # as stored: naive UTC (every list row has two or more)
            return value.isoformat() + "Z"
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _choice_validator(meta: FieldMeta):
    def check(value):
        if value not in meta.choices.values():
            raise ValidationError(_("Choose one of the options offered."))

    return check


def _country_validator(value):
    if value not in country_codes():
        raise ValidationError(_("Choose a country from the list."))


def _exists_validator(meta: FieldMeta):
    def check(value):
        from kernel.users import User

        if not in_integer_range(value):  # no such id: the query itself would overflow
            raise ValidationError(_("Choose an active user.") if meta.kind == "user" else _("Choose an existing record."))
        if meta.kind == "user":
            found = db.session.scalar(select(User.id).where(User.id == value, User.active.is_(True)))
            if found is None:
                raise ValidationError(_("Choose an active user."))
            return
        from kernel.registry import entities

        target = entities().by_table(meta.target)
        if target is None:
            raise ValidationError(_("This kind of record is not available."))
        found = db.session.scalar(
            select(target.model.id).where(target.model.id == value, target.model.deleted_at.is_(None))
        )
        if found is None:
            raise ValidationError(_("Choose an existing record."))

    return check


def _not_blank(value):
    if isinstance(value, str) and not value.strip():
        raise ValidationError(str(REQUIRED))


def marshmallow_field(meta: FieldMeta) -> fields.Field:
    """The marshmallow field for one entity field."""
    messages = dict(MESSAGES)
    if meta.kind in KIND_MESSAGES:
        messages["invalid"] = KIND_MESSAGES[meta.kind]
    validators = []
    options = {"allow_none": not meta.required, "required": False, "error_messages": messages}
    if meta.max_length:
        validators.append(validate.Length(max=meta.max_length, error=_l("At most {max} characters.")))
    if meta.required:
        validators.append(_not_blank)
    if meta.kind == "choice":
        validators.append(_choice_validator(meta))
    if meta.kind == "country":
        validators.append(_country_validator)
    if meta.kind in {"user", "reference"}:
        validators.append(_exists_validator(meta))
    if meta.kind == "integer":
        validators.append(_integer_range)
    if meta.kind == "decimal":
        validators.append(_decimal_range)
        messages["special"] = KIND_MESSAGES["decimal"]
    options["validate"] = validators
    factory = {
        "text": Identifier if meta.identifier else fields.String,
        "longtext": fields.String,
        "url": WebAddress,
        "choice": fields.String,
        "country": fields.String,
        "email": Email,
        "phone": Phone,
        "integer": fields.Integer,
        "decimal": fields.Decimal,
        "date": fields.Date,
        "datetime": UtcDateTime,
        "boolean": fields.Boolean,
        "user": fields.Integer,
        "reference": fields.Integer,
        "related": lambda **options: Related(meta, **options),
    }[meta.kind]
    if meta.kind == "decimal":
        options["as_string"] = True
    return factory(**options)


class RecordSchema(Schema):
    """Reads custom fields from ``record.custom`` when dumping (``entity`` is set per class)."""

    entity: Entity | None = None

    def get_attribute(self, obj, attr, default):
        if attr in self._custom_names():
            return self.entity.value_of(obj, attr)
        return super().get_attribute(obj, attr, default)

    def _serialize(self, obj, *, many: bool = False):
        """Marshmallow's own loop, with each field's way to its value worked out once per schema
        instance: looking it up again for each value of a page (three calls deep) cost more than
        formatting the values."""
        if many and obj is not None:
            return [self._serialize(item) for item in obj]
        dumped = {}
        loaded = getattr(obj, "__dict__", {})  # a record's loaded columns, as SQLAlchemy keeps them
        for key, name, field, custom, column, as_is in self._dump_plan():
            if field is None:  # a field marshmallow must read itself (a default, no attribute)
                value = self.dump_fields[name].serialize(name, obj, accessor=self.get_attribute)
            else:
                if custom:
                    value = self.entity.value_of(obj, name)
                else:
                    value = loaded.get(name, ABSENT) if column else ABSENT
                    if value is ABSENT:  # not loaded (SQLAlchemy reads it), or not a column
                        value = getattr(obj, name, ABSENT)
                if value is not ABSENT and type(value) not in as_is:
                    value = field._serialize(value, name, obj)
            if value is not ABSENT:
                dumped[key] = value
        return dumped

    def _dump_plan(self) -> list[tuple]:
        plan = self.__dict__.get("_plan")
        if plan is None:
            columns = _column_names(self.entity)
            plan = self._plan = [
                (field.data_key or name, name,
                 field if field._CHECK_ATTRIBUTE and field.dump_default is ABSENT and field.attribute is None
                 else None,
                 name in self._custom_names(), name in columns, _written_as_is(field))
                for name, field in self.dump_fields.items()
            ]
        return plan

    def _custom_names(self) -> frozenset:
        """The entity's custom fields, looked up once per schema instance, not once per value."""
        names = self.__dict__.get("_custom_field_names")
        if names is None:
            names = self._custom_field_names = frozenset(self.entity.custom_fields if self.entity else ())
        return names


def _column_names(entity: Entity | None) -> frozenset:
    """The model's column attributes: a loaded one is read from the record's ``__dict__``, where
    SQLAlchemy keeps it, without the attribute's descriptor (a Python call for each value)."""
    if entity is None:
        return frozenset()
    return frozenset(entity.model.__mapper__.column_attrs.keys())


def _written_as_is(field) -> tuple[type, ...]:
    """The types of value marshmallow's own ``_serialize`` of ``field`` returns unchanged, so that
    the dump need not ask it: a text field's ``str`` (most values of a page) and ``None``, a whole
    number's ``int``."""
    method = type(field)._serialize
    if method is fields.String._serialize:
        return (str, type(None))
    if (method is fields.Number._serialize and type(field)._format_num is fields.Number._format_num
            and field.num_type is int and not field.as_string):
        return (int, type(None))
    return ()


def build_schema(entity: Entity) -> type[Schema]:
    """Schema class with the editable fields, plus read-only identity and timestamps."""
    fields_now = entity.fields
    declared = {name: marshmallow_field(meta) for name, meta in fields_now.items() if meta.editable}
    for name, meta in fields_now.items():
        if not meta.editable:
            declared[name] = marshmallow_field(meta)
            declared[name].dump_only = True
    declared.update(
        id=fields.Integer(dump_only=True),
        version=fields.Integer(dump_only=True),
        created_at=UtcDateTime(dump_only=True),
        updated_at=UtcDateTime(dump_only=True),
        created_by_id=fields.Integer(dump_only=True),
        updated_by_id=fields.Integer(dump_only=True),
    )
    schema_class = RecordSchema.from_dict(declared, name=f"{entity.model.__name__}Schema")
    schema_class.entity = entity
    schema_class.Meta.unknown = RAISE
    return schema_class


READ_ONLY_KEYS = {"id", "version", "created_at", "updated_at", "created_by_id", "updated_by_id"}


def load(entity: Entity, raw: dict, *, partial: bool, record=None) -> dict:
    """Validate and coerce ``raw``; raise ``ValidationError`` with ``{field: [messages]}``.

    With ``record``, a choice it already holds is accepted unchanged even when the option is no
    longer offered; new input must be one of the active options."""
    schema = schema_for(entity, partial=partial, unknown=RAISE)
    data = {key: value for key, value in raw.items() if key not in READ_ONLY_KEYS}
    unsavable = {key: [str(UNSAVABLE_TEXT)] for key, value in data.items() if not savable_text(value)}
    if unsavable:
        raise ValidationError(unsavable)
    kept = unchanged_choices(entity, record, data) if record is not None else {}
    missing = {} if partial else {
        name: [str(REQUIRED)] for name, meta in entity.fields.items()
        if meta.required and meta.editable and data.get(name, kept.get(name)) in (None, "")
    }
    try:
        loaded = schema.load({key: value for key, value in data.items() if key not in kept})
    except ValidationError as error:  # every problem at once: the missing fields too
        raise ValidationError({**missing, **plain_messages(error.normalized_messages())}) from error
    if missing:
        raise ValidationError(missing)
    loaded.update(kept)
    return loaded


def plain_messages(messages: dict) -> dict:
    """``{field: [str]}`` with lazy translations evaluated and marshmallow's own words translated."""
    plain = {}
    for key, value in messages.items():
        items = value if isinstance(value, list) else [value]
        texts = [str(item) for item in items]
        plain[key] = [str(_l("This field does not exist.")) if text == "Unknown field." else text for text in texts]
    return plain


def unchanged_choices(entity: Entity, record, data: dict) -> dict:
    """The choice values of ``data`` that ``record`` already holds (they need no new check)."""
    return {
        name: value for name, value in data.items()
        if (meta := entity.fields.get(name)) is not None and meta.kind == "choice"
        and value not in (None, "") and value == entity.value_of(record, name)
    }


# entity id → (custom-field signature, schema, its shared instances): a new custom field gets a new
# schema at once.
_schemas: dict[int, tuple[tuple, type[Schema], dict]] = {}


def _cached_schema(entity: Entity) -> tuple[tuple, type[Schema], dict]:
    from kernel.custom_fields import signature

    key, current = id(entity), signature(entity.custom_fields)
    cached = _schemas.get(key)
    if cached is None or cached[0] != current:
        cached = _schemas[key] = (current, build_schema(entity), {})
    return cached


def entity_schema(entity: Entity) -> type[Schema]:
    return _cached_schema(entity)[1]


def schema_for(entity: Entity, **options) -> Schema:
    """One instance of the entity's schema per set of ``options``, shared by every request: making
    one deep-copies each of its fields (it cost more than dumping a page of records), and
    marshmallow's dump and load change nothing in an instance."""
    _signature, schema_class, instances = _cached_schema(entity)
    key = tuple(sorted(options.items()))
    instance = instances.get(key)
    if instance is None:
        instance = instances[key] = schema_class(**options)
    return instance


def dump(entity: Entity, record) -> dict:
    return schema_for(entity, unknown=EXCLUDE).dump(record)


def dump_many(entity: Entity, records) -> list[dict]:
    return schema_for(entity, unknown=EXCLUDE, many=True).dump(records)
