"""The columns a user may report on: the entity's report fields, its creation date, and the
``ReportColumn`` that enabled plugins declare."""

from __future__ import annotations

from dataclasses import dataclass

from kernel.toolkit import Entity, FieldMeta, enabled_plugins, entities, once_per_request
from kernel.toolkit import lazy_gettext as _l

NUMBER_KINDS = {"integer", "decimal"}
DATE_KINDS = {"date", "datetime"}


CREATED_AT = FieldMeta(kind="datetime", label=_l("Created on"), name="created_at", editable=False)


@dataclass
class Column:
    """A column a report may show: a field of the entity or a plugin's ``ReportColumn``."""

    key: str
    meta: FieldMeta
    expression: object  # function(period) -> SQL expression

    @property
    def label(self) -> str:
        return str(self.meta.label)

    @property
    def groupable(self) -> bool:
        return self.meta.kind != "longtext"

    @property
    def dated(self) -> bool:
        return self.meta.kind in DATE_KINDS

    def aggregates(self) -> list[str]:
        if self.meta.kind in NUMBER_KINDS:
            return ["sum", "avg", "min", "max"]
        if self.dated:
            return ["min", "max"]
        return []


def declared_report_columns() -> list[tuple[str, object]]:
    """``(plugin name, ReportColumn)`` of every enabled plugin, collected once per request."""
    return once_per_request("report_columns", _collect_report_columns)


def _collect_report_columns() -> list[tuple[str, object]]:
    found = []
    hook = enabled_plugins().manager.hook.passerelle_report_columns
    for impl in reversed(hook.get_hookimpls()):
        for column in impl.function() or []:
            found.append((impl.plugin_name, column))
    return found


def reportable_entities(user) -> list[Entity]:
    return [entity for entity in entities() if entity.can(user, "view")]


def columns_for(entity: Entity, user) -> dict[str, Column]:
    """Every column of ``entity`` the user may see, by key, in the order they are offered."""
    columns = {}
    for name, meta in entity.fields.items():
        if meta.report:
            columns[name] = Column(name, meta, _field_expression(entity, name))
    columns["created_at"] = Column("created_at", CREATED_AT, lambda _period: entity.model.created_at)
    for plugin_name, declared in declared_report_columns():
        if declared.entity != entity.name or (declared.permission and not user.can(declared.permission)):
            continue
        key = f"{plugin_name}.{declared.name}"
        meta = FieldMeta(kind=declared.kind, label=declared.label, choices=declared.choices, target=declared.target,
                         help=declared.help, name=key, filterable=False, editable=False)
        columns[key] = Column(key, meta, declared.expression)
    return columns


def _field_expression(entity: Entity, name: str):
    return lambda _period: entity.column(name)
