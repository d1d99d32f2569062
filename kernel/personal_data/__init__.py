"""A person's data across every plugin: what identifies them, what anonymising keeps, what they
are given back on request.

Each plugin declares, per entity, an ``IdentifyingData`` (hook ``passerelle_identifying_data``)
and gives what it holds about a person through ``passerelle_person_data``. The kernel does what
it can for every entity without a declaration (a person entity's text, e-mail, phone, address and
date fields identify; records pointing at a person through a reference or "related to" field are
about that person) and cleans its own tables: the history of changes, the quick-search index, the
duplicate keys, notifications and the outbox. The privacy plugin uses it for retention, export
and erasure (docs/privacy.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kernel.i18n import lazy_gettext as _l

ANONYMISED = "—"  # what a required text field holds once anonymised


@dataclass(frozen=True)
class RetentionEvent:
    """An event after which a retention rule counts: ``when(model)`` is an SQL expression giving
    the moment it happened (NULL while it has not: an open contact is never due)."""

    key: str
    label: object
    when: Callable


@dataclass(frozen=True)
class IdentifyingData:
    """What one entity holds that identifies a person, and what happens to its dependants.

    ``fields``       columns emptied when a record is anonymised (any mapped column, declared or not);
    ``coarsen``      ``{field: function(value) -> value}``: kept, made less precise (a postal code
                     reduced to its area, ``H2X 1Y4`` → ``H2X``);
    ``keeps``        a translatable sentence for administrators: what an anonymised record still says
                     (counts by month, area, need);
    ``persons``      ``{link field: person entity}``: the person the record is about; the link is
                     cleared when the record is anonymised, and the person, once no record points
                     at them any more, is anonymised too (a caller's profile after their last contact);
    ``detach``       reference fields that point at a person the record is NOT about (the client a
                     volunteer helps): cleared when that person is erased, and the record left alone;
    ``dependants``   ``function(ids, deleting) -> {label: count}``: the plugin's own tables and files
                     for these records (documents' files, messages of the outbox), called once per batch;
    ``blocks``       ``function(record) -> message or None``: a reason the record may not be
                     anonymised or erased now (an open case file);
    ``events``       the events a retention rule of this entity may count from, besides the kernel's
                     (creation, last change);
    ``linked``       ``function(entity, ids) -> ids``: the records of this entity tied to those
                     records of ``entity`` by a table of the plugin rather than a field (documents
                     linked to a client): they are about the same person.
    """

    entity: str
    fields: tuple[str, ...] = ()
    coarsen: dict = field(default_factory=dict)
    keeps: object = None
    persons: dict = field(default_factory=dict)
    detach: tuple[str, ...] = ()
    dependants: Callable | None = None
    blocks: Callable | None = None
    events: tuple[RetentionEvent, ...] = ()
    linked: Callable | None = None


@dataclass
class PersonData:
    """Part of "everything we hold about this person": a table of rows (each a dict, written as
    JSON and CSV in the export) or a file. ``title`` is translatable (the export is in the
    person's language); ``rows`` a list of dicts of plain values; ``files`` ``{name: bytes}``."""

    key: str
    title: object
    rows: list = field(default_factory=list)
    files: dict = field(default_factory=dict)


CREATED_EVENT = RetentionEvent("created", _l("Creation of the record"), lambda model: model.created_at)
LAST_CHANGE_EVENT = RetentionEvent("last_change", _l("Last change to the record (last activity)"),
                                   lambda model: model.updated_at)

from kernel.personal_data.applying import apply  # noqa: E402
from kernel.personal_data.collecting import person_data  # noqa: E402
from kernel.personal_data.declarations import (  # noqa: E402
    declaration_of,
    events_of,
    identifying_fields,
    statistics_kept,
)
from kernel.personal_data.planning import Plan, plan  # noqa: E402

__all__ = [
    "ANONYMISED", "IdentifyingData", "PersonData", "RetentionEvent", "CREATED_EVENT", "LAST_CHANGE_EVENT",
    "declaration_of", "events_of", "identifying_fields", "statistics_kept", "Plan", "plan", "apply", "person_data",
]
