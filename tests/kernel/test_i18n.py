"""The kernel's gettext: the request's language, force_locale, lazy messages, templates, no request."""

from contextlib import contextmanager

import flask_babel
from flask import render_template_string

from kernel.i18n import gettext, lazy_gettext, ngettext


@contextmanager
def request_in(app, language):
    """A request with an app context of its own (the fixture's would keep the first locale)."""
    with app.app_context(), app.test_request_context(headers={"Accept-Language": language}):
        yield


def test_messages_follow_the_request_language(app):
    with request_in(app, "fr"):
        assert gettext("Quick search") == "Recherche rapide"
        assert ngettext("%(num)d record", "%(num)d records", 1) == "1 fiche"
        assert ngettext("%(num)d record", "%(num)d records", 3) == "3 fiches"
        assert gettext("Quick search") == flask_babel.gettext("Quick search")
    with request_in(app, "en"):
        assert gettext("Quick search") == "Quick search"


def test_forcing_a_language_switches_and_comes_back(app):
    """E-mails are written in their recipient's language in the middle of a French request."""
    with request_in(app, "fr"):
        assert gettext("Save") == "Sauvegarder"
        with flask_babel.force_locale("en"):
            assert gettext("Save") == "Save"
        assert gettext("Save") == "Sauvegarder"
        with flask_babel.force_locale("fr"), flask_babel.force_locale("en"):
            assert gettext("Save") == "Save"


def test_a_lazy_message_is_translated_where_it_is_shown(app):
    label = lazy_gettext("Quick search")
    for language, expected in (("fr", "Recherche rapide"), ("en", "Quick search")):
        with request_in(app, language):
            assert str(label) == expected
            assert render_template_string("{{ label }} · {{ _('Quick search') }}", label=label) == f"{expected} · {expected}"


def test_variables_are_filled_in_and_escaped_in_templates(app):
    with request_in(app, "fr"):
        assert gettext("Move %(name)s up", name="Nom") == flask_babel.gettext("Move %(name)s up", name="Nom")
        html = render_template_string("{{ _('Move %(name)s up', name=name) }}", name="<b>")
        assert "&lt;b&gt;" in html and "<b>" not in html


def test_without_a_request_the_message_is_the_english_text():
    assert gettext("Quick search") == "Quick search"
    assert str(lazy_gettext("Save")) == "Save"
