"""The search's service-type filter is a picker over the taxonomy, named in the reader's language
and indented by depth, not a code to type; choosing a type finds its services and sub-types'
(issue 16 §3)."""

import re

from kernel.db import db
from plugins.directory import index
from tests.contactcenter.helpers import make_contact, make_line, make_profile, make_resource, make_term
from tests.directory.helpers import names_in


def options(page: str) -> list[tuple[str, str]]:
    select = re.search(r'<select name="type">(.*?)</select>', page, re.S).group(1)
    return [(value, text.replace("\xa0", "_")) for value, text in
            re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)]


def test_the_picker_lists_the_taxonomy_in_the_readers_language(app, staff, make_user, login_as):
    food, banks = make_term("BD-1800", "Food", "Alimentation"), make_term("BD-1800.2000", "Food banks", "Banques alimentaires")
    make_term("BH", "Housing", "Logement")
    index.rebuild([make_resource("Pantry", banks).id, make_resource("Soup", food).id])
    db.session.commit()
    english = login_as(make_user(language="en"))
    page = english.get("/resources/search").get_data(as_text=True)
    assert options(page) == [("", "Any service type"), ("BD-1800", "__Food"), ("BD-1800.2000", "____Food banks"),
                             ("BH", "Housing")]
    french = login_as(make_user(language="fr"))
    assert ("BD-1800.2000", "____Banques alimentaires") in options(french.get("/resources/search").get_data(as_text=True))
    found = english.get("/resources/search?type=BD-1800").get_data(as_text=True)
    assert sorted(names_in(found)) == ["Pantry", "Soup"]
    assert '<option value="BD-1800" selected>' in found
    contact = make_contact(staff, line=make_line(), profile=make_profile(staff))
    screen = login_as(staff).get(f"/contactcenter/contacts/{contact.id}?tab=resources").get_data(as_text=True)
    assert ("BH", "Housing") in options(screen)
