"""Coercion: the text of a cell → the value the schema loads. Choice codes or labels in either
language, yes/no/oui/non, ISO or dd/mm/yyyy dates, country codes or names, "1 234,50"."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from functools import cache

from babel import Locale
from flask_babel import force_locale
from sqlalchemy import select

from kernel.countries import country_codes
from kernel.db import db
from kernel.entities import Entity, FieldMeta
from kernel.importer.mapping import LANGUAGES
from kernel.text import fold
from kernel.users import User

TRUE_WORDS = frozenset({"1", "yes", "y", "oui", "o", "true", "vrai", "x"})
FALSE_WORDS = frozenset({"0", "no", "n", "non", "false", "faux"})
DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
ISO_DATE_WITH_MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]00:00(?::00)?$")
REFERENCE = re.compile(r"^#?\s*(\d+)$")
SPACES = re.compile(r"[\s\u00a0\u202f]")


def as_boolean(text: str):
    word = fold(text)
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return text


def as_date(text: str):
    match = DAY_FIRST.match(text)
    if match and match.group(4) is None:
        day, month, year = (int(part) for part in match.group(1, 2, 3))
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            return text
    midnight = ISO_DATE_WITH_MIDNIGHT.match(text)
    return midnight.group(1) if midnight else text


def as_datetime(text: str):
    match = DAY_FIRST.match(text)
    if not match:
        return text
    day, month, year = (int(part) for part in match.group(1, 2, 3))
    hour, minute, second = (int(part or 0) for part in match.group(4, 5, 6))
    try:
        return datetime(year, month, day, hour, minute, second).isoformat()
    except ValueError:
        return text


def as_decimal(text: str):
    """``"1 234,50"`` and ``"1,234.50"`` → ``"1234.50"``: the last separator is the decimal one."""
    number = SPACES.sub("", text)
    comma, dot = number.rfind(","), number.rfind(".")
    if comma > dot:
        number = number.replace(".", "").replace(",", ".")
    else:
        number = number.replace(",", "")
    return number


def as_integer(text: str):
    return SPACES.sub("", text)


def as_reference(text: str):
    match = REFERENCE.match(text)
    return int(match.group(1)) if match else text


@cache
def country_lookup() -> dict[str, str]:
    """Folded ISO code, English name or French name → ISO code."""
    lookup = {}
    codes = country_codes()
    for language in LANGUAGES:
        for code, name in Locale(language).territories.items():
            if code in codes:
                lookup.setdefault(fold(name), code)
    lookup.update({fold(code): code for code in codes})
    return lookup


def choice_lookup(meta: FieldMeta) -> dict[str, str]:
    """Folded code or label (English or French) → code."""
    lookup = {}
    for language in LANGUAGES:
        with force_locale(language):
            for code, label in meta.choices.items():
                lookup.setdefault(fold(label), code)
    lookup.update({fold(code): code for code in meta.choices.values()})
    return lookup


def user_lookup() -> dict[str, int]:
    """Id, e-mail or folded name of an active user → id (one query)."""
    lookup = {}
    for user in db.session.scalars(select(User).where(User.active.is_(True))):
        lookup.setdefault(fold(user.name), user.id)
        lookup[user.email.lower()] = user.id
        lookup[str(user.id)] = user.id
    return lookup


def _looked_up(lookup: dict) -> Callable[[str], object]:
    return lambda text: lookup.get(fold(text), lookup.get(text.lower(), text))


def converter_for(meta: FieldMeta, users: Callable[[], dict]) -> Callable[[str], object]:
    """The function turning a (stripped, non-empty) cell into the raw value of this field."""
    if meta.kind == "choice":
        return _looked_up(choice_lookup(meta))
    if meta.kind == "country":
        return _looked_up(country_lookup())
    if meta.kind == "user":
        return _looked_up(users())
    simple = {
        "boolean": as_boolean, "date": as_date, "datetime": as_datetime, "decimal": as_decimal,
        "integer": as_integer, "reference": as_reference,
    }
    return simple.get(meta.kind, lambda text: text)


class Coercer:
    """Cells of a row → ``{field: raw value}`` for the mapped, non-empty cells."""

    def __init__(self, entity: Entity, mapping: list[str | None]):
        self.columns = [(index, name) for index, name in enumerate(mapping) if name]
        self.width = len(mapping)
        loaded_users: dict = {}

        def users():
            if not loaded_users:
                loaded_users.update(user_lookup())
            return loaded_users

        self.converters = {name: converter_for(entity.fields[name], users) for _, name in self.columns}

    def raw(self, cells: list[str]) -> dict:
        values = {}
        for index, name in self.columns:
            text = cells[index].strip() if index < len(cells) else ""
            if text:
                values[name] = self.converters[name](text)
        return values

    def extra_cells(self, cells: list[str]) -> bool:
        return any(cell.strip() for cell in cells[self.width:])
