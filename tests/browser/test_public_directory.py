"""The public directory (issue 20) in a browser, without an account: a visitor at phone width
searches, opens a resource (call, directions, map), switches language, and opens the SMS share
form; in French and in English, with no axe violation and nothing wider than the phone."""


import pytest
from playwright.sync_api import expect

from kernel.db import db
from tests.browser.helpers import PHONE, axe_violations, fits_the_phone, page_with_axe
from tests.directory.public_helpers import load_public_sample

WORDS = {
    "en": {"what": "What are you looking for?", "search": "Search", "result": "Emergency shelter",
           "call": "Call (514) 555-0101", "directions": "Directions", "other": "Français", "other_h1": "Hébergement",
           "share": "Send this list by SMS", "phone": "Your mobile phone number"},
    "fr": {"what": "Que cherchez-vous\u00a0?", "search": "Rechercher", "result": "Hébergement d'urgence",
           "call": "Appeler le (514) 555-0101", "directions": "Itinéraire", "other": "English",
           "other_h1": "Emergency shelter", "share": "Envoyer cette liste par SMS",
           "phone": "Votre numéro de téléphone mobile"},
}


@pytest.fixture
def public_directory(live_app, tmp_path):
    live_app.config["DIRECTORY_PUBLIC"] = True
    with live_app.app_context():
        load_public_sample(live_app, tmp_path)
        db.session.remove()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_visitor_finds_a_resource_on_a_phone(browser, live_server, public_directory, language):
    words = WORDS[language]
    context, page, errors = page_with_axe(browser, PHONE, "fr-CA" if language == "fr" else "en-CA")
    try:
        page.goto(f"{live_server}/directory/public/?lang={language}")
        assert axe_violations(page) == [] and fits_the_phone(page)
        page.get_by_label(words["what"]).fill("shelter")
        page.get_by_role("button", name=words["search"]).click()
        result = page.get_by_role("link", name=words["result"])
        expect(result).to_be_visible()
        assert axe_violations(page) == [] and fits_the_phone(page)
        page.get_by_role("link", name=words["share"]).click()
        expect(page.get_by_label(words["phone"])).to_be_visible()
        assert axe_violations(page) == [] and fits_the_phone(page)
        page.go_back()
        page.get_by_role("link", name=words["result"]).click()
        expect(page.get_by_role("link", name=words["call"])).to_have_attribute("href", "tel:5145550101")
        directions = page.get_by_role("link", name=words["directions"])
        expect(directions).to_have_attribute("href", "https://www.openstreetmap.org/directions?to=45.51500%2C-73.57400")
        assert axe_violations(page) == [] and fits_the_phone(page)
        page.get_by_role("link", name=words["other"]).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(words["other_h1"])
        assert axe_violations(page) == []
        assert errors == []
    finally:
        context.close()
