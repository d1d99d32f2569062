"""Panels that plugins add to a record's detail page (hook ``passerelle_record_panels``)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Panel:
    """A section of a detail page: a title and a template rendered with ``context``.

    ``actions`` are ``(label, url)`` buttons shown in the panel's header, such as "Schedule a
    call" already linked to the record. ``replaces`` names the keys of panels this one stands for
    (a plugin gathering several of the kernel's linked-record panels into one)."""

    key: str
    title: object
    template: str
    context: dict = field(default_factory=dict)
    actions: list[tuple[object, str]] = field(default_factory=list)
    order: int = 100
    replaces: tuple[str, ...] = ()


def panels_for(plugin_set, entity, record, user) -> list[Panel]:
    found = plugin_set.collect("passerelle_record_panels", entity=entity, record=record, user=user)
    replaced = {key for panel in found for key in panel.replaces}
    return sorted((panel for panel in found if panel.key not in replaced), key=lambda panel: panel.order)
