"""The plugin toolkit: everything of the kernel a plugin may use, from one module.

A plugin imports the kernel only from here (and its tests from ``kernel.testing``)::

    from kernel.toolkit import Entity, Record, field, hookimpl, lazy_gettext as _l

What ``__all__`` lists keeps its name and meaning for every toolkit version of the same major
number: the kernel's modules behind it may move and change. A name is added in a minor version
(1.1), removed or changed only in a major one (2.0). A plugin needing a recent addition says so
when it is imported::

    require_toolkit(1, 0)

``records`` and ``clock`` are namespaces of functions (``records.create(...)``,
``clock.today()``), as plugins have always written them; they hold only what is listed below.
"""

from __future__ import annotations

from types import SimpleNamespace

from kernel import clock as _clock
from kernel import hookimpl, jobs, secure_links
from kernel import records as _records
from kernel.access_log import RecordRead, note_read
from kernel.beside import Beside, read_beside
from kernel.calendar_items import CalendarItem
from kernel.choices import PROVINCES, ChoiceList
from kernel.config import private_folder, write_private
from kernel.consent import PURPOSES as CONSENT_PURPOSES
from kernel.consent import (
    MessageRefused,
    OutgoingMessage,
    consents_kept,
    people_without_consent,
    person_ref,
    split_person,
)
from kernel.contact_values import EmailNotValidError, PhoneNotValid, formatted_phone, normalized_email
from kernel.dashboard import Dashlet, DashletDefault
from kernel.db import Base, db, stream_all, utcnow
from kernel.duplicates import REASON_NAME, DuplicateRule, company_name_key, find_duplicates, phone_key
from kernel.entities import TEXT_MAX, Assignable, Closing, Entity, FieldMeta, Record, bilingual_title, field
from kernel.export import BATCH, ReferenceTitles, spreadsheet_safe, stream_csv, value_formatter
from kernel.filters import FilterError, parse_conditions
from kernel.form_sections import FormSection
from kernel.i18n import LANGUAGES, gettext, lazy_gettext, ngettext
from kernel.inbound_sms import InboundSms, receive_sms
from kernel.listing import COUNT_CAP, count_capped, filtered, quick_search
from kernel.menu import MenuItem, MenuSection, ModulePlacement
from kernel.migration_ops import rename_tables
from kernel.notifications import notify
from kernel.onepass import OnePass
from kernel.openapi import ApiSchema, api_operation
from kernel.outbox import EMAIL, OutboxMessage, queue_email, queue_sms
from kernel.panels import Panel
from kernel.permissions import (
    ADMINISTRATOR,
    EVERYONE,
    MANAGERS,
    PARTNER,
    READONLY,
    ROLES,
    STAFF,
    SUPERVISOR,
    WRITERS,
    Permission,
    forget_granted_permissions,
    record_permissions,
    require,
)
from kernel.personal_data import ANONYMISED, IdentifyingData, PersonData, RetentionEvent
from kernel.plugins import PluginError
from kernel.ratelimit import limiter
from kernel.registry import entities
from kernel.registry import plugins as enabled_plugins
from kernel.related import related_titles
from kernel.related import split as split_related
from kernel.reporting import (
    PERIOD_PRESETS,
    Period,
    ReportColumn,
    StandardReport,
    joined_text,
    month_of,
    related_key,
    year_of,
)
from kernel.request_state import SessionRead, forget_for_request, once_per_request
from kernel.rules import is_taken
from kernel.schemas import load as _load
from kernel.schemas import savable_text
from kernel.security.events import (
    EXPORTED,
    FORCE_CLOSE_APPROVED,
    PERMISSIONS_CHANGED,
    record_event,
    record_export,
)
from kernel.security.passwords import FORCE_CLOSE, KIOSK_EXIT, verify_password
from kernel.slots import SLOT_NAMES, Slot
from kernel.storage import StorageUnavailable, StoredFileMissing, storage
from kernel.text import digits, fold
from kernel.users import User, active_users, users_by_id
from kernel.validators import NotAWebAddress, end_not_before_start, web_address
from kernel.views.api import problem, token_required
from kernel.views.auth import safe_next
from kernel.views.records import filter_fields

TOOLKIT_VERSION = (1, 10)


class ToolkitVersionError(PluginError):
    """The installed kernel's toolkit is not the version a plugin requires."""


def require_toolkit(major: int, minor: int = 0) -> None:
    """Stop a plugin's import with a clear error unless this kernel offers toolkit
    ``major.minor`` or a later minor version of the same major one."""
    have_major, have_minor = TOOLKIT_VERSION
    if major == have_major and minor <= have_minor:
        return
    installed = f"{have_major}.{have_minor}"
    if major > have_major or (major == have_major and minor > have_minor):
        raise ToolkitVersionError(
            f"a plugin requires the Passerelle toolkit {major}.{minor}, but the installed kernel offers "
            f"{installed}: upgrade Passerelle, or install an older version of the plugin")
    raise ToolkitVersionError(
        f"a plugin was written for the Passerelle toolkit {major}.{minor}, but the installed kernel offers "
        f"{installed}, whose names may differ: upgrade the plugin")


def csrf_exempt(view_or_blueprint):
    """Exempt a view or a blueprint authenticated by API tokens from the CSRF check (as the
    kernel's REST API is)."""
    from kernel.app import csrf

    return csrf.exempt(view_or_blueprint)


records = SimpleNamespace(
    create=_records.create,  # (entity, raw, user) -> record: validates, writes the history
    update=_records.update,  # (entity, record, raw, user, *, expected_version=None, partial=True)
    delete=_records.delete,  # (entity, record, user, *, expected_version=None): to the trash
    restore=_records.restore,
    reopen=_records.reopen,
    get=_records.get,  # (entity, record_id, *, include_deleted=False) -> record or None
    validate=_load,  # (entity, raw, *, partial, record=None) -> data, or raises ValidationError
    StaleRecord=_records.StaleRecord,  # someone saved the record since it was read
    RecordClosed=_records.RecordClosed,
)
"""Saving records the one way forms, the API and imports do; the caller commits."""

def _personal_data():
    from kernel import personal_data as _data
    from kernel.personal_data import applying as _apply
    from kernel.personal_data import declarations as _declarations

    return SimpleNamespace(
        plan=_data.plan,  # (entity, ids, action="anonymise", *, held=None) -> Plan: what it reaches, its blockers
        apply=_data.apply,  # (plan) -> counts per entity; the caller commits
        person_data=_data.person_data,  # (entity, record_id) -> [PersonData]: every plugin's, for the export
        events_of=_data.events_of,  # (entity) -> {key: RetentionEvent}
        declaration_of=_data.declaration_of,  # (entity) -> IdentifyingData, the kernel's default if none
        statistics_kept=_data.statistics_kept,  # (entity) -> {field: label}: what a rule may also empty
        declarations=_declarations.declarations,  # () -> {entity name: IdentifyingData}, merged
        scrub_outbox=_apply.scrub_outbox,  # (message ids) -> n: recipient, subject and body emptied
        ANONYMISE="anonymise", DELETE="delete",
    )


personal_data = _personal_data()
"""Anonymising, erasing and exporting a person's data across every plugin (docs/privacy.md)."""

clock = SimpleNamespace(
    today=_clock.today,  # (user=None) -> the date where the user is
    local_now=_clock.local_now,  # (user=None) -> an aware datetime in the user's zone
    local_zone=_clock.local_zone,  # (user=None) -> ZoneInfo
)
"""The organisation's clock: never ``date.today()`` (the server's date)."""

__all__ = [
    # the contract and its version
    "TOOLKIT_VERSION", "require_toolkit", "ToolkitVersionError", "PluginError", "hookimpl",
    # translations (English message ids, French catalogue in the plugin's translations/)
    "gettext", "lazy_gettext", "ngettext", "LANGUAGES",
    # records: declaration, fields, choices, rules
    "Record", "Assignable", "Entity", "field", "FieldMeta", "Closing", "bilingual_title", "TEXT_MAX",
    "ChoiceList", "PROVINCES", "DuplicateRule", "company_name_key", "phone_key", "find_duplicates", "REASON_NAME",
    "end_not_before_start", "web_address", "NotAWebAddress", "is_taken",
    "EmailNotValidError", "normalized_email", "PhoneNotValid", "formatted_phone", "digits", "fold",
    # database and saving records
    "db", "Base", "utcnow", "stream_all", "records", "clock",
    # many small reads sent as one statement (toolkit 1.6)
    "OnePass",
    # a value worked out once per request, kept for the rest of it (toolkit 1.7)
    "once_per_request", "forget_for_request",
    # a small table most pages need, read with the browser's session (toolkit 1.8)
    "SessionRead",
    # a long read started on a connection of its own while the request goes on (toolkit 1.10)
    "read_beside", "Beside",
    # background work across several workers: exclusive jobs, claimed rows (toolkit 1.4)
    "jobs",
    # a record's page opened without an account, by a token sent by e-mail, and the rate limit of
    # such pages (``@limiter.limit("30 per minute")``) (toolkit 1.5)
    "secure_links", "limiter",
    # text that the database can store (no NUL, no lone surrogate), for input read outside a form (toolkit 1.5)
    "savable_text",
    # what is enabled
    "entities", "enabled_plugins",
    # permissions and users
    "Permission", "record_permissions", "require", "forget_granted_permissions", "ROLES",
    "ADMINISTRATOR", "SUPERVISOR", "STAFF", "READONLY", "PARTNER", "EVERYONE", "MANAGERS", "WRITERS",
    "User", "active_users", "users_by_id",
    # screens: menus, panels, form sections, dashlets, template slots
    "MenuItem", "MenuSection", "ModulePlacement", "Panel", "FormSection", "Dashlet", "DashletDefault", "CalendarItem",
    "Slot", "SLOT_NAMES",
    # lists, filters, exports, links between records
    "COUNT_CAP", "count_capped", "filtered", "quick_search", "FilterError", "parse_conditions",
    "filter_fields", "BATCH", "ReferenceTitles", "spreadsheet_safe", "stream_csv", "value_formatter",
    "related_titles", "split_related",
    # reports
    "ReportColumn", "StandardReport", "Period", "PERIOD_PRESETS", "joined_text", "related_key",
    "month_of", "year_of",
    # messages, notifications, security log
    "notify", "queue_email", "queue_sms", "OutboxMessage", "EMAIL",
    # SMS received from people (toolkit 1.4)
    "InboundSms", "receive_sms",
    "record_event", "record_export", "EXPORTED", "PERMISSIONS_CHANGED", "FORCE_CLOSE_APPROVED",
    "verify_password", "FORCE_CLOSE", "KIOSK_EXIT",
    # web: API answers, token authentication, CSRF, redirects, private files
    "problem", "token_required", "csrf_exempt", "safe_next", "private_folder", "write_private",
    # users' files kept in the instance folder or object storage (kernel.storage)
    "storage", "StoredFileMissing", "StorageUnavailable",
    # who saw what: reads of sensitive records (docs/privacy.md)
    "note_read", "RecordRead",
    # consent by purpose: messages about a person, refused without their consent (docs/privacy.md)
    "CONSENT_PURPOSES", "MessageRefused", "OutgoingMessage", "person_ref", "split_person",
    "people_without_consent", "consents_kept",
    # a person's data: what identifies them, anonymisation, export and erasure (docs/privacy.md)
    "IdentifyingData", "PersonData", "RetentionEvent", "ANONYMISED", "personal_data",
    # the API's description (OpenAPI): each API route's parameters, bodies and answers
    "api_operation", "ApiSchema",
    # migrations: what Alembic's op does not offer (a plugin renamed, its tables moved)
    "rename_tables",
]
