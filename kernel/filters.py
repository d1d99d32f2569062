"""The advanced filter: conditions on several fields, with operators that fit each field's kind.

In a URL a condition is ``<field>__<operator>=<value>``: ``last_name__contains=trem``,
``file_status__in=open&file_status__in=closed``, ``arrival_date__between=2024-01-01&
arrival_date__between=2024-12-31``, ``email__empty=1``. The same engine serves the list views,
exports, mass actions, the API and reports.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup
from marshmallow import ValidationError
from sqlalchemy import and_, func, or_

from kernel.entities import Entity, FieldMeta
from kernel.i18n import gettext as _
from kernel.i18n import lazy_gettext as _l

OPERATOR_LABELS = {
    "contains": _l("contains"),
    "equals": _l("equals"),
    "starts": _l("starts with"),
    "in": _l("is one of"),
    "before": _l("before"),
    "after": _l("after"),
    "lt": _l("less than"),
    "gt": _l("greater than"),
    "between": _l("between"),
    "empty": _l("is empty"),
    "notempty": _l("is not empty"),
    "is": _l("is"),
}

TEXT_KINDS = {"text", "longtext", "email", "phone", "url"}
SET_KINDS = {"choice", "country", "user", "reference", "related"}
NUMBER_KINDS = {"integer", "decimal"}
DATE_KINDS = {"date", "datetime"}
VALUELESS = {"empty", "notempty"}


def operators_for(meta: FieldMeta) -> list[str]:
    if meta.kind in TEXT_KINDS:
        return ["contains", "equals", "starts", "empty", "notempty"]
    if meta.kind in SET_KINDS:
        return ["in", "equals", "empty", "notempty"]
    if meta.kind in NUMBER_KINDS:
        return ["equals", "lt", "gt", "between", "empty", "notempty"]
    if meta.kind in DATE_KINDS:
        return ["equals", "before", "after", "between", "empty", "notempty"]
    if meta.kind == "boolean":
        return ["is"]
    return ["equals"]


@dataclass
class Condition:
    field: str
    operator: str
    values: list  # coerced values (one, two for "between", several for "in", none for empty)
    raw: list[str]

    def query_items(self) -> list[tuple[str, str]]:
        key = f"{self.field}__{self.operator}"
        return [(key, value) for value in (self.raw or ["1"])]


class FilterError(ValueError):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(str(errors))
        self.errors = errors


def parse_conditions(entity: Entity, args) -> list[Condition]:
    """Read the conditions from request arguments (a MultiDict); raise ``FilterError`` on bad values."""
    from kernel.schemas import schema_for

    schema_fields = schema_for(entity).fields
    conditions, errors = [], {}
    for key in args:
        name, sep, operator = key.rpartition("__")
        meta = entity.fields.get(name) if sep else None
        if meta is None or not meta.filterable or operator not in operators_for(meta):
            continue
        raw = [value for value in args.getlist(key) if value != ""]
        if operator not in VALUELESS and not raw:
            continue
        try:
            values = _coerce(meta, operator, raw, schema_fields.get(name))
        except ValidationError as error:
            messages = error.messages if isinstance(error.messages, list) else [str(error.messages)]
            errors[name] = [_("%(field)s: %(message)s", field=meta.label, message=message) for message in messages]
            continue
        conditions.append(Condition(name, operator, values, raw))
    if errors:
        raise FilterError(errors)
    return conditions


def _coerce(meta: FieldMeta, operator: str, raw: list[str], schema_field) -> list:
    if operator in VALUELESS:
        return []
    if operator == "is":
        return [raw[0].lower() in {"1", "true", "yes", "on"}]
    if operator == "between" and len(raw) != 2:
        raise ValidationError([_("Give two values: from and to.")])
    if meta.kind in DATE_KINDS:  # a date-time is filtered by whole days
        from marshmallow import fields

        from kernel.schemas import KIND_MESSAGES

        return [fields.Date(error_messages={"invalid": KIND_MESSAGES["date"]}).deserialize(value) for value in raw]
    if schema_field is None or meta.kind in TEXT_KINDS:
        return [value.strip() for value in raw]
    if meta.kind == "choice":  # inactive options too: records may still hold them
        known = {value for value, _label in meta.choices.all_items()}
        if any(value not in known for value in raw):
            raise ValidationError([_("Choose one of the options offered.")])
        return list(raw)
    return [schema_field.deserialize(value) for value in raw]


def apply_conditions(entity: Entity, statement, conditions: list[Condition]):
    for condition in conditions:
        statement = statement.where(condition_clause(entity, condition))
    return statement


def condition_clause(entity: Entity, condition: Condition):
    meta = entity.fields[condition.field]
    column = entity.column(condition.field)
    values, operator = condition.values, condition.operator
    if operator == "empty":
        return or_(column.is_(None), column == "") if meta.kind in TEXT_KINDS else column.is_(None)
    if operator == "notempty":
        return and_(column.is_not(None), column != "") if meta.kind in TEXT_KINDS else column.is_not(None)
    if operator == "is":
        return column.is_(True) if values[0] else or_(column.is_(False), column.is_(None))
    if meta.kind == "datetime":
        return _datetime_clause(column, operator, values)
    if operator == "contains":
        return func.lower(column).contains(values[0].lower(), autoescape=True)
    if operator == "starts":
        return func.lower(column).startswith(values[0].lower(), autoescape=True)
    if operator == "equals" and meta.kind in TEXT_KINDS:
        return func.lower(column) == values[0].lower()
    if operator == "in":
        return column.in_(values)
    if operator in {"before", "lt"}:
        return column < values[0]
    if operator in {"after", "gt"}:
        return column > values[0]
    if operator == "between":
        low, high = sorted(values)
        return column.between(low, high)
    return column == values[0]


def _datetime_clause(column, operator, values):
    """Dates compared with date-times: "on 2025-03-07" is the whole day (in UTC)."""
    from datetime import datetime, time, timedelta

    def start(day):
        return datetime.combine(day, time.min)

    def end(day):  # the last day there is has no next day
        return start(day) + timedelta(days=1) if day < day.max else datetime.max

    if operator == "equals":
        return and_(column >= start(values[0]), column < end(values[0]))
    if operator == "before":
        return column < start(values[0])
    if operator == "after":
        return column >= end(values[0])
    low, high = sorted(values)
    return and_(column >= start(low), column < end(high))


def shared_options() -> Markup:
    """The option lists several fields of a filter panel share (a field's ``options`` then names
    one), as JSON for the panel's ``data-shared-options``: the countries, encoded once per language
    (two country fields made two thirds of a client list's filter panel)."""
    from kernel.countries import country_options_json

    return Markup('{"countries": ') + country_options_json() + Markup("}")


def conditions_json(conditions: list[Condition]) -> list[dict]:
    """The applied conditions, for the filter panel to show them again."""
    return [{"field": c.field, "operator": c.operator, "values": c.raw} for c in conditions]
