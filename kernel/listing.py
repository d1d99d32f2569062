"""Lists of records: quick search, field filters, sorting and pagination, for views and the API."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from kernel.db import db
from kernel.entities import Entity
from kernel.text import digits, fold

PAGE_SIZES = (10, 20, 50, 100)
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 200


@dataclass
class Page:
    records: list
    total: int
    page: int
    per_page: int

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
    """Every word of ``q`` must appear in the record's searchable fields, ignoring case and accents."""
    for word in fold(q).split():
        column = entity.model.search_text
        number = digits(word)
        if number and len(number) >= 3 and number == word.replace("-", "").replace(".", ""):
            statement = statement.where(column.contains(number, autoescape=True))
        else:
            statement = statement.where(column.contains(word, autoescape=True))
    return statement


def sort_clause(entity: Entity, sort: str | None) -> list:
    """``"last_name"`` or ``"-last_name"`` → ORDER BY clauses, with the id as tie-breaker."""
    sort = parse_sort(entity, sort)
    descending = sort.startswith("-")
    name = sort.lstrip("-")
    tie_breaker = entity.model.id.desc() if descending else entity.model.id.asc()
    if name == "id":
        return [tie_breaker]
    column = getattr(entity.model, name)
    return [column.desc() if descending else column.asc(), tie_breaker]


def parse_sort(entity: Entity, sort: str | None) -> str:
    sort = sort or entity.default_sort
    name = sort.lstrip("-")
    if name != "id" and (name not in entity.fields or not entity.fields[name].sortable):
        return entity.default_sort
    return sort


def filtered(entity: Entity, *, q=None, equals: dict | None = None, assigned_to=None):
    statement = entity.active()
    statement = quick_search(entity, statement, q)
    for name, value in (equals or {}).items():
        statement = statement.where(getattr(entity.model, name) == value)
    if assigned_to is not None and entity.assignable:
        statement = statement.where(entity.model.assigned_user_id == assigned_to)
    return statement


def paginate(entity: Entity, statement, *, sort=None, page=1, per_page=DEFAULT_PAGE_SIZE) -> Page:
    per_page = max(1, min(int(per_page or DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE))
    page = max(1, int(page or 1))
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    records = list(
        db.session.scalars(
            statement.order_by(*sort_clause(entity, sort))
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    return Page(records=records, total=total, page=page, per_page=per_page)
