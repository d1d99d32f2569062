"""The sidebar: modules grouped in sections, the user's workspace first, settings apart.

Plugins declare, through hooks (``kernel.hookspecs``):

- sections (``MenuSection``): "Clients & partners", "Contact centre"…, each with an order;
- where their modules go (``ModulePlacement``): the section of an entity or of a group of menu
  items, its icon name, and whether it is a setting (survey questions, postal codes…) rather
  than daily work; settings are listed in the Administration area, not among daily modules;
- menu items (``MenuItem``): links added to a module as its actions, or standalone modules.

What the kernel derives from those declarations is built once per application (``catalogue``);
each request only filters it by the user's permissions and the page shown: no query.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from threading import Lock

from flask import current_app, request, url_for
from markupsafe import Markup

from kernel.i18n import lazy_gettext as _l
from kernel.request_state import once_per_request
from kernel.text import fold

SETTINGS = "settings"  # the key of the Administration area's section
OTHER = "other"  # the section of modules no plugin placed (a third-party plugin's before it says)
ICON_SET = "lucide-static/icons"  # inside node_modules (installed by npm, never copied)
DEFAULT_ICON = "square"

# Plugins used to give emoji as icons; the names of the SVG icon set (lucide) they stand for, so
# that a plugin that still declares an emoji gets an icon that every machine shows.
EMOJI_ICONS = {
    "▣": "square", "👤": "user", "🏢": "building-2", "📇": "contact", "📞": "phone", "👥": "users",
    "✅": "square-check", "📄": "file-text", "🗒": "notebook-pen", "📅": "calendar", "🎓": "graduation-cap",
    "🧰": "wrench", "🧭": "compass", "📍": "map-pin", "🏷": "tag", "💼": "briefcase", "🚧": "construction",
    "🪜": "list-ordered", "🤝": "handshake", "🚪": "door-open", "☎": "phone-call", "🪪": "id-card",
    "🎧": "headset", "🎯": "target", "🕳": "circle-dashed", "📝": "file-pen", "📋": "clipboard-list",
    "❓": "circle-help", "📊": "chart-bar", "⚙": "settings", "✉": "mail", "🔎": "search", "🔁": "repeat",
    "📮": "mailbox",
}


@dataclass
class MenuItem:
    """A link of the sidebar. ``module`` names the module (an entity's name, or a key shared by
    several items) it is an action of; an item whose module has no entity and no earlier item
    becomes that module's link. A ``settings`` item is listed in the Administration area."""

    label: object
    endpoint: str
    permission: str | None = None
    icon: str = DEFAULT_ICON
    module: str | None = None
    values: dict = field(default_factory=dict)
    settings: bool = False

    def url(self) -> str:
        return fixed_url(self.endpoint, **self.values)


@dataclass(frozen=True)
class MenuSection:
    """A heading of the sidebar grouping modules: lower ``order`` first."""

    key: str
    label: object
    order: int = 100
    icon: str = "folder"


@dataclass(frozen=True)
class ModulePlacement:
    """Where a module goes: ``module`` is an entity's name or a menu items' module key,
    ``section`` a ``MenuSection`` key; ``settings`` sends it to the Administration area (grouped
    there under its section); ``icon`` (a name of the icon set) replaces the entity's."""

    module: str
    section: str
    icon: str | None = None
    settings: bool = False


KERNEL_SECTIONS = [
    MenuSection(OTHER, _l("Other modules"), 900, "layout-grid"),
    MenuSection(SETTINGS, _l("Settings"), 1000, "settings"),
]

# The kernel's own settings screens, listed in the Administration area like the plugins'.
KERNEL_MENU_ITEMS = [
    MenuItem(_l("Users"), "admin.users", "kernel.manage_users", "users", "kernel.users", settings=True),
    MenuItem(_l("Choice lists"), "customise.choice_lists", "kernel.customise", "list", "kernel.choice_lists",
             settings=True),
    MenuItem(_l("Custom fields"), "customise.field_entities", "kernel.customise", "square-pen",
             "kernel.custom_fields", settings=True),
    MenuItem(_l("Trash"), "admin.trash", "kernel.trash", "trash-2", "kernel.trash", settings=True),
    MenuItem(_l("Security log"), "security_log.index", "kernel.security_log", "shield", "kernel.security_log",
             settings=True),
]
KERNEL_PLACEMENTS = [
    ModulePlacement(module, SETTINGS, settings=True)
    for module in ("kernel.users", "kernel.choice_lists", "kernel.custom_fields", "kernel.trash", "kernel.security_log")
] + [ModulePlacement("outbox.index", SETTINGS, "mail", settings=True)]


def fixed_url(endpoint: str, **values) -> str:
    """``url_for`` for the links that every page repeats (the sidebar's, the "+" menu's): built
    once per application and mount point instead of a hundred times per page (30 µs each)."""
    cache = once_per_request("_passerelle_fixed_urls", _fixed_urls_of_this_mount_point)
    key = (endpoint, tuple(sorted(values.items())))
    try:
        url = cache.get(key)
    except TypeError:  # a value that cannot be a key (a list of query values): built each time
        return url_for(endpoint, **values)
    if url is None:
        url = cache[key] = url_for(endpoint, **values)
    return url


def _fixed_urls_of_this_mount_point() -> dict:
    return current_app.extensions.setdefault("passerelle.fixed_urls", {}).setdefault(request.script_root, {})


# -- icons -------------------------------------------------------------------------------------

def icon_name(value: str | None) -> str:
    """The icon set's name for a declared icon: a name, or one of the old emoji."""
    value = (value or "").strip()
    if value in EMOJI_ICONS:
        return EMOJI_ICONS[value]
    return value if re.fullmatch(r"[a-z0-9-]+", value) else DEFAULT_ICON


@cache
def _icon_svg(folder: Path, name: str) -> str:
    path = folder / f"{name}.svg"
    if not path.is_file():
        return "" if name == DEFAULT_ICON else _icon_svg(folder, DEFAULT_ICON)
    svg = path.read_text(encoding="utf-8")
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r'class="[^"]*"', f'class="icon icon-{name}" aria-hidden="true" focusable="false"', svg, count=1)
    return re.sub(r"\s*\n\s*", " ", svg).replace(" >", ">").replace(" />", "/>").strip()


def icon(value: str | None) -> Markup:
    """The SVG of an icon, decorative (its text label is always next to it), read once. Inline,
    so that a page carries its few dozen icons, not the set's 500 kB sprite."""
    return _icon_markup(current_app.config.get("NODE_MODULES"), current_app.root_path, value)


@cache
def _icon_markup(configured, root_path: str, value: str | None) -> Markup:
    node_modules = Path(configured or Path(root_path).parent / "node_modules")
    return Markup(_icon_svg(node_modules / ICON_SET, icon_name(value)))


# -- what plugins declared, built once --------------------------------------------------------

@dataclass
class ModuleEntry:
    """A module as declared: an entity's, or a standalone link; its actions come from items."""

    key: str
    label: object
    icon: str
    section: str
    settings: bool = False
    entity: object = None
    item: MenuItem | None = None
    actions: list[MenuItem] = field(default_factory=list)


@dataclass
class Catalogue:
    sections: dict[str, MenuSection]
    modules: list[ModuleEntry]


def build_catalogue(entities, items: list[MenuItem], sections: list[MenuSection],
                    placements: list[ModulePlacement]) -> Catalogue:
    """The modules in their sections, in the order the plugins were registered (lower ORDER
    first), each plugin's modules in the order it placed them."""
    known_sections: dict[str, MenuSection] = {}
    for section in KERNEL_SECTIONS + sections:  # several plugins may declare a shared one: the first counts
        known_sections.setdefault(section.key, section)
    placed = {placement.module: placement for placement in KERNEL_PLACEMENTS + placements}
    modules: dict[str, ModuleEntry] = {}
    for entity in entities:
        modules[entity.name] = ModuleEntry(entity.name, entity.label_plural, entity.icon, OTHER, entity=entity)
    for item in items:
        key = item.module or item.endpoint
        if item.settings:
            key = f"{key}:{item.endpoint}"
        if key in modules:
            modules[key].actions.append(item)
        else:
            modules[key] = ModuleEntry(key, item.label, item.icon, OTHER, settings=item.settings, item=item)
            if item.settings and item.module in placed:  # grouped with the module it configures
                modules[key].section = placed[item.module].section
    for module in modules.values():
        placement = placed.get(module.key)
        if placement is None:
            continue
        module.section = placement.section if placement.section in known_sections else OTHER
        module.settings = module.settings or placement.settings or placement.section == SETTINGS
        module.icon = placement.icon or module.icon
    order = {key: index for index, key in enumerate(placed)}
    ordered = sorted(modules.values(), key=lambda module: order.get(module.key.split(":")[0], len(order)))
    return Catalogue(known_sections, ordered)


def catalogue() -> Catalogue:
    """The application's catalogue: what the plugins declared, derived at the first page."""
    built = current_app.extensions.get("passerelle.menu")
    if built is None:
        plugin_set = current_app.extensions["passerelle.plugins"]
        built = current_app.extensions["passerelle.menu"] = build_catalogue(
            current_app.extensions["passerelle.entities"],
            KERNEL_MENU_ITEMS + plugin_set.collect("passerelle_menu_items"),
            plugin_set.collect("passerelle_menu_sections"), plugin_set.collect("passerelle_menu_placements"),
        )
    return built


# -- per request: what this user sees ----------------------------------------------------------

@dataclass
class Module:
    """A module of the sidebar with its actions (shown only for the current module)."""

    key: str
    label: object
    icon: str
    url: str
    actions: list[tuple[object, str]] = field(default_factory=list)
    section: str = OTHER
    settings: bool = False
    current: bool = False

    @property
    def search_text(self) -> str:
        """What the module filter compares, accents and case removed ("tach" finds "Tâches")."""
        return fold(self.label)


@dataclass
class Section:
    key: str
    label: object
    icon: str
    modules: list[Module]
    open: bool = False
    settings: bool = False


def sidebar_modules(user, entities=None, extra_items: list[MenuItem] | None = None,
                    menu: Catalogue | None = None) -> list[Module]:
    """The modules ``user`` may see (daily ones and settings), each with the actions they may take."""
    if menu is None:
        menu = build_catalogue(entities or [], extra_items or [], [], [])
    visible = []
    for entry in menu.modules:
        module = _visible_module(user, entry)
        if module is not None:
            visible.append(module)
    return visible


def _visible_module(user, entry: ModuleEntry) -> Module | None:
    actions = [(item.label, item.url()) for item in entry.actions if _allowed(user, item)]
    if entry.entity is not None:
        entity = entry.entity
        if not entity.can(user, "view"):
            return None
        list_url = fixed_url("records.list_records", plural=entity.plural)
        actions.insert(0, (entity.list_label or entity.label_plural, list_url))
        if entity.can(user, "create"):
            actions.insert(0, (entity.create_label or entity.label, fixed_url("records.create_record",
                                                                           plural=entity.plural)))
        url = list_url
    else:
        if not _allowed(user, entry.item):
            return None
        url = entry.item.url()
    return Module(entry.key, entry.label, icon_name(entry.icon), url, actions, entry.section, entry.settings)


def _allowed(user, item: MenuItem) -> bool:
    return not item.permission or user.can(item.permission)


def mark_current(modules: list[Module], path: str, plural: str | None = None) -> Module | None:
    """The module of the page shown: the entity of a record page, else the module one of whose
    links is the page, else the one whose link is the longest start of the page's path."""
    current = None
    if plural:
        entity = current_app.extensions["passerelle.entities"].by_plural(plural)
        current = next((module for module in modules if entity and module.key == entity.name), None)
    if current is None:
        current = next((module for module in modules if path in (module.url, *(url for _, url in module.actions))), None)
    if current is None:
        prefixes = [module for module in modules if module.url != "/" and path.startswith(module.url.split("?")[0])]
        current = max(prefixes, key=lambda module: len(module.url), default=None)
    if current is not None:
        current.current = True
    return current


def workspace_of(user, section_keys: list[str]) -> str | None:
    """The section a user sees first: their own choice (profile), else their role's in the
    ``WORKSPACES`` setting (``{"staff": "clients"}``), else the first section in order."""
    choices = (getattr(user, "workspace", None), current_app.config.get("WORKSPACES", {}).get(user.role))
    for choice in choices:
        if choice and choice in section_keys:
            return choice
    return section_keys[0] if section_keys else None


def daily_sections(menu: Catalogue) -> list[MenuSection]:
    """Every section of daily work, in order (the choices of a workspace)."""
    used = {module.section for module in menu.modules if not module.settings}
    return sorted((section for key, section in menu.sections.items() if key in used and key != SETTINGS),
                  key=lambda section: (section.order, section.key))


def sidebar_sections(user, menu: Catalogue, path: str, plural: str | None = None) -> list[Section]:
    """The sidebar of a page: the user's workspace first and open, then the other sections in
    order (closed unless the page belongs to them), then the settings, closed."""
    modules = sidebar_modules(user, menu=menu)
    current = mark_current(modules, path, plural)
    for module in modules:
        if not module.current:
            module.actions = []
    grouped: dict[str, list[Module]] = {}
    for module in modules:
        grouped.setdefault(SETTINGS if module.settings else module.section, []).append(module)
    keys = [section.key for section in daily_sections(menu) if section.key in grouped]
    workspace = workspace_of(user, keys)
    if workspace:
        keys.remove(workspace)
        keys.insert(0, workspace)
    if SETTINGS in grouped:
        keys.append(SETTINGS)
    sections = []
    for key in keys:
        declared = menu.sections[key]
        opened = key == workspace or (current is not None and current in grouped[key])
        sections.append(Section(key, declared.label, icon_name(declared.icon), grouped[key], opened, key == SETTINGS))
    return sections


def settings_groups(user, menu: Catalogue) -> list[tuple[MenuSection, list[Module]]]:
    """The Administration page: the settings the user may open, grouped by the section they belong to."""
    groups: dict[str, list[Module]] = {}
    for module in sidebar_modules(user, menu=menu):
        if module.settings:
            groups.setdefault(module.section, []).append(module)
    ordered = sorted(groups, key=lambda key: (key != SETTINGS, menu.sections[key].order, key))
    return [(menu.sections[key], groups[key]) for key in ordered]


# -- the layout's fixed parts, rendered once per language and set of rights (issue 18) ----------
FRAGMENT_CACHE_SIZE = 512
_fragments_lock = Lock()


def cached_fragment(template: str, page: bool = False) -> Markup:
    """The HTML of a part of the layout that depends only on the language, the user's rights and
    workspace (``page``: and the page's module and address, as the sidebar): rendered once for
    each and kept with the application (the least used forgotten past ``FRAGMENT_CACHE_SIZE``)."""
    from flask_login import current_user

    from kernel.fragments import render_fragment

    key = (template, *_rights_key(current_user), _page_key() if page else None)
    with _fragments_lock:  # kept with the application: another app (tests) has other modules
        fragments = current_app.extensions.setdefault("passerelle.fragments", OrderedDict())
        html = fragments.get(key)
        if html is not None:
            fragments.move_to_end(key)
            return html
    html = render_fragment(template)
    with _fragments_lock:
        fragments[key] = html
        if len(fragments) > FRAGMENT_CACHE_SIZE:
            fragments.popitem(last=False)
    return html


def _rights_key(user) -> tuple:
    from flask_babel import get_locale

    from kernel.permissions import granted_permissions

    return str(get_locale()), user.role, user.active, granted_permissions(user), user.workspace


def _page_key():  # a record's page marks its module only; any other page may be one of their links
    view_args = request.view_args or {}
    plural = view_args.get("plural")
    return (plural, "record") if isinstance(plural, str) and "record_id" in view_args else request.full_path
