"""French and English: locale choice, catalogues of the kernel, the theme and every plugin.

Message ids are English; each package keeps a French catalogue in ``translations/fr/LC_MESSAGES/
messages.po``. Compiled ``.mo`` files are build products (not in git): they are compiled when
missing or older than their ``.po``.
"""

from __future__ import annotations

import logging
from pathlib import Path

import flask_babel
from babel import dates
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import g, has_app_context, request, session
from flask_babel import Babel, Domain, LazyString
from flask_login import current_user
from jinja2 import pass_eval_context
from markupsafe import Markup

LANGUAGES = {"fr": "Français", "en": "English"}
log = logging.getLogger(__name__)


def select_locale() -> str:
    from flask import current_app, has_request_context

    if not has_request_context():  # the shell, the worker, a background import
        return current_app.config["DEFAULT_LANGUAGE"]
    if g.get("url_language") in LANGUAGES:  # a public page's ?lang= switch (set by that page's blueprint only)
        return g.url_language
    if current_user and current_user.is_authenticated and current_user.language in LANGUAGES:
        return current_user.language
    chosen = session.get("language")
    if chosen in LANGUAGES:
        return chosen
    if g.get("page_language") in LANGUAGES:  # a page opened through a secure link, in the link's language
        return g.page_language
    return request.accept_languages.best_match(list(LANGUAGES)) or current_app.config["DEFAULT_LANGUAGE"]


def select_timezone() -> str | None:
    from flask import has_request_context

    if not has_request_context():
        return None
    if current_user and current_user.is_authenticated and current_user.timezone:
        return current_user.timezone
    return None


def compile_catalogue(directory: Path) -> None:
    """Compile every ``.po`` under ``directory`` whose ``.mo`` is missing or older."""
    for po_path in directory.glob("*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        try:
            with po_path.open("rb") as handle:
                catalogue = read_po(handle)
            with mo_path.open("wb") as handle:
                write_mo(handle, catalogue)
        except OSError as error:  # a read-only installation ships its .mo files
            log.warning("cannot compile %s: %s", po_path, error)


class RequestDomain(Domain):
    """Flask-Babel's message domain, which finds the request's catalogue once per locale and
    request instead of once per message (a list page translates several hundred labels)."""

    def get_translations(self):
        state = g.get("_flask_babel") if has_app_context() else None
        locale = getattr(state, "babel_locale", None)
        if locale is None:  # the locale is not chosen yet: Flask-Babel chooses it
            return super().get_translations()
        cached = getattr(state, "passerelle_translations", None)
        if cached is not None and cached[0] is locale:  # force_locale() sets another Locale object
            return cached[1]
        translations = super().get_translations()
        state.passerelle_translations = (locale, translations)
        return translations


def request_translations():
    """The request's catalogue, read straight from the app context once ``RequestDomain`` has
    found it: Flask-Babel's ``gettext`` makes five context-local lookups per message (6 µs), and a
    list page translates some five hundred labels."""
    if has_app_context():
        state = getattr(g._get_current_object(), "_flask_babel", None)
        cached = getattr(state, "passerelle_translations", None)
        if cached is not None and cached[0] is getattr(state, "babel_locale", None):
            return cached[1]
    return flask_babel.get_domain().get_translations()


def gettext(string: str, **variables) -> str:
    """Flask-Babel's ``gettext``, faster: the kernel, the theme and plugins import it from here."""
    translated = request_translations().ugettext(string)
    return translated % variables if variables else translated


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    return request_translations().ungettext(singular, plural, num) % variables


def lazy_gettext(string: str, **variables) -> LazyString:
    """A message translated when shown, in the language of the request showing it."""
    return LazyString(gettext, string, **variables)


WIDTHS = ("short", "medium", "long", "full")


def format_datetime(value, width: str = "medium", rebase: bool = True) -> str:
    """A date and time in the user's language and time zone, to the minute ("14 janv. 2026, 14:05",
    "Jan 14, 2026, 2:05 PM"): Babel's medium and longer widths add seconds, which nobody reads.
    A width that is a pattern of its own ("yyyy-MM-dd HH:mm") is used as it is."""
    if width not in WIDTHS:
        return flask_babel.format_datetime(value, width, rebase)
    if rebase:
        value = flask_babel.to_user_timezone(value)
    locale = flask_babel.get_locale()
    pattern = dates.get_datetime_format(width, locale=locale).replace("'", "")
    return pattern.replace("{0}", dates.format_time(value, "short", locale=locale)).replace(
        "{1}", dates.format_date(value, width, locale=locale))


def format_time(value, width: str = "short", rebase: bool = True) -> str:
    """A time of day, to the minute ("14:05"), whatever the width asked for."""
    if width not in WIDTHS:
        return flask_babel.format_time(value, width, rebase)
    return flask_babel.format_time(value, "short", rebase)


def colon() -> str:
    """The colon after a label, as the reader's language writes it: "Agency: X" in English,
    « Organisme : X » in French (a non-breaking space before it). Templates write
    ``{{ _("Agency") }}{{ colon() }} {{ value }}``."""
    return gettext(":")


def init_i18n(app, translation_dirs: list[Path]) -> None:
    for directory in translation_dirs:
        compile_catalogue(directory)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(str(path) for path in translation_dirs)
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["DEFAULT_TIMEZONE"]
    babel = Babel(app, locale_selector=select_locale, timezone_selector=select_timezone)
    babel.domain_instance = RequestDomain()
    app.jinja_env.filters.update(datetimeformat=format_datetime, timeformat=format_time)
    app.jinja_env.globals["colon"] = colon
    app.jinja_env.install_gettext_callables(
        gettext=lambda string: request_translations().ugettext(string),
        ngettext=lambda singular, plural, num: request_translations().ungettext(singular, plural, num),
        pgettext=lambda context, string: request_translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, num: request_translations().unpgettext(
            context, singular, plural, num),
        newstyle=True,
    )
    app.jinja_env.globals["_"] = _template_gettext


@pass_eval_context
def _template_gettext(eval_ctx, string: str, **variables):
    """The templates' ``_``, as Jinja's newstyle one does it (escaped variables, always a format
    string) without its three context calls: 2 µs a message instead of 6 (a list page has 80)."""
    translated = request_translations().ugettext(string)
    if eval_ctx.autoescape:
        translated = Markup(translated)
    return translated % variables if variables or "%" in translated else translated
