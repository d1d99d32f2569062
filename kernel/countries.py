"""Countries as ISO 3166 codes, named in the user's language by Babel's CLDR data."""

from __future__ import annotations

from functools import cache

from babel import Locale
from flask_babel import get_locale
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup


@cache
def country_codes() -> frozenset[str]:
    return frozenset(code for code in Locale("en").territories if len(code) == 2 and code.isalpha()
                     and code not in {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "XK"})


def country_name(code: str | None) -> str:
    if not code:
        return ""
    locale = get_locale() or Locale("en")
    return locale.territories.get(code, code)


def country_options() -> tuple[tuple[str, str], ...]:
    """(code, name) pairs sorted by name in the user's language."""
    return _sorted_country_names(str(get_locale() or "en"))


@cache  # every list page's filter panel offers them: named and sorted once per language
def _sorted_country_names(locale_name: str) -> tuple[tuple[str, str], ...]:
    territories = Locale.parse(locale_name).territories
    names = [(code, territories.get(code, code)) for code in country_codes()]
    return tuple(sorted(names, key=lambda item: item[1]))


def country_options_json() -> Markup:
    """The country options as JSON safe in an HTML attribute, encoded once per language: the
    filter panels name them once for all their country fields (``kernel.filters.shared_options``)."""
    return _country_options_json(str(get_locale() or "en"))


@cache
def _country_options_json(locale_name: str) -> Markup:
    return htmlsafe_json_dumps(_sorted_country_names(locale_name))
