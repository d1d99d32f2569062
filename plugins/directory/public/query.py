"""The public search's query: read from the address, checked, normalised (so that the same search
written two ways is one cache entry), and turned into the staff search's criteria."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import datetime

from kernel.toolkit import lazy_gettext as _l
from plugins.directory import geo
from plugins.directory.search import COUNT_CAP, PAGE_SIZE, Criteria

MAX_PAGE = COUNT_CAP // PAGE_SIZE
TYPE_CODE = re.compile(r"^[\w.\-]{0,100}$")
LANGUAGE_WORD = re.compile(r"^[^\W\d_]+(?:[ \-'][^\W\d_]+)*$")


class BadQuery(ValueError):
    """A query the page cannot run; the message says why, in the reader's language."""


@dataclass(frozen=True)
class PublicQuery:
    keywords: str = ""
    near: str = ""  # a postal code or a community
    service_type: str = ""
    open_now: bool = False
    language: str = ""
    page: int = 1

    @property
    def is_empty(self) -> bool:
        return not (self.keywords or self.near or self.service_type or self.open_now or self.language)

    def key(self) -> tuple:
        return tuple(asdict(self).values())

    def args(self, **changes) -> dict:
        """The query as address arguments (only those given), for links."""
        values = {"q": self.keywords, "near": self.near, "type": self.service_type,
                  "open": "now" if self.open_now else "", "language": self.language, "page": self.page}
        values.update(changes)
        return {name: value for name, value in values.items() if value and not (name == "page" and value == 1)}

    def criteria(self, moment: datetime) -> Criteria:
        return Criteria(keywords=self.keywords, postal_code=self.near, taxonomy=self.service_type,
                        language=self.language, open_at=moment if self.open_now else None, page=self.page,
                        public_only=True)


def _text(args, name: str, limit: int) -> str:
    return " ".join((args.get(name) or "").split())[:limit]


def query_from(args) -> PublicQuery:
    """The query of a request's arguments; ``BadQuery`` for a value no search could use."""
    near = _text(args, "near", 100)
    if near and geo.looks_like_postal_code(near):
        near = geo.normalise_postal_code(near)
    service_type = _text(args, "type", 100)
    if not TYPE_CODE.match(service_type):
        raise BadQuery(_l("The service type is not a valid code."))
    language = _text(args, "language", 50).lower()
    if language and not LANGUAGE_WORD.match(language):
        raise BadQuery(_l("The language is not a valid language name or code."))
    open_value = args.get("open") or ""
    if open_value not in ("", "now"):
        raise BadQuery(_l("The opening filter is not valid."))
    return PublicQuery(keywords=_text(args, "q", 200).casefold(), near=near, service_type=service_type,
                       open_now=open_value == "now", language=language, page=_page(args.get("page")))


def _page(value) -> int:
    if value in (None, ""):
        return 1
    try:
        page = int(value)
    except ValueError:
        raise BadQuery(_l("The page must be a whole number.")) from None
    if not 1 <= page <= MAX_PAGE:
        raise BadQuery(_l("The page must be between 1 and %(max)d.", max=MAX_PAGE))
    return page
