"""The plugin contract: every hook the kernel calls, in one place.

A plugin is a Python module (or object) registered under the entry-point group
``passerelle.plugins``. It implements any of the hooks below with functions of the same name
decorated with ``kernel.hookimpl``, and may set two module attributes:

``LABEL``     a translatable name for the plugin (defaults to its entry-point name);
``REQUIRES``  a tuple of plugin names that must be enabled with it;
``ORDER``     a number placing the plugin, its entities and its modules (in the sidebar, the "+"
              menu, the search page) among the others: lower first; default 100.

Only enabled plugins (setting ``PASSERELLE_PLUGINS``) are registered, so a disabled plugin's
hooks are never called: its entities, menus, routes, API endpoints and report columns are
absent while its tables stay in the database untouched.

Hooks are called with keyword arguments; an implementation may accept any subset of them.
Hooks that collect things return a list (or ``None``); the kernel concatenates the results of
every plugin in registration order. A hook whose docstring says *firstresult* is declared with
``firstresult=True``: the first plugin to answer something other than ``None`` wins and the
others are not called. No hook of the contract is firstresult today: every plugin's answer counts.

A hook implementation whose name is no hook below stops the start (``kernel.plugins.PluginError``,
naming the plugin, the hook and the closest hook name): a misspelled hook is never ignored
silently. Every hook is listed in ``docs/plugins.md`` and called by the test suite
(``tests/kernel/test_plugin_contract.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, Protocol

import click
import pluggy
from flask import Blueprint
from sqlalchemy.orm import Session

from kernel.calendar_items import CalendarItem
from kernel.dashboard import Dashlet, DashletDefault
from kernel.entities import Entity, Record
from kernel.form_sections import FormSection
from kernel.menu import MenuItem, MenuSection, ModulePlacement
from kernel.panels import Panel
from kernel.permissions import Permission
from kernel.reporting import ReportColumn, StandardReport
from kernel.request_state import SessionRead
from kernel.users import User

hookspec = pluggy.HookspecMarker("passerelle")


class SmsProvider(Protocol):
    """What ``passerelle_sms_providers`` offers: a way of sending one SMS."""

    def send(self, to: str, body: str) -> str:
        """Send ``body`` to the phone number ``to``; return the gateway's message id, raise on
        failure."""


@hookspec
def passerelle_entities() -> list[type[Record]] | None:
    """Declare the record types (entities) of the plugin.

    Called once while the application is created, before anything else is derived.

    Returns a list of SQLAlchemy model classes that inherit ``kernel.entities.Record`` and carry
    an ``__entity__`` declaration (``kernel.entities.Entity``). From each the kernel derives the
    validation schema, list, detail and edit views, the REST API, history and the trash.

    Not firstresult: every plugin's implementation is called.
    """


@hookspec
def passerelle_permissions() -> list[Permission] | None:
    """Declare the permissions of the plugin.

    Called once while the application is created.

    Returns a list of ``kernel.permissions.Permission`` named ``<plugin>.<action>``, each with a
    translatable label and the roles that hold it by default. ``kernel.permissions.
    record_permissions(prefix, noun)`` builds the usual view/create/edit/delete set.

    Not firstresult: every plugin's implementation is called.
    """


@hookspec
def passerelle_user_permissions(user: User) -> Iterable[str] | None:
    """Grant a user permissions besides those their role holds.

    Called at most once per request and user, the first time a permission their role does not
    hold is checked (``User.can``). A plugin uses it for access its administrators give to
    chosen people rather than to a role, such as the employment-assistance (SAE) team.

    ``user`` is the ``kernel.users.User``. Returns an iterable of permission names (or ``None``);
    names no plugin declared are ignored.

    Not firstresult: every plugin's implementation is called.
    """


@hookspec
def passerelle_session_reads() -> list[SessionRead] | None:
    """Reads that most signed-in pages need, sent with the statement that reads the browser's
    session and its user rather than as statements of their own.

    Called once, at start-up. Each ``kernel.request_state.SessionRead`` names a key, a function
    returning a ``select`` built once and without parameters (the rows of a small table: the SAE
    team, which ``passerelle_user_permissions`` asks on every page that draws the menu), and what
    to keep of its rows. What was found is kept for the request under the key: the plugin's
    ``once_per_request(key, …)`` finds it there, and reads it by itself where no session was read
    (an API call, a command).

    Not firstresult: every plugin's implementation is called.
    """


@hookspec
def passerelle_menu_items() -> list[MenuItem] | None:
    """Add entries to the sidebar besides those the kernel derives from entities.

    Called once per application, when the first page is rendered.

    Returns a list of ``kernel.menu.MenuItem`` (label, endpoint, permission, icon name, the
    module they belong to, and whether they are a setting). An item whose ``module`` is an
    entity's name, or the module of an earlier item, is one of that module's actions, shown in the
    sidebar while a page of that module is open; otherwise it is a module of its own (the
    calendar). A ``settings=True`` item is listed in the Administration area instead. Entities
    already get "View …" and "Create …" actions.

    Not firstresult: every plugin's implementation is called.
    """


@hookspec
def passerelle_menu_sections() -> list[MenuSection] | None:
    """Declare sections of the sidebar: the headings that group modules by kind of work.

    Called once per application, when the first page is rendered.

    Returns a list of ``kernel.menu.MenuSection`` (a key, a translatable label, an ``order``,
    lower first, and an icon name of the lucide set). Any plugin may place its modules in any
    section, its own or another plugin's (see ``passerelle_menu_placements``). A user's
    workspace, the section shown first and open, is one of these keys (``WORKSPACES`` setting
    per role, or the user's choice in their profile).

    Not firstresult: every plugin's implementation is called.
    """


@hookspec
def passerelle_menu_placements() -> list[ModulePlacement] | None:
    """Say which section each of the plugin's modules belongs to, and which are settings.

    Called once per application, when the first page is rendered.

    Returns a list of ``kernel.menu.ModulePlacement``: the module (an entity's name or the
    ``module`` key of menu items), a section key, an icon name replacing the entity's, and
    ``settings=True`` for what configures the work rather than is the work (survey questions,
    source lines, postal codes): those are listed in the Administration area and the sidebar's
    closed "Settings" section, grouped by their section. A module placed nowhere, or in a section
    nobody declared, is listed under "Other modules". Modules of a section are listed in the
    order of the placements, plugins in their registration order (lower ``ORDER`` first).

    Not firstresult: every plugin's implementation is called.
    """


@hookspec
def passerelle_blueprints() -> list[Blueprint] | None:
    """Give the Flask blueprints that hold the plugin's own screens.

    Called once while the application is created; each blueprint is registered on the app.

    Returns a list of ``flask.Blueprint``. Templates go in the plugin's ``templates/`` folder
    (found without declaration) and may extend the theme's ``layout.html``.

    Not firstresult: every plugin's implementation is called.
    """


@hookspec
def passerelle_cli_commands() -> list[click.Command] | None:
    """Add commands to the ``passerelle`` command line.

    Called once while the application is created.

    Returns a list of ``click.Command`` (or ``flask.cli.AppGroup``) objects; they run inside
    the application context.

    Not firstresult: every plugin's implementation is called.
    """


@hookspec
def passerelle_demo_data(session: Session, users: dict[str, User]) -> None:
    """Load demonstration records on the first start of a new installation.

    Called once, after migrations, when the database holds no user yet.

    ``session`` is the SQLAlchemy session (the kernel commits it); ``users`` maps role names to
    the demo ``User`` objects created by the kernel. Returns nothing.

    Not firstresult: every plugin's implementation is called.
    """


@hookspec
def passerelle_record_saved(
    entity: Entity, record: Record, created: bool, changes: dict[str, tuple[Any, Any]],
    user: User | None,
) -> None:
    """React to a record being created or changed through the kernel's save service.

    Called inside the request's transaction, after validation and before commit, for forms, the
    API and imports alike.

    ``entity`` is the ``kernel.entities.Entity``; ``record`` the model instance; ``created``
    whether it is new; ``changes`` a dict ``{field: (old, new)}``; ``user`` who saved it (or
    ``None`` from the shell). Returns nothing. Raising aborts the save.

    Not firstresult: every plugin's implementation is called.
    """


@hookspec
def passerelle_template_context() -> dict[str, Any] | None:
    """Add variables to every template's context.

    Called for every rendered template.

    Returns a dict merged into the context.

    Not firstresult: every plugin's implementation is called.
    """


@hookspec
def passerelle_record_panels(entity: Entity, record: Record, user: User) -> list[Panel] | None:
    """Add panels to the detail page of a record, possibly of another plugin's entity.

    Called when a record's detail page is rendered (the activities plugin adds an activities
    panel to clients, the programmes plugin adds participations, and so on).

    ``entity`` is the ``kernel.entities.Entity`` shown, ``record`` the model instance, ``user``
    the viewer. Returns a list of ``kernel.panels.Panel`` (or ``None`` when the plugin has nothing
    for this entity or this user). Panels render in ``order``, then registration order.

    Not firstresult: every plugin's implementation is called.
    """


@hookspec
def passerelle_form_sections(entity: Entity, record: Record | None, user: User) -> list[FormSection] | None:
    """Add sections to an entity's create and edit form: rows that belong to the record without
    being its columns (a resource's phones and opening hours), edited in the same screen and saved
    with the record in one transaction.

    Called when the form is shown and when it is submitted (the user already may create or edit
    the record), and when the record's page is shown (the history names a section's changes by
    its title).

    ``entity`` is the ``kernel.entities.Entity``; ``record`` the model instance, or ``None`` on
    the create form; ``user`` the user. Returns a list of ``kernel.form_sections.FormSection`` (or
    ``None``): each reads the record's rows for its template, parses the submitted form into
    values and translated errors (the save is refused with every error, the user's entries kept)
    and writes them once the record is flushed, returning its changes for the history and
    ``passerelle_record_saved``. Sections render in ``order``, then registration order.

    Not firstresult: every plugin's implementation is called.
    """


@hookspec
def passerelle_profile_panels(user: User) -> list[Panel] | None:
    """Add sections to the user's own profile page (the activities plugin's calendar sharing).

    Called when the profile page is rendered. Returns a list of ``kernel.panels.Panel`` (or
    ``None``), rendered in ``order`` like a record's panels, with ``user`` in their context.

    Not firstresult: every plugin's implementation is called.
    """


@hookspec
def passerelle_calendar_items(owner_ids: set[int], start: datetime, end: datetime) -> list[CalendarItem] | None:
    """Put a module's dated work on its owners' calendars (the contact centre's follow-ups).

    Called by the calendar for the users ``owner_ids`` whose calendar is shown, from ``start`` to
    ``end`` (UTC). Returns ``kernel.calendar_items.CalendarItem`` (toolkit ``CalendarItem``) in one
    query, or ``None``. The calendar shows them read-only (no drag), linked to their ``url``.

    Not firstresult: every plugin's implementation is called.
    """


@hookspec
def passerelle_dashlets() -> list[Dashlet | DashletDefault] | None:
    """Offer dashlets: the blocks a user can put on their dashboard.

    Called once while the application is created.

    Returns a list of ``kernel.dashboard.Dashlet`` (a key, a title, the permission needed, the
    roles (and workspaces) that get it by default, and the function that renders it), and of
    ``kernel.dashboard.DashletDefault`` to make an existing dashlet (one the kernel derives from
    an entity, such as ``"mine:client"``) a default of some roles. Defaults are few: the kernel's
    entity dashlets are nobody's until a plugin says so.

    Not firstresult: every plugin's implementation is called.
    """


@hookspec
def passerelle_sms_providers() -> dict[str, SmsProvider] | None:
    """Offer ways of sending SMS.

    Called once while the application is created; the setting ``SMS_PROVIDER`` picks one by
    name (the kernel's default, ``log``, only writes messages to the log).

    Returns a dict ``{name: provider}`` where a provider has ``send(to, body) -> str`` returning
    the gateway's message id and raising an exception when sending failed
    (``SmsProvider``).

    Not firstresult: every plugin's implementation is called.
    """


@hookspec
def passerelle_worker_jobs() -> list[Callable[[], object]] | None:
    """Give periodic jobs to the background worker (``passerelle worker``).

    Called once when the worker starts.

    Returns a list of callables taking no argument. Each is called on every pass of the worker
    (every few seconds, after the outbox is drained), inside the application context; a job
    commits its own work, should return quickly, and decides itself when it has something to do
    (reminders due, a nightly clean-up…). An exception is logged and rolled back without stopping
    the worker or the other jobs.

    Not firstresult: every plugin's implementation is called.
    """


@hookspec
def passerelle_report_columns() -> list[ReportColumn] | None:
    """Add report columns to entities: related data and computed values.

    Called when the report builder lists what a report may show (at most once per request).
    Every declared field of an entity (``field(..., report=True)``, the default) is already a
    report column without any declaration; this hook adds what is not a plain field, such as a
    client's programmes, the number of calls in the report's period, or a case file's status.

    Returns a list of ``kernel.reporting.ReportColumn``: the entity it belongs to, a name, a
    translatable label, a kind (as ``field()`` kinds: how it is shown, grouped and summed), the
    permission it needs besides the entity's own, and ``expression(period)``, a function returning
    one SQL expression correlated with the entity's model (usually a scalar subquery counting or
    listing related rows, restricted to ``period`` with ``period.contains(column)``). The report
    runs every column in the same query: never one query per row. See ``docs/reports.md``.

    Not firstresult: every plugin's implementation is called.
    """


@hookspec
def passerelle_standard_reports() -> list[StandardReport] | None:
    """Offer standard reports: ready-made reports users open, run, chart, edit and save.

    Called when the reports page lists them (at most once per request).

    Returns a list of ``kernel.reporting.StandardReport``: a key, a translatable title and
    description, the entity, the columns or the grouping and aggregates, the period and the chart.
    A report whose entity or columns the user may not see is not offered to them.

    Not firstresult: every plugin's implementation is called.
    """


from kernel.slots import Slot  # noqa: E402  the return type of the hook below, appended with it


@hookspec
def passerelle_template_slots() -> list[Slot] | None:
    """Fill named template slots: places of the pages where any plugin may add its own HTML.

    Called once while the application is created. A slot is a named place in the kernel's and
    the theme's templates (``kernel.slots.SLOT_NAMES``: ``record_header_buttons``,
    ``record_actions_menu``, ``list_buttons``, ``result_card_actions``, ``dashboard_top``,
    ``profile_sections``), written ``{{ slot("list_buttons", entity=entity) }}``.

    Returns a list of ``kernel.slots.Slot``: the slot's name, the plugin's template rendered
    there with the page's arguments (escaped as usual), an ``order`` (lower first, then
    registration order), and optionally the ``permission`` a user needs to see it and the
    ``entities`` (names) whose pages show it. A name that is not a slot, or a template that does
    not exist, stops the start with a clear error; a filler that fails while rendering is logged
    and left out of the page.

    Not firstresult: every plugin's implementation is called.
    """


from kernel.consent import OutgoingMessage  # noqa: E402  the argument type of the hook below, appended with it


@hookspec
def passerelle_consent_purposes() -> list[tuple[str, Any]] | None:
    """Declare the purposes of consent the plugin's messages or uses serve, besides the kernel's
    (``kernel.consent.PURPOSES``: service delivery, sharing with a partner organisation, referrals
    by SMS, referrals by e-mail, follow-up calls, newsletters, research and funder statistics).

    Called once while the application is created. Returns ``(value, label)`` pairs, the label a
    lazy translation; they are added to the ``consent_purpose`` choice list's defaults, which
    administrators may then edit like any choice list.

    Not firstresult: every plugin's implementation is called.
    """


@hookspec
def passerelle_outbox_check(message: OutgoingMessage) -> str | None:
    """Say whether a message may be queued in the outbox.

    Called by ``queue_email`` and ``queue_sms`` for every message, before anything is added to
    the transaction, with a ``kernel.consent.OutgoingMessage`` (channel, recipient, subject, body,
    and the ``person`` it is to or about as ``"client:42"``, its ``purpose`` and, for sharing, the
    partner organisation as ``scope``; messages to staff name no person).

    Returns ``None`` to let it go, or a translated reason to refuse it: the outbox then raises
    ``kernel.consent.MessageRefused`` with that reason and queues nothing. The privacy plugin
    refuses a message to a person without a current consent for its purpose.

    Not firstresult: every plugin's implementation is called; one refusal is enough.
    """


@hookspec
def passerelle_people_without_consent(entity: Entity, purpose: str) -> Any | None:
    """Say which records of a person entity have no current consent to ``purpose``.

    Called by the reports plugin (``kernel.consent.people_without_consent``) when a report leaves
    out the people who did not consent to statistics, once per run.

    Returns a SQLAlchemy ``SELECT`` of one column, the ids of ``entity``'s records to leave out
    (a subquery the report's query uses as is: no id list in memory), or ``None`` when the plugin
    keeps no consents.

    Not firstresult: every plugin's implementation is called; the first answer not ``None`` is used.
    """


from kernel.personal_data import IdentifyingData, PersonData  # noqa: E402  the return types of the hooks below


@hookspec
def passerelle_identifying_data() -> list[IdentifyingData] | None:
    """Say, per entity, which fields identify a person and what happens to the records' dependants
    when they are anonymised or erased (retention rules, erasure on request).

    Called once while the application is created (the declarations are checked: an unknown entity
    or field stops the start), and by each retention run, dry run, erasure and person's export.

    Returns a list of ``kernel.personal_data.IdentifyingData``: the entity's name, the ``fields``
    emptied when a record is anonymised, those ``coarsen``-ed instead (a postal code to its area),
    what an anonymised record ``keeps`` (said to administrators), the ``persons`` a record is about
    (its link is cleared, and the person anonymised once nothing else points at them), the links to
    people it is not about (``detach``), a ``dependants(ids, deleting)`` function for the plugin's
    own tables and files (documents' files, outbox messages), a ``blocks(record)`` function giving
    a reason the record must be kept (an open case file), and the retention ``events`` the entity
    offers besides creation and last change (closing of a contact). Without a declaration, the text,
    e-mail, phone, address and date fields of a person entity identify; the kernel itself empties
    the history of changes, the quick-search index, the duplicate keys, notifications and the
    outbox messages sent to the person's addresses.

    Not firstresult: every plugin's implementation is called; declarations of one entity are merged.
    """


@hookspec
def passerelle_person_data(entity: Entity, record_id: int) -> list[PersonData] | None:
    """Give what the plugin holds about one person, for "everything we hold about this person".

    Called when someone builds a person's export (a client's or caller's ZIP), inside the
    request, with the person's language active: labels and titles come out in it.

    ``entity`` is the person's ``kernel.entities.Entity`` (``person=True``) and ``record_id`` the
    person's record. Returns a list of ``kernel.personal_data.PersonData`` (a key, a translatable
    title, ``rows`` as dicts of plain values, written as JSON and CSV, and ``files`` as
    ``{name: bytes}``), or ``None``. The kernel already gives the person's record and every record
    about them (reached through reference and related-to fields) with their history: a plugin adds
    only its other tables and files, and never another person's data.

    Not firstresult: every plugin's implementation is called.
    """


from kernel.inbound_sms import InboundSms  # noqa: E402  the argument type of the hook below, appended with it


@hookspec
def passerelle_inbound_sms(message: InboundSms) -> bool | None:
    """Take an SMS a person sent to the organisation.

    Called by ``kernel.inbound_sms.receive_sms`` (toolkit ``receive_sms``) when an SMS gateway
    plugin's webhook has received and authenticated a message, inside that request, before it
    commits. ``message`` is a ``kernel.inbound_sms.InboundSms`` (sender, recipient, body,
    received_at in UTC, and the gateway's id, the same when the gateway sends it again).

    Returns True when the plugin took the message (or had already taken that gateway id: a plugin
    must be idempotent on it, gateways retry), else ``None``. The contact centre opens a text
    contact or continues the open one from that number.

    Not firstresult: every plugin's implementation is called.
    """
