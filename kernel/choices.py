"""Choice lists: the options of a "choice" field, with French and English labels.

A plugin declares a ``ChoiceList`` once, with its default options; fields refer to it. Labels are
lazy translations, so the same list shows in the user's language.

Administrators may edit any list (labels, order, new options, deactivation) without code: their
version is kept in the ``choice_options`` table and, once a list has rows there, they replace the
declared defaults. The rows are read once per request (cached on ``flask.g``); outside a request
(the command line) they are read each time. An inactive option is no longer offered, but records
that hold it still show its label.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

from flask import has_app_context
from flask_babel import get_locale
from sqlalchemy import Boolean, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from kernel.db import Base, db
from kernel.i18n import lazy_gettext as _l
from kernel.request_state import forget_for_request, is_kept_for_request, keep_for_request, once_per_request

_registry: dict[str, ChoiceList] = {}
VALUE_MAX = 50
LABEL_MAX = 255
_CACHE_KEY = "_passerelle_choice_options"


class ChoiceOption(Base):
    """An administrator's version of one option of a choice list."""

    __tablename__ = "choice_options"
    __table_args__ = (UniqueConstraint("list_name", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    list_name: Mapped[str] = mapped_column(String(150))
    value: Mapped[str] = mapped_column(String(VALUE_MAX))
    label_en: Mapped[str] = mapped_column(String(LABEL_MAX))
    label_fr: Mapped[str] = mapped_column(String(LABEL_MAX))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Option(NamedTuple):
    """One effective option: its code, its label (``str()`` gives it in the user's language), and
    whether it is offered."""

    value: str
    label: object
    active: bool = True


@dataclass
class ChoiceList:
    name: str
    options: list[tuple[str, object]] = field(default_factory=list)
    register: bool = field(default=True, repr=False, compare=False)

    def __post_init__(self):
        if self.register:
            _registry[self.name] = self

    # -- the effective options ----------------------------------------------------------------
    @property
    def is_edited(self) -> bool:
        return self.name in stored_options()

    def all_options(self) -> list[Option]:
        """Every option, offered or not, in order: the administrator's, else the declared ones."""
        stored = stored_options().get(self.name)
        if stored is None:
            return [Option(value, label) for value, label in self.options]
        language = current_language()
        return [Option(row.value, row.label(language), row.active) for row in stored]

    def items(self) -> list[tuple[str, str]]:
        """``(value, label)`` of the options offered in forms and filters."""
        return [(option.value, str(option.label)) for option in self.all_options() if option.active]

    def values(self) -> list[str]:
        """The values accepted for new input."""
        return [option.value for option in self.all_options() if option.active]

    def all_items(self) -> list[tuple[str, str]]:
        """``(value, label)`` of every option, inactive ones included (to show stored values)."""
        return [(option.value, str(option.label)) for option in self.all_options()]

    def items_with(self, current) -> list[tuple[str, str]]:
        """The offered options, plus ``current`` when it is an inactive one a record still holds."""
        items = self.items()
        if current and current not in {value for value, _label in items}:
            items.append((current, self.label(current)))
        return items

    def label(self, value) -> str:
        if value is None:
            return ""
        for option in self.all_options():
            if option.value == value:
                return str(option.label)
        return str(value)


def get_choice_list(name: str) -> ChoiceList:
    return _registry[name]


# -- the administrators' versions ---------------------------------------------------------------
@dataclass(frozen=True)
class StoredOption:
    value: str
    label_en: str
    label_fr: str
    position: int
    active: bool

    def label(self, language: str) -> str:
        first, second = (self.label_fr, self.label_en) if language == "fr" else (self.label_en, self.label_fr)
        return first or second or self.value


def current_language() -> str:
    """"fr" or "en": the language of the current request (English outside a request)."""
    if not has_app_context():
        return "en"
    try:
        locale = get_locale()
    except RuntimeError:  # an app context without a request: no user to ask
        locale = None
    return "fr" if locale is not None and locale.language == "fr" else "en"


def stored_options() -> dict[str, list[StoredOption]]:
    """``{list name: options in order}`` of every edited list; once per request."""
    if not has_app_context():
        return {}
    return once_per_request(_CACHE_KEY, _read_stored_options)


def _read_stored_options() -> dict[str, list[StoredOption]]:
    return _options_of(db.session.execute(_stored_options_statement()))


@cache  # built once: a list or record page reads it with its other settings (kernel.onepass)
def _stored_options_statement():
    return (select(ChoiceOption.list_name, ChoiceOption.value, ChoiceOption.label_en, ChoiceOption.label_fr,
                   ChoiceOption.position, ChoiceOption.active)
            .order_by(ChoiceOption.list_name, ChoiceOption.position, ChoiceOption.id))


def _options_of(rows) -> dict[str, list[StoredOption]]:
    stored: dict[str, list[StoredOption]] = {}
    for list_name, *values in rows:
        stored.setdefault(list_name, []).append(StoredOption(*values))
    return stored


READ_KEY = "settings:choices"


def add_options_read(reads) -> None:
    """The edited lists, read with a page's other reads (``kernel.onepass``) unless the request
    has them already; ``keep_options_read`` keeps them for the rest of the request."""
    if not is_kept_for_request(_CACHE_KEY):
        reads.rows(READ_KEY, _stored_options_statement(), params={})


def keep_options_read(found: dict) -> None:
    if READ_KEY in found:
        keep_for_request(_CACHE_KEY, _options_of(found[READ_KEY]))


def forget_stored_options() -> None:
    """Call after changing ``choice_options``: the rest of the request reads them again."""
    forget_for_request(_CACHE_KEY)


# -- lists shared by several plugins: here, so that no plugin imports another for them -----------
PROVINCES = ChoiceList("province", [
    ("AB", _l("Alberta")), ("BC", _l("British Columbia")), ("MB", _l("Manitoba")),
    ("NB", _l("New Brunswick")), ("NL", _l("Newfoundland and Labrador")), ("NS", _l("Nova Scotia")),
    ("NT", _l("Northwest Territories")), ("NU", _l("Nunavut")), ("ON", _l("Ontario")),
    ("PE", _l("Prince Edward Island")), ("QC", _l("Quebec")), ("SK", _l("Saskatchewan")),
    ("YT", _l("Yukon")),
])
