"""The query parameters of the HSDS API, read and checked: a wrong one is a ``BadParameter`` (400)
naming it, never a guess."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from kernel.toolkit import gettext as _

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_SEARCH_LENGTH = 200
MAX_ID_LENGTH = 255
MAX_PROXIMITY_METRES = 1_000_000
ALWAYS_ALLOWED = frozenset({"lang", "format"})
TRUE, FALSE = frozenset({"true", "1", "yes"}), frozenset({"false", "0", "no", ""})


class BadParameter(Exception):
    """A query parameter the API cannot use; the message says which and why (translated)."""


@dataclass
class Query:
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    search: str = ""
    full: bool = False
    full_service: bool = False
    top_only: bool = False
    organization_id: str = ""
    taxonomy_term_id: str = ""
    taxonomy_id: str = ""
    parent_id: str = ""
    postcode: str = ""
    proximity: int | None = None  # metres from the postcode's centre
    modified_after: datetime | None = None

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def read_query(args, allowed: frozenset[str]) -> Query:
    """The parameters of a request to an endpoint that takes ``allowed`` (and ``lang``, ``format``)."""
    unknown = sorted(set(args) - allowed - ALWAYS_ALLOWED)
    if unknown:
        raise BadParameter(_("Unknown parameter %(name)s. This endpoint takes: %(allowed)s.",
                             name=unknown[0], allowed=", ".join(sorted(allowed))))
    if args.get("format", "json") != "json":
        raise BadParameter(_("Only format=json is offered."))
    query = Query()
    for name in allowed:
        if name in args:
            setattr(query, name, READERS[name](name, args.get(name)))
    if query.proximity is not None and not query.postcode:
        raise BadParameter(_("proximity needs a postcode: the distance is counted from its centre."))
    return query


def _whole_number(name: str, value: str, smallest: int, largest: int) -> int:
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or not smallest <= int(text) <= largest:
        raise BadParameter(_("%(name)s must be a whole number from %(smallest)s to %(largest)s.",
                             name=name, smallest=smallest, largest=largest))
    return int(text)


def _page(name: str, value: str) -> int:
    return _whole_number(name, value, 1, 1_000_000)


def _per_page(name: str, value: str) -> int:
    return _whole_number(name, value, 1, MAX_PER_PAGE)


def _proximity(name: str, value: str) -> int:
    return _whole_number(name, value, 1, MAX_PROXIMITY_METRES)


def _boolean(name: str, value: str) -> bool:
    text = value.strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise BadParameter(_("%(name)s must be true or false.", name=name))


def _text(name: str, value: str) -> str:
    if len(value) > MAX_SEARCH_LENGTH:
        raise BadParameter(_("%(name)s is too long (%(largest)s characters at most).", name=name,
                             largest=MAX_SEARCH_LENGTH))
    return value.strip()


def _identifier(name: str, value: str) -> str:
    text = value.strip()
    if not text or len(text) > MAX_ID_LENGTH:
        raise BadParameter(_("%(name)s must be the id of a record of this directory.", name=name))
    return text


def _moment(name: str, value: str) -> datetime:
    """An ISO 8601 date or date and time; without a zone it is UTC (the dates the API gives are)."""
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):
        raise BadParameter(_("%(name)s must be a date and time such as 2026-01-31T12:00:00Z.", name=name)) from None
    return moment


READERS = {"page": _page, "per_page": _per_page, "search": _text, "full": _boolean, "full_service": _boolean,
           "top_only": _boolean, "organization_id": _identifier, "taxonomy_term_id": _identifier,
           "taxonomy_id": _identifier, "parent_id": _identifier, "postcode": _text, "proximity": _proximity,
           "modified_after": _moment}
