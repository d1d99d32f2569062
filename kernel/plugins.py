"""Finding, checking and registering plugins.

Plugins are found through the entry-point group ``passerelle.plugins``, the built-in ones
exactly like a third party's. The setting ``PASSERELLE_PLUGINS`` (a comma-separated list, or
empty for all) chooses which are enabled.
"""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pluggy

from kernel import hookspecs

ENTRY_POINT_GROUP = "passerelle.plugins"


class PluginError(RuntimeError):
    """A plugin set-up problem that must stop the application from starting."""


@dataclass
class PluginInfo:
    """What the kernel knows about one enabled plugin."""

    name: str
    module: ModuleType | object
    requires: tuple[str, ...] = ()
    label: object = None

    @property
    def path(self) -> Path | None:
        module_file = getattr(self.module, "__file__", None)
        return Path(module_file).parent if module_file else None

    def folder(self, name: str) -> Path | None:
        """The plugin's ``templates``, ``static``, ``translations`` or ``migrations`` folder."""
        if self.path is None:
            return None
        candidate = self.path / name
        return candidate if candidate.is_dir() else None


def installed_plugins() -> dict[str, object]:
    """Load every plugin advertised under the entry-point group, by name."""
    found = {}
    for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        found[entry_point.name] = entry_point.load()
    return found


def parse_enabled(setting: str | None) -> list[str] | None:
    """``"clients, partners"`` → ``["clients", "partners"]``; empty or ``"*"`` → ``None`` (all)."""
    if setting is None:
        return None
    names = [name.strip() for name in str(setting).split(",") if name.strip()]
    if not names or names == ["*"]:
        return None
    return names


@dataclass
class PluginSet:
    """The plugin manager and the ordered list of enabled plugins."""

    manager: pluggy.PluginManager
    enabled: list[PluginInfo] = field(default_factory=list)

    @property
    def hook(self):
        return self.manager.hook

    def names(self) -> list[str]:
        return [plugin.name for plugin in self.enabled]

    def get(self, name: str) -> PluginInfo | None:
        return next((plugin for plugin in self.enabled if plugin.name == name), None)

    def collect(self, hook_name: str, **kwargs) -> list:
        """Call a collecting hook and flatten the lists every plugin returned."""
        results = getattr(self.manager.hook, hook_name)(**kwargs)
        items = []
        # pluggy returns results last-registered first; keep registration order instead.
        for result in reversed(results):
            if result:
                items.extend(result)
        return items


def load_plugins(enabled_setting: str | None, extra: dict[str, object] | None = None) -> PluginSet:
    """Build the plugin set: discover, filter, check requirements, register in dependency order.

    ``extra`` adds plugins that are not installed as distributions (tests use it); they are
    enabled unless the setting names a list without them.
    """
    available = installed_plugins()
    available.update(extra or {})
    wanted = parse_enabled(enabled_setting)
    if wanted is None:
        wanted = list(available)
    unknown = [name for name in wanted if name not in available]
    if unknown:
        raise PluginError(
            f"PASSERELLE_PLUGINS names plugins that are not installed: {', '.join(unknown)}. "
            f"Installed: {', '.join(sorted(available)) or 'none'}."
        )
    infos = {
        name: PluginInfo(
            name=name,
            module=available[name],
            requires=tuple(getattr(available[name], "REQUIRES", ())),
            label=getattr(available[name], "LABEL", name),
        )
        for name in wanted
    }
    _check_requirements(infos, available)
    manager = pluggy.PluginManager("passerelle")
    manager.add_hookspecs(hookspecs)
    ordered = _dependency_order(infos)
    for info in ordered:
        manager.register(info.module, name=info.name)
    return PluginSet(manager=manager, enabled=ordered)


def _check_requirements(infos: dict[str, PluginInfo], available: dict[str, object]) -> None:
    problems = []
    for info in infos.values():
        for required in info.requires:
            if required not in infos:
                state = "is not enabled" if required in available else "is not installed"
                problems.append(f"plugin '{info.name}' requires plugin '{required}', which {state}")
    if problems:
        raise PluginError("; ".join(problems) + ". Fix PASSERELLE_PLUGINS or install the missing plugin.")


def _dependency_order(infos: dict[str, PluginInfo]) -> list[PluginInfo]:
    ordered: list[PluginInfo] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        info = infos[name]
        if info in ordered:
            return
        if name in visiting:
            raise PluginError(f"plugins require each other in a cycle through '{name}'")
        visiting.add(name)
        for required in info.requires:
            visit(required)
        visiting.discard(name)
        ordered.append(info)

    for name in sorted(infos, key=lambda name: (getattr(infos[name].module, "ORDER", 100), name)):
        visit(name)
    return ordered
