"""Record pickers show what the server's lookup found: a client found by a phone number or an
e-mail address (which the option's visible title does not contain) is offered, in English and in
French; the picker's own words ("No results found", the clear button) are in the screen's language."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_activities_documents import add
from tests.conftest import TEST_PASSWORD

LOGIN = {
    "en": ("E-mail address", "Password", "Related to", "No results found", "Clear"),
    "fr": ("Adresse courriel", "Mot de passe", "Lié à", "Aucun résultat", "Effacer"),
}


def log_in(page, live_server, email, language):
    email_label, password_label = LOGIN[language][:2]
    page.goto(f"{live_server}/login")
    page.get_by_label(email_label).fill(email)
    page.get_by_label(password_label, exact=True).fill(TEST_PASSWORD)
    page.get_by_label(password_label, exact=True).press("Enter")
    expect(page.locator("h1")).to_be_visible()


def type_in_picker(page, label, typed):
    combobox = page.get_by_role("combobox", name=label)
    page.locator(".ts-wrapper", has=combobox).click()
    combobox.fill("")
    page.keyboard.type(typed, delay=20)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_picker_offers_what_the_server_found(live_app, live_server, live_user, browser, language):
    user = live_user("staff", email=f"picker-{language}@example.org", language=language)
    add(live_app, user, "client", {"first_name": "Aputi", "last_name": "Kilabuk",
                                   "phone": "867-979-7891", "email": "aputi.k@example.org"})
    add(live_app, user, "client", {"first_name": "Jean", "last_name": "Tremblay", "phone": "819-555-0101"})
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  locale="fr-CA" if language == "fr" else "en-CA")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        log_in(page, live_server, f"picker-{language}@example.org", language)
        _email, _password, related, no_results, clear = LOGIN[language]
        page.goto(f"{live_server}/calls/new")
        dropdown = page.locator(".ts-dropdown")

        type_in_picker(page, related, "979-7891")
        expect(dropdown.locator(".option", has_text="Aputi Kilabuk")).to_be_visible()
        expect(dropdown.locator(".option", has_text="Jean Tremblay")).to_have_count(0)

        type_in_picker(page, related, "aputi.k@exa")
        expect(dropdown.locator(".option", has_text="Aputi Kilabuk")).to_be_visible()

        type_in_picker(page, related, "qqqzzz")
        expect(dropdown.locator(".no-results")).to_have_text(no_results)
        expect(dropdown.locator(".option")).to_have_count(0)

        type_in_picker(page, related, "979-7891")
        dropdown.locator(".option", has_text="Aputi Kilabuk").click()
        wrapper = page.locator(".ts-wrapper", has=page.get_by_role("combobox", name=related))
        expect(wrapper.locator(".ts-control .item")).to_contain_text("Aputi Kilabuk")
        expect(wrapper.get_by_title(clear, exact=True)).to_be_attached()
    finally:
        context.close()
    assert errors == []
