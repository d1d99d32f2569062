"""The sidebar: one module per entity (with "View …" and "Create …"), plus plugin menu items."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app, request, url_for


@dataclass
class MenuItem:
    """A link in the sidebar. ``module`` groups it under an entity's or plugin's heading."""

    label: object
    endpoint: str
    permission: str | None = None
    icon: str = "▣"
    module: str | None = None
    values: dict = field(default_factory=dict)

    def url(self) -> str:
        return fixed_url(self.endpoint, **self.values)


def fixed_url(endpoint: str, **values) -> str:
    """``url_for`` for the links that every page repeats (the sidebar's, the "+" menu's): built
    once per application and mount point instead of a hundred times per page (30 µs each)."""
    cache = current_app.extensions.setdefault("passerelle.fixed_urls", {})
    key = (request.script_root, endpoint, tuple(sorted(values.items())))
    try:
        url = cache.get(key)
    except TypeError:  # a value that cannot be a key (a list of query values): built each time
        return url_for(endpoint, **values)
    if url is None:
        url = cache[key] = url_for(endpoint, **values)
    return url


@dataclass
class Module:
    """A heading of the sidebar with its actions."""

    key: str
    label: object
    icon: str
    url: str
    actions: list[tuple[object, str]] = field(default_factory=list)


def sidebar_modules(user, entities, extra_items: list[MenuItem]) -> list[Module]:
    """The modules ``user`` may see, each with the actions they may take."""
    modules: dict[str, Module] = {}
    for entity in entities:
        if not entity.can(user, "view"):
            continue
        list_url = fixed_url("records.list_records", plural=entity.plural)
        module = Module(entity.name, entity.label_plural, entity.icon, list_url)
        module.actions.append((entity.list_label or entity.label_plural, list_url))
        if entity.can(user, "create"):
            module.actions.insert(
                0, (entity.create_label or entity.label, fixed_url("records.create_record", plural=entity.plural))
            )
        modules[entity.name] = module
    for item in extra_items:
        if item.permission and not user.can(item.permission):
            continue
        target = modules.get(item.module or "")
        if target is None:
            modules[item.module or item.endpoint] = Module(
                item.module or item.endpoint, item.label, item.icon, item.url(), []
            )
        else:
            target.actions.append((item.label, item.url()))
    return list(modules.values())
