"""Favourites and recently viewed records: per-user shortcuts to records of any entity.

Both tables name a record by its entity's name and id, like the history does, so they work for
every entity any plugin declares. A shortcut whose record is in the trash, whose entity belongs
to a disabled plugin or that the user may no longer view is simply not listed.

The titles shown in the menus are loaded with one query per entity present, never one per row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from flask import g
from sqlalchemy import ForeignKey, Index, String, bindparam, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from kernel.db import Base, db, utcnow
from kernel.entities import Entity
from kernel.registry import entities
from kernel.text import fold

RECENT_LIMIT = 10  # the recently viewed records the sidebar lists
# Older views are forgotten in batches, once a user has this many: a record's page then sends the
# DELETE once in ten new views instead of at each (a statement and a millisecond of the page).
RECENT_KEPT_AT_MOST = 2 * RECENT_LIMIT


class Favourite(Base):
    """A record a user starred."""

    __tablename__ = "favourites"
    __table_args__ = (
        # also serves "the favourites of a user" (its first column)
        Index("ix_favourites_user_record", "user_id", "entity", "record_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    entity: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecentView(Base):
    """The last time a user opened a record's detail page (the newest ``RECENT_LIMIT`` are kept)."""

    __tablename__ = "recent_views"
    __table_args__ = (
        Index("ix_recent_views_user_record", "user_id", "entity", "record_id", unique=True),
        Index("ix_recent_views_user_viewed", "user_id", "viewed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    entity: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[int]
    viewed_at: Mapped[datetime] = mapped_column(default=utcnow)


@dataclass
class RecordLink:
    """A record as a menu shows it: its title, its module and where it is."""

    entity: Entity
    record_id: int
    title: str

    @property
    def module(self):
        return self.entity.label_plural

    @property
    def url(self) -> str:
        return record_url(self.entity.plural, self.record_id)


def record_url(plural: str, record_id: int) -> str:
    """``url_for("records.show_record", …)`` for the many links of a page (a menu's, a panel's
    rows): the module's list address, built once per application, and the id."""
    from kernel.menu import fixed_url

    return fixed_url("records.list_records", plural=plural) + str(int(record_id))


@dataclass
class NavigationMenus:
    favourites: list[RecordLink] = field(default_factory=list)
    recent: list[RecordLink] = field(default_factory=list)


# -- writing ----------------------------------------------------------------------------------
def _upsert(model):
    """An INSERT that can say what to do on conflict, in the dialect of the database."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


def _same_record(model, user, entity: Entity, record_id: int):
    return (model.user_id == user.id, model.entity == entity.name, model.record_id == record_id)


def is_favourite(user, entity: Entity, record) -> bool:
    cached = g.get("navigation_menus")
    if cached is not None and cached[0] == user.id:  # the menus list every favourite the user may open
        return any(link.entity.name == entity.name and link.record_id == record.id for link in cached[1].favourites)
    statement = select(Favourite.id).where(*_same_record(Favourite, user, entity, record.id))
    return db.session.scalar(statement) is not None


def set_favourite(user, entity: Entity, record, wanted: bool) -> None:
    """Star or unstar a record; asking twice for the same state changes nothing."""
    if wanted:
        insert = _upsert(Favourite).values(user_id=user.id, entity=entity.name, record_id=record.id,
                                           created_at=utcnow())
        db.session.execute(insert.on_conflict_do_nothing(index_elements=["user_id", "entity", "record_id"]))
    else:
        db.session.execute(delete(Favourite).where(*_same_record(Favourite, user, entity, record.id)))
    _forget_cached_menus()


def record_view(user, entity: Entity, record) -> None:
    """Note that ``user`` opened ``record`` now. The page forgets the older views when
    ``shortcuts_with`` says so (``forget_older_views``)."""
    db.session.execute(_view_upsert(db.session.get_bind().dialect.name),
                       {"user_id": user.id, "entity": entity.name, "record_id": record.id, "viewed_at": utcnow()})
    _forget_cached_menus()


@cache
def _view_upsert(dialect_name: str):
    """The statement noting a view, built once per dialect (every record's page sends it; its
    values are bound parameters)."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    insert = dialect.insert(RecentView).values(
        user_id=bindparam("user_id"), entity=bindparam("entity"), record_id=bindparam("record_id"),
        viewed_at=bindparam("viewed_at"),
    )
    return insert.on_conflict_do_update(index_elements=["user_id", "entity", "record_id"],
                                        set_={"viewed_at": insert.excluded.viewed_at})


@cache  # built once, the user a parameter
def _older_views_delete():
    user_id = bindparam("user_id")
    newest = (select(RecentView.id).where(RecentView.user_id == user_id)
              .order_by(RecentView.viewed_at.desc(), RecentView.id.desc()).limit(RECENT_LIMIT))
    return delete(RecentView).where(RecentView.user_id == user_id, RecentView.id.not_in(newest.scalar_subquery()))


# -- reading ----------------------------------------------------------------------------------
def menus_for(user) -> NavigationMenus:
    """The user's favourites and recently viewed records, loaded once per request."""
    cached = g.get("navigation_menus")
    if cached is None or cached[0] != user.id:
        cached = (user.id, _load_menus(user))
        g.navigation_menus = cached
    return cached[1]


def add_shortcut_reads(onepass, user, *, count: bool = True) -> None:
    """The user's favourites and recent views, and (``count``) how many views are kept: read
    before the page notes its own view (``shortcuts_with``), with the record in one statement
    (``kernel.onepass``)."""
    params = {"nav_user_id": user.id}
    favourites, recent, recent_count = _shortcut_statements()
    onepass.rows("nav:favourites", favourites, params=params)
    onepass.rows("nav:recent", recent, params=params)
    if count:
        onepass.scalar("nav:recent_count", recent_count, params=params)


@cache  # built once, the user a parameter: every page reads them (kernel.onepass)
def _shortcut_statements() -> tuple:
    user_id = bindparam("nav_user_id")
    return (select(Favourite.entity, Favourite.record_id).where(Favourite.user_id == user_id),
            select(RecentView.entity, RecentView.record_id).where(RecentView.user_id == user_id)
            .order_by(RecentView.viewed_at.desc(), RecentView.id.desc()).limit(RECENT_LIMIT),
            select(func.count()).select_from(RecentView).where(RecentView.user_id == user_id))


def keep_shortcuts(found: dict, user) -> None:
    """What ``add_shortcut_reads`` found with a page's other reads: the menus, when the page shows
    them, need only their records' titles."""
    g.navigation_shortcuts = (user.id, found)


def shortcuts_with(found: dict, entity: Entity, record) -> tuple[list, list, bool]:
    """``(favourites, recent, too many)``: the shortcuts ``add_shortcut_reads`` found, the record
    being viewed now first among the recent ones; whether the user now has more than
    ``RECENT_KEPT_AT_MOST`` views, the older of which are to forget."""
    viewed = (entity.name, record.id)
    earlier = [(name, record_id) for name, record_id in found["nav:recent"]]
    recent = [viewed, *(pair for pair in earlier if pair != viewed)][:RECENT_LIMIT]
    kept = found["nav:recent_count"] + (0 if viewed in earlier else 1)
    return [(name, record_id) for name, record_id in found["nav:favourites"]], recent, kept > RECENT_KEPT_AT_MOST


def add_title_reads(onepass, user, pairs) -> None:
    """The records the shortcuts name, one read per module present (the page's record excepted:
    the request holds it already)."""
    from kernel.related import known_record

    ids_by_entity: dict[str, set[int]] = defaultdict(set)
    for entity_name, record_id in pairs:
        if known_record(entity_name, record_id) is None:
            ids_by_entity[entity_name].add(record_id)
    registry = entities()
    for entity_name, ids in ids_by_entity.items():
        entity = registry.get(entity_name)
        if entity is not None and entity.can(user, "view"):
            parameter, statement = _titles_statement(entity)
            onepass.rows(f"nav:records:{entity_name}", statement, {parameter: sorted(ids)})


# The statement reading the shortcuts' records of a module, by model, built once (kernel.onepass).
_TITLES_STATEMENTS: dict[type, tuple[str, object]] = {}


def _titles_statement(entity) -> tuple[str, object]:
    if entity.model not in _TITLES_STATEMENTS:
        parameter = f"nav_ids_{entity.model.__tablename__}"
        _TITLES_STATEMENTS[entity.model] = (
            parameter, entity.active().where(entity.model.id.in_(bindparam(parameter, expanding=True))))
    return _TITLES_STATEMENTS[entity.model]


def menus_from(found: dict, user, favourites, recent) -> NavigationMenus:
    """The menus from the shortcuts and what ``add_title_reads`` found, kept for the request."""
    from kernel.related import known_record

    registry = entities()
    titles = {}
    for entity_name, record_id in [*favourites, *recent]:
        entity = registry.get(entity_name)
        record = known_record(entity_name, record_id)
        if entity is not None and record is not None and entity.can(user, "view"):
            titles[(entity_name, record_id)] = (entity, entity.title_of(record))
    for key, rows in found.items():
        if key.startswith("nav:records:"):
            entity = registry.get(key.removeprefix("nav:records:"))
            titles.update({(entity.name, row.id): (entity, entity.title_of(row)) for row in rows})
    menus = _menus(favourites, recent, titles)
    g.navigation_menus = (user.id, menus)
    return menus


def forget_older_views(user) -> None:
    """Keep only the user's newest ``RECENT_LIMIT`` views."""
    db.session.execute(_older_views_delete(), {"user_id": user.id})


def _forget_cached_menus() -> None:
    g.pop("navigation_menus", None)
    g.pop("navigation_shortcuts", None)


def _load_menus(user) -> NavigationMenus:
    """Two statements whatever the modules present: the shortcuts (with the bell's count, when the
    page has not read it), then their records' titles (``kernel.onepass``: one read per module,
    all sent together)."""
    from kernel.onepass import OnePass

    kept = g.pop("navigation_shortcuts", None)
    if kept is None or kept[0] != user.id:
        kept = (user.id, _layout_reads(user))
    favourites = [(name, record_id) for name, record_id in kept[1]["nav:favourites"]]
    recent = [(name, record_id) for name, record_id in kept[1]["nav:recent"]]
    titles = OnePass()
    add_title_reads(titles, user, [*favourites, *recent])
    return menus_from(titles.run(), user, favourites, recent)


def read_layout_of(user) -> None:
    """``_layout_reads`` now, kept for the menus, unless the page has read the shortcuts already."""
    menus, shortcuts = g.get("navigation_menus"), g.get("navigation_shortcuts")
    if (menus is None or menus[0] != user.id) and (shortcuts is None or shortcuts[0] != user.id):
        keep_shortcuts(_layout_reads(user), user)


def _layout_reads(user) -> dict:
    """What the layout of every page reads of the user, the shortcuts and the bell's count, in one
    statement; the count is kept for the bell (``notifications.unread_count_for_current_user``)."""
    from kernel import notifications
    from kernel.onepass import OnePass

    reads = OnePass()
    add_shortcut_reads(reads, user, count=False)
    bell_unread = not notifications.has_unread_count()
    if bell_unread:
        notifications.add_unread_read(reads, user.id)
    found = reads.run()
    if bell_unread:
        notifications.keep_unread_read(found)
    return found


def _menus(favourites, recent, titles) -> NavigationMenus:
    favourite_links = _links(favourites, titles)
    favourite_links.sort(key=lambda link: (fold(str(link.module)), fold(link.title)))
    return NavigationMenus(favourites=favourite_links, recent=_links(recent, titles))


def _links(pairs, titles) -> list[RecordLink]:
    links = []
    for entity_name, record_id in pairs:
        known = titles.get((entity_name, record_id))
        if known is not None:
            links.append(RecordLink(entity=known[0], record_id=record_id, title=known[1]))
    return links
