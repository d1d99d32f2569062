"""Panels that plugins add to a record's detail page (hook ``passerelle_record_panels``).

A panel that shows rows from the database does not read them itself: it names its reads
(``reads``: ``{name: select()}``, ``counts``: ``{name: select()}``) and a ``build`` function that
makes its template's context from what they found. The kernel sends the reads of every panel of
the page in one statement (``kernel.onepass``), so a page costs the same number of statements
whatever the number of plugins and panels (issue 18). A panel replaced by another is never read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Panel:
    """A section of a detail page: a title and a template rendered with ``context``.

    ``actions`` are ``(label, url)`` buttons shown in the panel's header, such as "Schedule a
    call" already linked to the record. ``replaces`` names the keys of panels this one stands for
    (a plugin gathering several of the kernel's linked-record panels into one). ``reads`` and
    ``counts`` are the panel's queries (rows, single values), ``build(found)`` turns what they
    found (``{name: rows or value}``) into more ``context``; ``prepare(panel)``, when given, fills
    the rest of the panel only if it is shown (not replaced by another).

    ``params``, when given, says the reads are *prepared*: statements the panel's module builds
    once with named ``bindparam``s (``functools.cache``), and ``params`` their values for this
    record (names unique to the module, since every panel's reads share one statement). The page
    then builds none of them again, and its statement is the same text on every page, which
    PostgreSQL plans once per connection (``kernel.onepass``)."""

    key: str
    title: object
    template: str
    context: dict = field(default_factory=dict)
    actions: list[tuple[object, str]] = field(default_factory=list)
    order: int = 100
    replaces: tuple[str, ...] = ()
    reads: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)
    build: Callable[[dict], dict] | None = None
    prepare: Callable[[Panel], None] | None = None
    params: dict | None = None


def panels_for(plugin_set, entity, record, user) -> list[Panel]:
    """The page's panels in order, without those another replaces; their reads not sent yet."""
    found = plugin_set.collect("passerelle_record_panels", entity=entity, record=record, user=user)
    replaced = {key for panel in found for key in panel.replaces}
    shown = sorted((panel for panel in found if panel.key not in replaced), key=lambda panel: panel.order)
    for panel in shown:
        if panel.prepare is not None:
            panel.prepare(panel)
    return shown


def add_reads(panels: list[Panel], onepass) -> None:
    """Put every panel's reads in ``onepass`` (keys prefixed with the panel's)."""
    for index, panel in enumerate(panels):
        for name, statement in panel.reads.items():
            onepass.rows(_key(index, name), statement, panel.params)
        for name, statement in panel.counts.items():
            onepass.scalar(_key(index, name), statement, panel.params)


def build_panels(panels: list[Panel], found: dict) -> None:
    """Give each panel the context made from what its reads found."""
    for index, panel in enumerate(panels):
        if panel.build is None:
            continue
        mine = {name: found[_key(index, name)] for name in [*panel.reads, *panel.counts]}
        panel.context.update(panel.build(mine))


def read_panels(panels: list[Panel]) -> list[Panel]:
    """Send the panels' reads (one statement) and build them: for a page showing panels alone."""
    from kernel.onepass import OnePass

    onepass = OnePass()
    add_reads(panels, onepass)
    build_panels(panels, onepass.run())
    return panels


def _key(index: int, name: str) -> str:
    return f"panel{index}:{name}"
