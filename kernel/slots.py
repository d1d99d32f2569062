"""Named template slots: places in the pages that any plugin fills, in order.

A page says *where*: ``{{ slot("record_header_buttons", entity=entity, record=record) }}``. A plugin
says *what*, through the hook ``passerelle_template_slots``: ``Slot`` objects, each a template of
the plugin rendered in that place with the page's arguments. So a plugin adds a button to another
module's pages without writing into its templates, and several plugins share one place.

The slot names are declared here, once (``SLOT_NAMES``); a plugin filling a name that is not
declared, or giving a template that does not exist, stops the application at start-up with a
clear error. A filler that fails while rendering is logged and left out: one broken plugin must
not take the page down.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from flask_login import current_user
from jinja2 import TemplateNotFound
from markupsafe import Markup
from sqlalchemy.exc import DBAPIError

from kernel.db import db
from kernel.fragments import render_fragment

log = logging.getLogger(__name__)

EXTENSION = "passerelle.slots"

SLOT_NAMES: dict[str, str] = {
    # name: where the slot is, and the arguments its fillers' templates receive
    "record_header_buttons": "the buttons at the top of a record's page, before Edit (entity, record)",
    "record_actions_menu": "items (<li>) of the edit form's Actions menu (entity, record)",
    "list_buttons": "the buttons at the top of a list, before Create (entity)",
    "result_card_actions": "actions of one search result, a card or a line (entity, record)",
    "dashboard_top": "above the dashlets of the dashboard (user)",
    "profile_sections": "sections of the user's profile page, after the plugins' panels (user)",
    "person_consent": "a person's consent to the purposes of a message about to be sent to them, with a way "
                      "to record a verbal one (entity, record, purposes, next)",
    "person_form_consent": "consent questions inside a form that creates a person: the registration kiosk, the "
                           "helpline's new profile (entity, purposes, channel)",
}


@dataclass(frozen=True)
class Slot:
    """A plugin's filler of the slot ``name``: ``template`` rendered there with the page's
    arguments (``entity``, ``record``, ``user``… as ``SLOT_NAMES`` says).

    ``order`` places it among the slot's fillers (lower first, then registration order);
    ``permission`` hides it from users who do not hold it; ``entities`` (entity names) limits it
    to the pages of those entities, for slots given an ``entity``.

    ``when``, a function of no argument, is asked before each rendering: when it answers false the
    filler shows nothing and its template is not rendered. It is for a filler that shows in some
    requests only, whatever the record (the helpline's "Refer" needs an open contact): a page of
    twenty result cards then costs twenty calls instead of twenty renders of nothing. Keep it cheap
    (``once_per_request``)."""

    name: str
    template: str
    order: int = 100
    permission: str | None = None
    entities: tuple[str, ...] | None = None
    when: Callable[[], object] | None = None

    def shown_to(self, user, entity_name: str | None) -> bool:
        if self.entities is not None and entity_name not in self.entities:
            return False
        if self.permission is None:
            return True
        return bool(getattr(user, "is_authenticated", False)) and user.can(self.permission)


class SlotRegistry:
    """Every slot's fillers, in display order."""

    def __init__(self, fillers: list[Slot]):
        self._by_name: dict[str, list[Slot]] = {name: [] for name in SLOT_NAMES}
        for filler in sorted(fillers, key=lambda filler: filler.order):
            self._by_name[filler.name].append(filler)

    def fillers(self, name: str) -> list[Slot] | None:
        """The fillers of ``name``, or ``None`` when no such slot is declared."""
        return self._by_name.get(name)


def install(app, plugin_set) -> None:
    """Collect and check the plugins' fillers once, while the application is created, and give
    templates the ``slot()`` function."""
    from kernel.plugins import PluginError

    fillers = []
    # get_hookimpls() lists plugins in registration order: the order among equal ``order``s.
    for impl in plugin_set.manager.hook.passerelle_template_slots.get_hookimpls():
        for filler in impl.function() or []:
            problem = _problem_with(app, filler)
            if problem:
                raise PluginError(f"plugin '{impl.plugin_name}': {problem}")
            fillers.append(filler)
    app.extensions[EXTENSION] = SlotRegistry(fillers)
    app.jinja_env.globals["slot"] = render_slot


def _problem_with(app, filler) -> str | None:
    if not isinstance(filler, Slot):
        return f"passerelle_template_slots returned {filler!r}, not a kernel Slot"
    if filler.when is not None and not callable(filler.when):
        return f"the slot filler {filler.template}: when={filler.when!r} is not a function"
    if filler.name not in SLOT_NAMES:
        return (f"fills the template slot '{filler.name}', which does not exist. "
                f"Template slots: {', '.join(SLOT_NAMES)}.")
    try:
        app.jinja_env.get_template(filler.template)
    except TemplateNotFound:
        return f"the template '{filler.template}' filling the slot '{filler.name}' does not exist"
    return None


def render_slot(name: str, **context) -> Markup:
    """The HTML of every filler of ``name`` the current user may see, in order (the templates'
    ``slot()``). An unknown name renders nothing and is logged.

    A filler whose template gives only white space (it had nothing to show) counts as none, so
    the result is empty, and false, exactly when no filler showed anything: a page keeps its own
    fallback with ``{% set actions = slot(...) %}{% if actions %}…{% else %}…{% endif %}``."""
    fillers = current_app.extensions[EXTENSION].fillers(name)
    if fillers is None:
        log.error("the template slot %r does not exist (see kernel.slots.SLOT_NAMES)", name)
        return Markup("")
    entity = context.get("entity")
    entity_name = getattr(entity, "name", entity)
    user = current_user._get_current_object()  # the proxy looked up once, not per filler
    parts = [_render_filler(filler, context) for filler in fillers if filler.shown_to(user, entity_name)]
    return Markup("\n").join(part for part in parts if part and not part.isspace())


def _render_filler(filler: Slot, context: dict) -> Markup | None:
    try:
        if filler.when is not None and not filler.when():
            return None
        return render_fragment(filler.template, **context)
    except Exception as error:  # noqa: BLE001 - any plugin error
        log.exception("the template %s filling the slot %s failed", filler.template, filler.name)
        if isinstance(error, DBAPIError):
            # A failed statement aborts the transaction (PostgreSQL): without a rollback the rest
            # of the page could not read anything. Fillers run once per card of a list, so no
            # savepoint around each of them (two more statements per card).
            db.session.rollback()
        return None
