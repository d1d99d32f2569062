"""French and English: locale choice, catalogues of the kernel, the theme and every plugin.

Message ids are English; each package keeps a French catalogue in ``translations/fr/LC_MESSAGES/
messages.po``. Compiled ``.mo`` files are build products (not in git): they are compiled when
missing or older than their ``.po``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import g, has_app_context, request, session
from flask_babel import Babel, Domain
from flask_login import current_user

LANGUAGES = {"fr": "Français", "en": "English"}
log = logging.getLogger(__name__)


def select_locale() -> str:
    from flask import current_app, has_request_context

    if not has_request_context():  # the shell, the worker, a background import
        return current_app.config["DEFAULT_LANGUAGE"]
    if current_user and current_user.is_authenticated and current_user.language in LANGUAGES:
        return current_user.language
    chosen = session.get("language")
    if chosen in LANGUAGES:
        return chosen
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


def init_i18n(app, translation_dirs: list[Path]) -> None:
    for directory in translation_dirs:
        compile_catalogue(directory)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(str(path) for path in translation_dirs)
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["DEFAULT_TIMEZONE"]
    babel = Babel(app, locale_selector=select_locale, timezone_selector=select_timezone)
    babel.domain_instance = RequestDomain()
