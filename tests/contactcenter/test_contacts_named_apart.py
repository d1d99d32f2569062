"""The contact centre's contacts and the partners' contacts are named apart in both languages: the menu
said "Contacts" for the partners' people, and the guide's "Cliquez sur Contacts" led agents to the
wrong list (issue 16 §3)."""

import re

from flask_babel import force_locale

from kernel.registry import entities

NAMES = {"en": ("Calls and contacts", "Partner contacts"), "fr": ("Appels et contacts", "Contacts des partenaires")}


def test_the_two_modules_have_distinct_names(app):
    for language, (contactcenter, partners) in NAMES.items():
        with force_locale(language):
            assert str(entities().get("helpline_contact").label_plural) == contactcenter
            assert str(entities().get("contact").label_plural) == partners


def test_the_menu_shows_both_names_and_no_bare_contacts(app, make_user, login_as):
    for language, names in NAMES.items():
        client = login_as(make_user("administrator", language=language))
        page = client.get("/", headers={"Accept-Language": language}).get_data(as_text=True)
        navigation = page.split('<main')[0]  # the sidebar and the top bar
        for name in names:
            assert name in navigation, (language, name)
        assert not re.search(r">\s*Contacts\s*<", navigation), language
