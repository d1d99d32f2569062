"""Lists of records: quick search, field filters, sorting and pagination, for views and the API."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlencode

from sqlalchemy import column, func, literal, or_, select, table, text

from kernel.db import db
from kernel.entities import Entity
from kernel.filters import Condition, FilterError, apply_conditions, parse_conditions
from kernel.search_index import (
    MIN_TRIGRAM,
    PHONE_DIGITS,
    folded_text,
    fts_query,
    phone_digits,
    phone_fields,
)
from kernel.text import digits, fold

PAGE_SIZES = (10, 20, 50, 100)
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 200


# Numbers people type or send: beyond these they match nothing rather than overflow an SQL integer
# (PostgreSQL's ``integer``, which ids are, holds 2**31 - 1; an OFFSET must fit in 64 bits).
MAX_RECORD_ID = 2**31 - 1
MAX_PAGE = 1_000_000

COUNT_CAP = 1_000  # counting stops here: "more than 1,000" unless the user asks for the exact figure
SEARCH_SORT = "-id"  # a quick search's matches, newest first, until the user sorts by a column


@dataclass
class Page:
    records: list
    total: int
    page: int
    per_page: int
    total_is_exact: bool = True

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def quick_search(entity: Entity, statement, q: str | None):
    """Every word of ``q`` must appear in the record's searchable fields, ignoring case and accents.

    Words of three letters or more go through the entity's trigram index when it has one
    (``kernel.search_index``); shorter words, and entities without the index, use LIKE. A whole
    phone number alone finds, on PostgreSQL, the records with that number in a phone field."""
    number = whole_phone_number(entity, q)
    if number and not db.is_sqlite:
        return statement.where(or_(*(phone_digits(entity.column(meta.name)) == number
                                     for meta in phone_fields(entity))))
    q = number or q  # SQLite: the digits, which the record's search text holds as a word
    words = fold(q).split()
    indexed = indexed_words(entity, q)
    if indexed:  # joined, not "id IN (…)": the index then yields its matches one by one, in id order
        fts = search_table(entity)
        statement = statement.join(fts, fts.c.rowid == entity.model.id).where(
            fts.c[entity.fts_table].op("MATCH")(fts_query(indexed)))
    for word in words:
        if word in indexed:
            continue
        statement = statement.where(entity.model.search_text.contains(word, autoescape=True))
    return statement


def whole_phone_number(entity: Entity, q: str | None) -> str | None:
    """The ten digits of ``q`` when it is a North-American phone number and nothing else
    ("(613) 200-1234", "+1 613 200 1234") and the entity has phone fields; otherwise None (the
    number is then searched as words)."""
    if not q or any(char.isalpha() for char in q) or not phone_fields(entity):
        return None
    number = digits(q)
    if len(number) == PHONE_DIGITS + 1 and number.startswith("1"):
        number = number[1:]
    return number if len(number) == PHONE_DIGITS else None


def indexed_words(entity: Entity, q: str | None) -> list[str]:
    """The words of a quick search that the entity's trigram index can find."""
    if not entity.fts_table or not q:
        return []
    q = whole_phone_number(entity, q) or q
    return [word for word in fold(q).split() if len(word) >= MIN_TRIGRAM]


_search_tables: dict[str, object] = {}


def search_table(entity: Entity):
    """The entity's trigram index as a table; always the same object, so that an ORDER BY on its
    rowid refers to the table the statement joined."""
    name = entity.fts_table
    if name not in _search_tables:
        _search_tables[name] = table(name, column("rowid"), column(name))
    return _search_tables[name]


def ordering(entity: Entity, sort: str | None, state: ListState | None = None) -> list:
    """``sort_clause``; a quick search shown newest first is read from the trigram index in its
    own (id) order, so that a name matching 20,000 clients gives its page without sorting them."""
    if state is not None and state.newest_first and indexed_words(entity, state.q):
        return [search_table(entity).c.rowid.desc()]
    return sort_clause(entity, sort)


def sort_clause(entity: Entity, sort: str | None) -> list:
    """``"last_name"`` or ``"-last_name"`` → ORDER BY clauses, with the id as tie-breaker."""
    sort = parse_sort(entity, sort)
    descending = sort.startswith("-")
    name = sort.lstrip("-")
    tie_breaker = entity.model.id.desc() if descending else entity.model.id.asc()
    if name == "id":
        return [tie_breaker]
    column = entity.column(name)
    return [column.desc() if descending else column.asc(), tie_breaker]


def parse_sort(entity: Entity, sort: str | None) -> str:
    sort = sort or entity.default_sort
    name = sort.lstrip("-")
    if name != "id" and (name not in entity.fields or not entity.fields[name].sortable):
        return entity.default_sort
    return sort


def filtered(entity: Entity, *, q=None, equals: dict | None = None, assigned_to=None, conditions=()):
    statement = entity.active()
    statement = quick_search(entity, statement, q)
    statement = apply_conditions(entity, statement, list(conditions))
    for name, value in (equals or {}).items():
        statement = statement.where(entity.column(name) == value)
    if assigned_to is not None and entity.assignable:
        statement = statement.where(entity.model.assigned_user_id == assigned_to)
    return statement


def paginate(entity: Entity, statement, *, sort=None, page=1, per_page=DEFAULT_PAGE_SIZE,
             exact_count: bool = True, state: ListState | None = None) -> Page:
    """One page of records and the total; with ``exact_count=False`` counting stops at
    ``COUNT_CAP`` so that a million-row list stays fast (``Page.total_is_exact`` says so), on
    both databases and filtered or not: even SQLite's count of a whole table reads every page of
    an index (20 ms and more for a million rows, the whole budget of a list page)."""
    per_page = max(1, min(int(per_page or DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE))
    page = max(1, min(int(page or 1), MAX_PAGE))
    if exact_count:
        total, exact = count(statement), True
    elif few_newest_first_by_ids(state):
        if not more_than_the_cap_named_so(entity, statement, state):
            ids = matching_ids(entity, statement, COUNT_CAP)
            if len(ids) <= COUNT_CAP:
                records = records_by_ids(entity, newest_first_page(ids, page, per_page))
                return Page(records=records, total=len(ids), page=page, per_page=per_page, total_is_exact=True)
        total, exact = COUNT_CAP, False
    else:
        if counted_with_the_page(state):
            return page_and_capped_count(entity, statement, sort, state, page, per_page)
        total, exact = count_capped(statement, COUNT_CAP)
    ordered = in_list_order(entity, statement, sort, state, total)
    with planned_for_many(state, total):
        records = list(db.session.scalars(ordered.limit(per_page).offset((page - 1) * per_page)))
    return Page(records=records, total=total, page=page, per_page=per_page, total_is_exact=exact)


def counted_with_the_page(state: ListState | None) -> bool:
    """PostgreSQL, a list not shown newest first: its order does not depend on its count, so the
    page's statement carries the capped count (one round trip to the database instead of two)."""
    return not db.is_sqlite and not (state is not None and state.newest_first)


def page_and_capped_count(entity: Entity, statement, sort: str | None, state: ListState | None, page: int,
                          per_page: int) -> Page:
    """The page and, in the same statement, the count capped at ``COUNT_CAP`` (an uncorrelated
    subquery, which PostgreSQL plans on its own and runs once). A page past the end has no row
    to carry the count: it is counted on its own."""
    capped = select(func.count()).select_from(
        statement.with_only_columns(literal(1)).order_by(None).limit(COUNT_CAP + 1).subquery()).scalar_subquery()
    ordered = statement.order_by(*ordering(entity, sort, state)).add_columns(capped)
    rows = db.session.execute(ordered.limit(per_page).offset((page - 1) * per_page)).all()
    if rows:
        found = rows[0][1]
        total, exact = (COUNT_CAP, False) if found > COUNT_CAP else (found, True)
    else:
        total, exact = count_capped(statement, COUNT_CAP)
    return Page(records=[row[0] for row in rows], total=total, page=page, per_page=per_page, total_is_exact=exact)


def in_list_order(entity: Entity, statement, sort: str | None, state: ListState | None, total: int):
    """The statement in the list's order; with many matches (``total`` at the cap) SQLite is told
    to read the sort column's index in order."""
    if total < COUNT_CAP and state is not None and state.newest_first and not db.is_sqlite:
        return statement.order_by(*few_matches_newest_first(entity))
    ordered = statement.order_by(*ordering(entity, sort, state))
    if total >= COUNT_CAP and state is not None and state.may_walk_sort_index(entity):
        ordered = walking_sort_index(entity, ordered, sort)
    return ordered


def few_newest_first_by_ids(state: ListState | None) -> bool:
    """A PostgreSQL quick search shown newest first: instead of counting its matches (capped at
    ``COUNT_CAP``) and then reading the trigram index a second time for the page, the count reads
    their ids. When they are few, that is every match: the page is the newest of them, loaded by
    id (a search for ``kilabuk 12345``: one trigram scan instead of two). When they are many, the
    page is read as before (``in_list_order``)."""
    return state is not None and state.newest_first and not db.is_sqlite


def more_than_the_cap_named_so(entity: Entity, statement, state: ListState) -> bool:
    """A PostgreSQL quick search for one word, shown newest first: whether more than ``COUNT_CAP``
    records match, known without the trigram index when that many have a name starting with the
    word. The trigram index gives every match of a common name at once (a bitmap of 20,000 rows
    for ``tremblay``, 11 ms of a 25 ms page) where the index of the folded last names
    (``kernel.search_index.folded_text``: ``emile`` for "Émile") gives a thousand in a row. The
    statement's own conditions still apply, so only true matches count; when too few names start
    with the word (a word inside names, an e-mail address), ``matching_ids`` counts as before.

    Not with "My items" or conditions: most names starting with the word could fail them, and the
    names' index would be read to its end (20,000 rows) before the count."""
    words = fold(state.q).split()
    fields = entity.folded_names
    if state.mine or state.conditions or len(words) != 1 or len(words[0]) < MIN_TRIGRAM \
            or not words[0].isalpha() or not fields:
        return False  # a number is in no name; a letter's successor is a character too (not a surrogate)
    word = words[0]
    after = word[:-1] + chr(ord(word[-1]) + 1)  # the first text past every one starting with the word
    counts = []
    for meta in fields:
        name = folded_text(entity.column(meta.name))
        counts.append(select(func.count()).select_from(
            statement.where(name >= literal(word), name < literal(after)).with_only_columns(literal(1)).order_by(None)
            .limit(COUNT_CAP + 1).subquery()).scalar_subquery())
    with newest_first_without_bitmaps(True):  # a trigram index is read by bitmaps only: not this one
        found = db.session.scalar(select(func.greatest(*counts)) if len(counts) > 1 else select(counts[0]))
    return found > COUNT_CAP


def matching_ids(entity: Entity, statement, cap: int) -> list[int]:
    """The ids of at most ``cap + 1`` records of ``statement``, in no particular order (the
    database reads them in its cheapest order, as it counts)."""
    return list(db.session.scalars(statement.with_only_columns(entity.model.id).order_by(None).limit(cap + 1)))


def newest_first_page(ids: list[int], page: int, per_page: int) -> list[int]:
    """The ids of one page of records listed newest first (by id, descending), from all their ids."""
    start = (page - 1) * per_page
    return sorted(ids, reverse=True)[start:start + per_page]


def records_by_ids(entity: Entity, ids: list[int]) -> list:
    """The records of ``ids``, in the order of ``ids`` (a page chosen by id: the primary key)."""
    if not ids:
        return []
    found = {record.id: record for record in db.session.scalars(select(entity.model).where(entity.model.id.in_(ids)))}
    return [found[record_id] for record_id in ids if record_id in found]


def few_matches_newest_first(entity: Entity) -> list:
    """A PostgreSQL quick search with few matches (counted: under ``COUNT_CAP``), newest first.
    PostgreSQL cannot estimate how few rows ``LIKE '%kilabuk%' AND LIKE '%12345%'`` matches and
    may walk the primary key backwards to meet them (a million profiles for one match, 400 ms):
    ``id + 0`` is no index's order, so it finds them from the trigram index and sorts the few."""
    return [(entity.model.id + 0).desc()]


def planned_for_many(state: ListState | None, total: int):
    """Around the execution of ``in_list_order``'s statement: PostgreSQL's counterpart."""
    return newest_first_without_bitmaps(total >= COUNT_CAP and state is not None and state.newest_first)


def walking_sort_index(entity: Entity, statement, sort: str | None):
    """Many records match: reading the sort column's index in order and keeping the matching rows
    finds a page after a few hundred rows. SQLite's planner prefers the filter's index and then
    sorts every match (a second for a filter matching 40,000 clients), so it is told; PostgreSQL
    weighs the LIMIT itself."""
    if not db.is_sqlite:
        return statement
    index = entity.sort_indexes.get(parse_sort(entity, sort).lstrip("-"))
    return statement.with_hint(entity.model.__table__, f"INDEXED BY {index}", "sqlite") if index else statement


@contextmanager
def newest_first_without_bitmaps(wanted: bool):
    """A PostgreSQL quick search matching many records, shown newest first: PostgreSQL cannot
    estimate how many rows ``LIKE '%tremblay%'`` matches (it guesses 100 for 20,000), so it reads
    them all through the trigram index and sorts them (200 ms), where walking the primary key
    backwards finds twenty after a few hundred rows. Told not to use bitmaps, it walks."""
    if not wanted or db.is_sqlite:
        yield
        return
    db.session.execute(text("SET LOCAL enable_bitmapscan = off"))
    try:
        yield
    finally:
        db.session.execute(text("SET LOCAL enable_bitmapscan = on"))


def count_capped(statement, cap: int) -> tuple[int, bool]:
    found = db.session.scalar(
        select(func.count()).select_from(statement.with_only_columns(literal(1)).order_by(None).limit(cap + 1)
                                         .subquery())
    )
    return (cap, False) if found > cap else (found, True)


@dataclass
class ListState:
    """Everything that shapes a list: search, "My items", conditions, sort, page, columns.

    Built from the request's arguments; ``query_items`` rebuilds them for links, exports and
    saved filters, so that a list, its CSV and its mass actions always agree."""

    q: str = ""
    mine: bool = False
    conditions: list[Condition] = field(default_factory=list)
    sort: str = ""
    page: int = 1
    per_page: int = DEFAULT_PAGE_SIZE
    columns: list[str] = field(default_factory=list)
    errors: dict = field(default_factory=dict)
    columns_from_request: bool = False
    exact_count: bool = False
    sort_chosen: bool = False  # the user sorted by a column (else the entity's default, or newest first for a search)

    @classmethod
    def from_args(cls, entity: Entity, args, *, saved_columns=None, saved_per_page=None) -> ListState:
        state = cls(q=(args.get("q") or "").strip(), mine=args.get("mine") == "1",
                    exact_count=args.get("count") == "exact")
        try:
            state.conditions = parse_conditions(entity, args)
        except FilterError as error:
            state.errors = error.errors
            state.conditions = []
        state.sort_chosen = bool(args.get("sort")) and parse_sort(entity, args.get("sort")) == args.get("sort")
        state.sort = parse_sort(entity, args.get("sort")) if state.sort_chosen or not state.q else SEARCH_SORT
        state.page = _positive_int(args.get("page"), 1)
        state.per_page = min(_positive_int(args.get("per_page"), saved_per_page or DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE)
        requested = [name for name in (args.get("cols") or "").split(",") if name in entity.fields]
        state.columns_from_request = bool(requested)
        state.columns = requested or [name for name in (saved_columns or []) if name in entity.fields] or [
            meta.name for meta in entity.list_fields
        ]
        return state

    def statement(self, entity: Entity, user):
        return filtered(
            entity, q=self.q, conditions=self.conditions,
            assigned_to=getattr(user, "id", None) if self.mine else None,
        )

    @property
    def unfiltered(self) -> bool:
        return not (self.q or self.mine or self.conditions)

    def query_items(self, *, page=False, columns=True) -> list[tuple[str, str]]:
        items = []
        if self.q:
            items.append(("q", self.q))
        if self.mine:
            items.append(("mine", "1"))
        for condition in self.conditions:
            items.extend(condition.query_items())
        if self.sort_chosen:
            items.append(("sort", self.sort))
        items.append(("per_page", str(self.per_page)))
        if columns and self.columns_from_request:
            items.append(("cols", ",".join(self.columns)))
        if page and self.page > 1:
            items.append(("page", str(self.page)))
        return items

    def may_walk_sort_index(self, entity: Entity) -> bool:
        """Matches are spread along the sort order, unless the search or a condition bears on
        the sorted column itself (they would all lie in one stretch of its index)."""
        sorted_name = self.sort.lstrip("-")
        return not self.q and all(condition.field != sorted_name for condition in self.conditions)

    @property
    def newest_first(self) -> bool:
        """A quick search the user has not sorted: its matches are shown newest first, which a
        database finds without sorting every match (a common name matches thousands)."""
        return bool(self.q) and not self.sort_chosen

    def query_string(self, **overrides) -> str:
        items = [(key, value) for key, value in self.query_items() if key not in overrides]
        items += [(key, str(value)) for key, value in overrides.items() if value not in (None, "")]
        return urlencode(items)

    @property
    def filter_query(self) -> str:
        """Search, "My items" and conditions only: what a saved filter keeps."""
        return urlencode([item for item in self.query_items(columns=False) if item[0] not in {"sort", "per_page"}])


_UNREAD = object()


def list_state_for(entity: Entity, args, user, preference=_UNREAD) -> ListState:
    """The list state from request arguments, completed by the user's saved columns and page size
    (``preference``: the user's ``ListPreference`` or None, when the caller has read it)."""
    from kernel.saved_views import preference_for

    if preference is _UNREAD:
        preference = preference_for(user.id, entity.name)
    return ListState.from_args(
        entity, args,
        saved_columns=preference.columns if preference else None,
        saved_per_page=preference.per_page if preference else None,
    )


def _positive_int(value, default: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return min(number, MAX_PAGE) if number > 0 else default


def page_size(value) -> int | None:
    """A page size someone chose, within ``MAX_PAGE_SIZE``; ``None`` when it is not a number."""
    size = _positive_int(value, 0)
    return min(size, MAX_PAGE_SIZE) if size else None


def record_id(value) -> int | None:
    """An id someone typed or sent: a whole number an id column can hold, else ``None``."""
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_RECORD_ID)):
        return None
    number = int(text)
    return number if 0 < number <= MAX_RECORD_ID else None


def neighbours(entity: Entity, state: ListState, user, position: int, record_id: int):
    """Ids of the records before and after ``position`` (1-based) in the list, the list's total
    and whether it is exact; ``total`` is None when the record is no longer at that position."""
    statement = state.statement(entity, user)
    total, exact = count_capped(statement, COUNT_CAP)
    offset = max(min(position, MAX_PAGE * MAX_PAGE_SIZE) - 2, 0)
    ordered = in_list_order(entity, statement.with_only_columns(entity.model.id), state.sort, state, total)
    with planned_for_many(state, total):
        ids = list(db.session.scalars(ordered.limit(3).offset(offset)))
    index = position - 1 - offset
    if index >= len(ids) or ids[index] != record_id:
        return None, None, None, False
    previous_id = ids[index - 1] if index >= 1 else None
    next_id = ids[index + 1] if index + 1 < len(ids) else None
    return previous_id, next_id, total, exact


def count(statement) -> int:
    return db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
