"""Many small reads sent as one SQL statement (issue 18: a record's page in a handful of statements).

Each read is an ordinary ``select()`` (of a model, or of columns), usually limited. ``OnePass``
turns every one into a scalar subquery that returns its rows as a JSON array, puts them all in one
``SELECT``, and gives back each read's rows: model instances (transient: never added to the
session, so nothing is saved or refreshed behind the page's back) or named tuples, with every
value of its column's Python type.

    reads = OnePass()
    reads.rows("notes", select(Note).where(Note.related_to == link).limit(10))
    reads.scalar("unread", select(func.count()).select_from(Notification).where(...))
    found = reads.run()          # one statement, however many reads
    found["notes"], found["unread"]
"""

from __future__ import annotations

import json
from collections import namedtuple
from datetime import date, datetime
from decimal import Decimal
from functools import cache, partial

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    Numeric,
    TypeDecorator,
    literal_column,
    select,
)
from sqlalchemy.sql.selectable import FromClause

from kernel.db import db


class OnePass:
    def __init__(self):
        self._rows: dict[str, tuple] = {}
        self._scalars: dict[str, object] = {}
        self._params: dict[str, object] = {}
        self._all_prepared = True

    def __contains__(self, key: str) -> bool:
        return key in self._rows or key in self._scalars

    def rows(self, key: str, statement, params: dict | None = None) -> None:
        """Read the rows of ``statement`` (a ``select`` of one model, or of columns).

        ``params``: the values of a *prepared* statement, one its module builds once with named
        ``bindparam``s and hands out again (``functools.cache``). When every read of a pass is
        prepared, the pass's own statement is built once too, and SQLAlchemy finds its compiled
        form without walking it again (``bench/README.md``, 2026-12-05)."""
        self._rows[key] = (statement, *_shape(statement))
        self._note(params)

    def scalar(self, key: str, statement, params: dict | None = None) -> None:
        """Read the single value of ``statement`` (a count, say); ``params`` as for ``rows``."""
        self._scalars[key] = statement
        self._note(params)

    def _note(self, params: dict | None) -> None:
        if params is None:
            self._all_prepared = False
        else:
            self._params.update(params)

    def run(self, base=None, base_params: dict | None = None) -> dict:
        """Send every read as one statement; ``{key: rows or value}``. With ``base`` (a select of
        one row, say a record), the reads ride on it: its row is under ``"base"`` (None when it
        found nothing, and then nothing else was read). ``base_params``: the values of a prepared
        ``base`` (built once with named ``bindparam``s, as for ``rows``)."""
        if base is None and not self._rows and not self._scalars:
            return {}
        postgresql = db.session.get_bind().dialect.name == "postgresql"
        prepared = self._all_prepared and (base is None or base_params is not None)
        statement = self._statement(postgresql, base, prepared)
        params = {**self._params, **(base_params or {})}
        if base is None:
            found = db.session.execute(statement, params).one()
            results = {}
        else:
            row = db.session.execute(statement, params).first()
            if row is None:
                return {"base": None}
            leading = len(row) - len(self._rows) - len(self._scalars)
            found, results = row[leading:], {"base": row[:leading]}
        for index, (key, (_statement, model, selected, names)) in enumerate(self._rows.items()):
            results[key] = _decoded(found[index], model, selected, names)
        offset = len(self._rows)
        for index, key in enumerate(self._scalars):
            results[key] = found[offset + index]
        return results

    def _statement(self, postgresql: bool, base=None, prepared: bool | None = None):
        def build():
            columns = _columns_of(self._rows, self._scalars, postgresql)
            return select(*columns) if base is None else base.add_columns(*columns)

        if not (self._all_prepared if prepared is None else prepared):
            return build()
        key = (tuple((name, id(read[0])) for name, read in self._rows.items()),
               tuple((name, id(read)) for name, read in self._scalars.items()), id(base), postgresql)
        reads = (*(read[0] for read in self._rows.values()), *self._scalars.values(), base)
        kept = _PREPARED.get(key)
        if kept is None or any(mine is not theirs for mine, theirs in zip(reads, kept[0], strict=True)):
            kept = (reads, build())
            if len(_PREPARED) >= PREPARED_PASSES:
                _PREPARED.clear()
            _PREPARED[key] = kept
        return kept[1]


# Each prepared pass's statement, by the identity of its reads (which it keeps, so that another
# statement cannot take an identity over while the pass is kept: checked on every use).
PREPARED_PASSES = 256
_PREPARED: dict[tuple, tuple] = {}


def _columns_of(rows: dict, scalars: dict, postgresql: bool) -> list:
    columns = [_as_json_array(statement, names, f"r{index}", postgresql).label(f"r{index}")
               for index, (statement, _model, _columns, names) in enumerate(rows.values())]
    return columns + [statement.scalar_subquery().label(f"s{index}")
                      for index, statement in enumerate(scalars.values())]


def _shape(statement) -> tuple:
    """``(model or None, selected columns, their names)`` of a read. A select of a whole model has
    the same columns whatever its conditions: they are worked out once per model (a statement's
    ``selected_columns`` cost a tenth of a millisecond each time, ten reads a page)."""
    raw = statement._raw_columns
    if len(raw) == 1 and isinstance(raw[0], FromClause):
        mapper = raw[0]._annotations.get("parententity")
        if mapper is not None and getattr(mapper, "is_mapper", False) and not mapper.with_polymorphic:
            return _model_shape(mapper.class_)
    descriptions = statement.column_descriptions
    model = None
    if len(descriptions) == 1 and descriptions[0]["expr"] is descriptions[0].get("entity") is not None:
        model = descriptions[0]["entity"]
    columns = tuple(statement.selected_columns)
    return model, columns, tuple(column.name for column in columns)


@cache
def _model_shape(model) -> tuple:
    columns = tuple(select(model).selected_columns)
    return model, columns, tuple(column.name for column in columns)


def _as_json_array(statement, names: tuple[str, ...], alias: str, postgresql: bool):
    """The rows of ``statement`` as one JSON array (of objects on PostgreSQL: json_build_array
    stops at 100 columns; of arrays on SQLite). The aggregate is one piece of SQL text, made once
    per shape: building it of column objects cost more than the rest of a page."""
    rows = literal_column(_aggregate_sql(alias, names, postgresql))
    return select(rows).select_from(statement.subquery(alias)).scalar_subquery()


@cache
def _aggregate_sql(alias: str, names: tuple[str, ...], postgresql: bool) -> str:
    if postgresql:
        return f"json_agg({alias})"
    quote = db.session.get_bind().dialect.identifier_preparer.quote
    return f"json_group_array(json_array({', '.join(f'{alias}.{quote(name)}' for name in names)}))"


def _decoded(text, model, columns, names) -> list:
    values = json.loads(text) if isinstance(text, str) else (text or [])
    if not values:
        return []
    converters = _converters(columns, db.session.get_bind().dialect)
    keyed = isinstance(values[0], dict)  # PostgreSQL's objects, by name; SQLite's arrays, by position
    if model is not None:
        attributes = _attribute_names(model)
        targets = [(name if keyed else position, attributes[name], converters[position])
                   for position, name in enumerate(names) if name in attributes]
        new_instance = model.__mapper__.class_manager.new_instance
        return [_filled(new_instance(), targets, row) for row in values]
    Row = _row_type(names)
    return [Row(*[value if value is None or convert is None else convert(value)
                  for convert, value in zip(converters, _values(names, row), strict=True)])
            for row in values]


@cache
def _row_type(names: tuple[str, ...]):
    return namedtuple("Row", names, rename=True)


def _filled(instance, targets, row):
    """A fresh transient ``instance`` holding the row's values as if loaded: written straight
    into its state's dictionary, which is what ``set_committed_value`` does for an instance with
    no history yet (at a fifth of the cost, for every column of every row of a page). The loop is
    written out: it runs for each of a page's thousands of values."""
    loaded = instance.__dict__
    value_of = row.get if isinstance(row, dict) else row.__getitem__
    for key, name, convert in targets:
        value = value_of(key)
        loaded[name] = value if value is None or convert is None else convert(value)
    return instance


_ATTRIBUTE_NAMES: dict[type, dict[str, str]] = {}


def _attribute_names(model) -> dict[str, str]:
    """``{column name: attribute name}`` of a model."""
    if model not in _ATTRIBUTE_NAMES:
        _ATTRIBUTE_NAMES[model] = {column.name: prop.key for prop in model.__mapper__.column_attrs
                                   for column in prop.columns}
    return _ATTRIBUTE_NAMES[model]


def _values(names, row) -> list:
    """A row's values in the columns' order: PostgreSQL sends objects, SQLite arrays."""
    return [row.get(name) for name in names] if isinstance(row, dict) else row


def _converters(columns, dialect) -> list:
    """For each column, what turns a JSON value into its Python value (None: the value as it is),
    worked out once per read rather than once per value (a page of cards has 3,000 values)."""
    return [_converter(column.type, dialect) for column in columns]


def _converter(column_type, dialect):
    if isinstance(column_type, TypeDecorator):
        inner, process = _converter(column_type.impl, dialect), column_type.process_result_value
        if inner is None:
            return lambda value: process(value, dialect)
        return lambda value: process(inner(value), dialect)
    if isinstance(column_type, DateTime):
        return partial(_moment, column_type.timezone)
    if isinstance(column_type, Date):
        return _day
    for kind, convert in ((Boolean, bool), (Float, float), (Numeric, _decimal), (Integer, int), (JSON, _json_value)):
        if isinstance(column_type, kind):
            return convert
    return None


def _moment(timezone: bool, value):
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if not timezone and moment.tzinfo is not None:
        moment = moment.replace(tzinfo=None)
    return moment


def _day(value):
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _decimal(value):
    return Decimal(str(value))


def _json_value(value):
    return json.loads(value) if isinstance(value, str) else value
