"""Finding, checking and registering plugins.

Plugins are found through the entry-point group ``passerelle.plugins``, the built-in ones
exactly like a third party's. The setting ``PASSERELLE_PLUGINS`` (a comma-separated list, or
empty for all) chooses which are enabled; only those are imported.

Whatever stops the start (an unknown plugin, one that fails to import, a missing required plugin,
a hook that is not in the contract) raises ``PluginError``, whose message is one line saying
which plugin, what is wrong and how to fix it. The command line prints it in the installation's
language and exits with status 2.
"""

from __future__ import annotations

import difflib
import functools
import importlib.metadata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pluggy

from kernel import hookspecs

ENTRY_POINT_GROUP = "passerelle.plugins"


def _(message: str) -> str:
    """Marks a message for extraction; ``PluginError.translated`` translates it when shown."""
    return message


class PluginError(RuntimeError):
    """A plugin set-up problem that must stop the application from starting.

    It holds one or more problems, each an English message (a catalogue id) and its values, so
    that the command line can show it translated while ``str()`` gives it in English.
    """

    def __init__(self, message: str, **values):
        self.problems: list[tuple[str, dict]] = [(message, values)]
        super().__init__(self.translated())

    @classmethod
    def several(cls, errors: list[PluginError]) -> PluginError:
        combined = cls("")
        combined.problems = [problem for error in errors for problem in error.problems]
        combined.args = (combined.translated(),)
        return combined

    def translated(self, gettext: Callable[[str], str] = str) -> str:
        """The problems in one line, each message passed through ``gettext`` first."""
        lines = [gettext(message) % values if values else gettext(message) for message, values in self.problems]
        return functools.reduce(lambda first, other: gettext(_("%(first)s; %(other)s")) % {
            "first": first, "other": other}, lines)


@dataclass
class PluginInfo:
    """What the kernel knows about one enabled plugin."""

    name: str
    module: ModuleType | object
    requires: tuple[str, ...] = ()
    label: object = None
    formerly: tuple[str, ...] = ()  # names the plugin had before a rename (FORMERLY)

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


def plugin_entry_points() -> dict[str, importlib.metadata.EntryPoint]:
    """The plugins advertised under the entry-point group, by name, not imported yet."""
    return {entry_point.name: entry_point for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)}


def installed_plugins() -> dict[str, object]:
    """Import every plugin advertised under the entry-point group, by name."""
    return {name: import_plugin(name, entry_point) for name, entry_point in plugin_entry_points().items()}


def import_plugin(name: str, entry_point: importlib.metadata.EntryPoint) -> object:
    try:
        return entry_point.load()
    except Exception as error:  # any error of the plugin's own code: name the plugin, not a traceback
        raise PluginError(
            _("plugin '%(plugin)s' cannot be imported (%(error)s): install what it needs, or remove it "
              "from PASSERELLE_PLUGINS"),
            plugin=name, error=f"{type(error).__name__}: {error}",
        ) from error


def parse_enabled(setting: str | None) -> list[str] | None:
    """``"clients, partners"`` → ``["clients", "partners"]``; empty or ``"*"`` → ``None`` (all).
    ``"*, volunteers"``: all, and an opt-in plugin (``ENABLED_BY_DEFAULT = False``) besides."""
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
    """Build the plugin set: discover, import the enabled ones, check requirements, register in
    dependency order, check every hook against the contract.

    ``extra`` adds plugins that are not installed as distributions (tests use it); they are
    enabled unless the setting names a list without them.
    """
    advertised = plugin_entry_points()
    available = set(advertised) | set(extra or {})
    named = parse_enabled(enabled_setting)
    wanted = [name for name in named or () if name != "*"]
    if named is None or "*" in named:  # every installed plugin, besides those named
        everyone = list(advertised) + [name for name in extra or {} if name not in advertised]
        wanted += [name for name in everyone if name not in wanted]
    _refuse_former_names(wanted, available)
    unknown = [name for name in wanted if name not in available]
    if unknown:
        raise PluginError(
            _("PASSERELLE_PLUGINS names plugins that are not installed: %(unknown)s. Installed: %(installed)s"),
            unknown=", ".join(unknown), installed=", ".join(sorted(available)) or "-",
        )
    modules = {name: (extra or {}).get(name) or import_plugin(name, advertised[name]) for name in wanted}
    # An opt-in plugin (an example) is enabled only when the setting names it.
    modules = {name: module for name, module in modules.items()
               if getattr(module, "ENABLED_BY_DEFAULT", True) or name in (named or ())}
    infos = {
        name: PluginInfo(
            name=name,
            module=module,
            requires=tuple(getattr(module, "REQUIRES", ())),
            label=getattr(module, "LABEL", name),
            formerly=tuple(getattr(module, "FORMERLY", ())),
        )
        for name, module in modules.items()
    }
    try:
        _check_requirements(infos, available)
    except PluginError as error:
        renames = renamed_plugins()
        if any(name in renames for name in wanted):  # a setting from before a rename, read the new way
            raise PluginError.several([error, PluginError(
                _("plugins were renamed: %(renames)s"), renames=rename_hint(renames))]) from None
        raise
    manager = pluggy.PluginManager("passerelle")
    manager.add_hookspecs(hookspecs)
    ordered = _dependency_order(infos)
    for info in ordered:
        _register(manager, info)
    check_hooks(manager)
    return PluginSet(manager=manager, enabled=ordered)


def _register(manager: pluggy.PluginManager, info: PluginInfo) -> None:
    try:
        manager.register(info.module, name=info.name)
    except pluggy.PluginValidationError as error:  # a hook implementation taking arguments no one gives
        raise PluginError(
            _("plugin '%(plugin)s' does not fit the plugin contract: %(problem)s"),
            plugin=info.name, problem=" ".join(str(error).split()),
        ) from error


def check_hooks(manager: pluggy.PluginManager) -> None:
    """Refuse a hook implementation whose name is in no hookspec (a misspelled hook would
    otherwise never be called, silently), naming the closest hook of the contract."""
    try:
        manager.check_pending()
    except pluggy.PluginValidationError as error:
        raise PluginError.several(_unknown_hook_errors(manager)) from error


def _unknown_hook_errors(manager: pluggy.PluginManager) -> list[PluginError]:
    known = hook_names()
    errors = []
    for name, caller in vars(manager.hook).items():
        if name.startswith("_") or caller.has_spec():
            continue
        for impl in caller.get_hookimpls():
            if impl.optionalhook:
                continue
            closest = difflib.get_close_matches(name, known, n=1)
            if closest:
                errors.append(PluginError(
                    _("plugin '%(plugin)s' implements '%(hook)s', which is not a hook: did you mean "
                      "'%(closest)s'?"), plugin=impl.plugin_name, hook=name, closest=closest[0]))
            else:
                errors.append(PluginError(
                    _("plugin '%(plugin)s' implements '%(hook)s', which is not a hook (see "
                      "kernel/hookspecs.py)"), plugin=impl.plugin_name, hook=name))
    return errors


def hook_names() -> list[str]:
    """Every hook of the contract, in the order of ``kernel/hookspecs.py``."""
    marker = f"{hookspecs.hookspec.project_name}_spec"
    return [name for name, value in vars(hookspecs).items() if callable(value) and hasattr(value, marker)]


def renamed_plugins() -> dict[str, str]:
    """Former name → current name, from each installed plugin's ``FORMERLY`` (imports them all:
    only asked when a setting names a plugin that is not there)."""
    renames = {}
    for name, entry_point in plugin_entry_points().items():
        try:
            module = entry_point.load()
        except Exception:  # noqa: BLE001  its own import error is reported when it is enabled
            continue
        renames.update({former: name for former in getattr(module, "FORMERLY", ())})
    return renames


def _refuse_former_names(wanted: list[str], available: set[str]) -> None:
    """A setting written before a plugin was renamed may name it by its former name: stop and say
    what each name now means (a former name can now be another plugin's)."""
    missing = [name for name in wanted if name not in available]
    renames = renamed_plugins() if missing else {}
    stale = [name for name in missing if name in renames]
    if stale:
        raise PluginError(
            _("PASSERELLE_PLUGINS uses former plugin names (%(names)s): %(renames)s. Write the current "
              "names in PASSERELLE_PLUGINS."), names=", ".join(stale), renames=rename_hint(renames))


def rename_hint(renames: dict[str, str]) -> str:
    return "; ".join(f"'{former}' is now called '{current}'" for former, current in sorted(renames.items()))


def _check_requirements(infos: dict[str, PluginInfo], available: set[str]) -> None:
    problems = []
    for info in infos.values():
        for required in info.requires:
            if required in infos:
                continue
            if required in available:
                problems.append(PluginError(
                    _("plugin '%(plugin)s' requires plugin '%(required)s', which is not enabled: add "
                      "'%(required)s' to PASSERELLE_PLUGINS"), plugin=info.name, required=required))
            else:
                problems.append(PluginError(
                    _("plugin '%(plugin)s' requires plugin '%(required)s', which is not installed: "
                      "install it, or remove '%(plugin)s' from PASSERELLE_PLUGINS"),
                    plugin=info.name, required=required))
    if problems:
        raise PluginError.several(problems)


def _dependency_order(infos: dict[str, PluginInfo]) -> list[PluginInfo]:
    ordered: list[PluginInfo] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        info = infos[name]
        if info in ordered:
            return
        if name in visiting:
            raise PluginError(_("plugins require each other in a cycle through '%(plugin)s'"), plugin=name)
        visiting.add(name)
        for required in info.requires:
            visit(required)
        visiting.discard(name)
        ordered.append(info)

    for name in sorted(infos, key=lambda name: (getattr(infos[name].module, "ORDER", 100), name)):
        visit(name)
    return ordered
