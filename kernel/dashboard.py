"""The dashboard: the blocks ("dashlets") each user arranges on their first page.

Dashlets come from the kernel (two for every entity, derived from the registry: "My <records>"
and "<Records>: figures") and from plugins (hook ``passerelle_dashlets``). A user's dashboard is
their saved layout (a list of dashlet keys) or, until they change it, the defaults of their role
and workspace (the sidebar section they see first: a caseworker's clients, an agent's contact
centre). Either way only the dashlets that exist (their plugin is enabled) and whose permission
the user holds are shown; a saved key that no longer exists is skipped, and kept for when it
comes back.

The defaults are short on purpose (a few dashlets: a first page of 38 blocks took 108 Tab
presses to reach "Create a client"): the kernel's entity dashlets are defaults of nobody until
a plugin says so with a ``DashletDefault`` (the clients plugin makes "My clients" a caseworker's).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial

from flask import current_app
from flask_babel import LazyString
from markupsafe import Markup
from sqlalchemy import JSON, ForeignKey, case, func, select
from sqlalchemy.orm import Mapped, mapped_column

from kernel.db import Base, db, utcnow
from kernel.fragments import render_fragment
from kernel.i18n import gettext as _

log = logging.getLogger(__name__)

EXTENSION = "passerelle.dashlets"
LATEST_COUNT = 5  # records shown by a "My <records>" dashlet
ENTITY_DASHLET_ORDER = 50  # the kernel's dashlets come before plugins' (default order 100)


@dataclass(frozen=True)
class Dashlet:
    """A block of the dashboard.

    ``render(user)`` returns HTML (a string, trusted as markup) or ``(template, context)``.
    ``permission`` is needed to see or add it (``None``: everyone); ``default_roles`` get it on
    their dashboard until they customise it, only when their workspace is one of ``workspaces``
    if it names any (menu section keys: ``("contact_centre",)`` for an agent's dashlet);
    ``order`` places it among the defaults and in the "Add a dashlet" list (then registration
    order).
    """

    key: str
    title: object
    render: Callable
    permission: str | None = None
    default_roles: tuple[str, ...] = ()
    order: int = 100
    workspaces: tuple[str, ...] = ()

    def allowed_for(self, user) -> bool:
        return self.permission is None or user.can(self.permission)

    def default_for(self, role: str, workspace: str | None) -> bool:
        return role in self.default_roles and (not self.workspaces or workspace in self.workspaces)


@dataclass(frozen=True)
class DashletDefault:
    """Returned by ``passerelle_dashlets`` next to dashlets: makes an existing dashlet (usually one
    the kernel derives from an entity, ``"mine:client"``) a default of ``roles`` (and
    ``workspaces``), placed at ``order``. A key that does not exist is ignored."""

    key: str
    roles: tuple[str, ...]
    order: int | None = None
    workspaces: tuple[str, ...] = ()

    def apply_to(self, dashlet: Dashlet) -> Dashlet:
        return replace(dashlet, default_roles=self.roles, workspaces=self.workspaces,
                       order=dashlet.order if self.order is None else self.order)


class DashboardLayout(Base):
    """The dashlets a user chose, in their order."""

    __tablename__ = "dashboard_layouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    dashlets: Mapped[list] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# -- the catalogue of dashlets ---------------------------------------------------------------


class DashletRegistry:
    """Every dashlet of the application, by key, in display order."""

    def __init__(self, dashlets: list[Dashlet]):
        self._by_key: dict[str, Dashlet] = {}
        for dashlet in sorted(dashlets, key=lambda dashlet: dashlet.order):
            if dashlet.key in self._by_key:
                raise ValueError(f"dashlet {dashlet.key!r} is declared twice")
            self._by_key[dashlet.key] = dashlet

    def __iter__(self):
        return iter(self._by_key.values())

    def get(self, key: str) -> Dashlet | None:
        return self._by_key.get(key)


def install(app) -> None:
    """Collect the kernel's and the plugins' dashlets once, while the application is created."""
    entity_registry = app.extensions["passerelle.entities"]
    offered = app.extensions["passerelle.plugins"].collect("passerelle_dashlets")
    plugin_dashlets = [item for item in offered if isinstance(item, Dashlet)]
    defaults = {item.key: item for item in offered if isinstance(item, DashletDefault)}
    dashlets = [
        defaults[dashlet.key].apply_to(dashlet) if dashlet.key in defaults else dashlet
        for dashlet in entity_dashlets(entity_registry) + plugin_dashlets
    ]
    app.extensions[EXTENSION] = DashletRegistry(dashlets)


def registry() -> DashletRegistry:
    return current_app.extensions[EXTENSION]


# -- the kernel's dashlets, derived from every entity ----------------------------------------


def entity_dashlets(entity_registry) -> list[Dashlet]:
    dashlets = []
    for entity in entity_registry:
        dashlets.append(figures_dashlet(entity))
        if entity.assignable:
            dashlets.append(my_records_dashlet(entity))
    return dashlets


def figures_dashlet(entity) -> Dashlet:
    # A default of nobody: a plugin names the few worth a first page (DashletDefault).
    return Dashlet(
        key=f"figures:{entity.name}", title=LazyString(figures_title, entity),
        render=partial(render_figures, entity), permission=f"{entity.permission}.view",
        order=ENTITY_DASHLET_ORDER,
    )


def my_records_dashlet(entity) -> Dashlet:
    return Dashlet(
        key=f"mine:{entity.name}", title=LazyString(my_records_title, entity),
        render=partial(render_my_records, entity), permission=f"{entity.permission}.view",
        order=ENTITY_DASHLET_ORDER,
    )


def figures_title(entity) -> str:
    return _("%(records)s: figures", records=entity.label_plural)


def my_records_title(entity) -> str:
    return _("My %(records)s", records=str(entity.label_plural).lower())


def render_figures(entity, user):
    """Total and "mine" counts in one query."""
    model = entity.model
    columns = [func.count()]
    if entity.assignable:
        columns.append(func.count(case((model.assigned_user_id == user.id, 1))))
    row = db.session.execute(select(*columns).select_from(model).where(model.deleted_at.is_(None))).one()
    mine = row[1] if entity.assignable else None
    return "dashboard/figures.html", {"entity": entity, "total": row[0], "mine": mine, "user": user}


def render_my_records(entity, user):
    """The latest records assigned to the user, in one query."""
    model = entity.model
    statement = (
        entity.active().where(model.assigned_user_id == user.id)
        .order_by(model.updated_at.desc(), model.id.desc()).limit(LATEST_COUNT)
    )
    latest = [(record.id, entity.title_of(record)) for record in db.session.scalars(statement)]
    return "dashboard/my_records.html", {"entity": entity, "latest": latest, "user": user}


# -- a user's dashboard ----------------------------------------------------------------------


def saved_layout(user) -> DashboardLayout | None:
    return db.session.scalar(select(DashboardLayout).where(DashboardLayout.user_id == user.id))


def workspace_of(user) -> str | None:
    """The menu section the user sees first (their choice, else their role's, else the first)."""
    from kernel.menu import catalogue, daily_sections
    from kernel.menu import workspace_of as first_section

    return first_section(user, [section.key for section in daily_sections(catalogue())])


def default_keys(user) -> list[str]:
    """The defaults of the user's role and workspace; those of the role alone when their workspace
    has none (a workspace no plugin gives dashlets to)."""
    workspace = workspace_of(user)
    keys = [dashlet.key for dashlet in registry() if dashlet.default_for(user.role, workspace)]
    return keys or [dashlet.key for dashlet in registry() if user.role in dashlet.default_roles]


def layout_keys(user) -> list[str]:
    """The keys of the saved layout (even those that no longer exist), else the defaults."""
    layout = saved_layout(user)
    return list(layout.dashlets) if layout is not None else default_keys(user)


def is_customised(user) -> bool:
    return saved_layout(user) is not None


def usable_dashlet(key: str, user) -> Dashlet | None:
    """The dashlet named ``key`` if it exists and the user may see it."""
    dashlet = registry().get(key)
    return dashlet if dashlet is not None and dashlet.allowed_for(user) else None


def dashlets_of(user) -> list[Dashlet]:
    """The dashlets shown to the user, in their order."""
    shown = {}
    for key in layout_keys(user):
        dashlet = usable_dashlet(key, user)
        if dashlet is not None:
            shown.setdefault(key, dashlet)
    return list(shown.values())


def addable_dashlets(user) -> list[Dashlet]:
    """The dashlets the user may see and has not on their dashboard."""
    shown = {dashlet.key for dashlet in dashlets_of(user)}
    return [dashlet for dashlet in registry() if dashlet.key not in shown and dashlet.allowed_for(user)]


def render_dashlet(dashlet: Dashlet, user) -> Markup:
    result = dashlet.render(user)
    if isinstance(result, tuple):
        template, context = result
        return render_fragment(template, **context)
    return Markup(result)


def render_or_apologise(dashlet: Dashlet, user) -> Markup | None:
    """The dashlet's HTML, or ``None`` (logged) when it fails: one broken plugin must not take the
    whole dashboard down."""
    savepoint = db.session.begin_nested()  # a failed query must not abort the page's transaction
    try:
        html = render_dashlet(dashlet, user)
    except Exception:  # noqa: BLE001 - any plugin error
        savepoint.rollback()
        log.exception("dashlet %s failed to render", dashlet.key)
        return None
    savepoint.commit()
    return html


# -- changing a user's dashboard (the caller commits) ----------------------------------------


def save_layout(user, keys: list[str]) -> None:
    layout = saved_layout(user)
    if layout is None:
        layout = DashboardLayout(user_id=user.id)
        db.session.add(layout)
    layout.dashlets = list(dict.fromkeys(keys))
    layout.updated_at = utcnow()


def add_dashlet(user, key: str) -> bool:
    if key not in {dashlet.key for dashlet in addable_dashlets(user)}:
        return False
    save_layout(user, layout_keys(user) + [key])
    return True


def remove_dashlet(user, key: str) -> bool:
    keys = layout_keys(user)
    if key not in keys:
        return False
    save_layout(user, [kept for kept in keys if kept != key])
    return True


def move_dashlet(user, key: str, step: int) -> bool:
    """Swap the dashlet with its shown neighbour (``step`` -1: before, +1: after); hidden keys of
    the saved layout stay where they are."""
    keys = layout_keys(user)
    shown = [dashlet.key for dashlet in dashlets_of(user)]
    if key not in shown or not 0 <= shown.index(key) + step < len(shown):
        return False
    neighbour = shown[shown.index(key) + step]
    here, there = keys.index(key), keys.index(neighbour)
    keys[here], keys[there] = keys[there], keys[here]
    save_layout(user, keys)
    return True


def reorder_dashlets(user, ordered: list[str]) -> bool:
    """Put the shown dashlets in the order given (drag and drop); it must name exactly them."""
    keys = layout_keys(user)
    shown = [dashlet.key for dashlet in dashlets_of(user)]
    if sorted(ordered) != sorted(shown):
        return False
    next_shown = iter(ordered)
    save_layout(user, [next(next_shown) if key in shown else key for key in keys])
    return True


def reset_layout(user) -> None:
    layout = saved_layout(user)
    if layout is not None:
        db.session.delete(layout)
