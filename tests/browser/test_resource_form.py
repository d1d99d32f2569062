"""The resource form in a browser, in English and in French (issue 16 §3): a staff member fills
every part in one screen (phone, weekly hours, service area, a service type found by typing part of
its name, a language, a new location), saves once, and the resource's page shows the phone, the
hours in words, the language and the service type in their language."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from kernel.db import db
from plugins.directory.models import Agency, Resource, TaxonomyTerm
from tests.conftest import TEST_PASSWORD

TIMEOUT = 20_000

LANGUAGES = {
    "en": {"type_typed": "food", "type": "Food", "language_typed": "inukt", "language": "Inuktitut",
           "hours": "Mon–Fri, 11 am–1 pm", "saved": "is saved"},
    "fr": {"type_typed": "alim", "type": "Alimentation", "language_typed": "inukt", "language": "inuktitut",
           "hours": "lun. au ven., 11 h à 13 h", "saved": "est sauvegardée"},
}


def log_in(page, live_server, email):
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{live_server}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/login"), timeout=TIMEOUT)


def pick(page, select_id: str, typed: str, label: str) -> None:
    """Type into a Tom Select picker and click the option."""
    picker = page.locator(f"#{select_id} + .ts-wrapper")
    picker.click()  # opens its dropdown; typed keys then filter it, as a person does
    picker.locator(".ts-control input").fill("")
    page.keyboard.type(typed, delay=20)
    option = picker.locator(".ts-dropdown .option", has_text=label).first
    expect(option).to_be_visible(timeout=TIMEOUT)
    option.click()
    expect(picker.locator(".ts-control .item")).to_contain_text(label, timeout=TIMEOUT)
    page.keyboard.press("Escape")


def an_agency_and_two_service_types(live_app, name: str) -> int:
    with live_app.app_context():
        agency = Agency(name=name)
        db.session.add_all([agency, TaxonomyTerm(code="BD-1800", name="Food", name_fr="Alimentation"),
                            TaxonomyTerm(code="BH", name="Housing", name_fr="Logement")])
        db.session.commit()
        agency_id = agency.id
        db.session.remove()
    return agency_id


def assert_no_field_refused(page) -> None:
    """Fail with the fields the server refused and their values, rather than only its flash."""
    refused = page.locator("[aria-invalid=true]")
    if refused.count():
        fields = {refused.nth(i).get_attribute("name"): refused.nth(i).input_value() for i in range(refused.count())}
        messages = page.locator("p.error").all_inner_texts()
        raise AssertionError(f"the server refused {fields}: {messages}")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_fill_every_part_of_a_resource_and_read_it(live_app, live_server, live_user, page, browser_errors, language):
    words = LANGUAGES[language]
    live_user("staff", email=f"resource-{language}@example.org", language=language)
    agency_id = an_agency_and_two_service_types(live_app, "Community Help Network")
    log_in(page, live_server, f"resource-{language}@example.org")

    page.goto(f"{live_server}/resources/new?organization_id={agency_id}")
    page.wait_for_load_state("load")  # the pickers' deferred scripts have run before anything is typed
    page.locator("#field-name").fill("Community pantry")
    page.locator("#phone-0-number").fill("867 979 1234")
    page.locator("#phone-0-type").select_option("voice")
    for day in ("MO", "TU", "WE", "TH", "FR"):
        page.locator(f'input[name="hours-0-days"][value="{day}"]').check()
    page.locator("#hours-0-opens").fill("11:00")
    page.locator("#hours-0-closes").fill("13:00")
    page.locator("#areas").fill("Iqaluit\nApex")
    pick(page, "service_types", words["type_typed"], words["type"])
    # The second picker of the page is set through Tom Select itself: typing into it right after the
    # first one raced with that one's closing list on a loaded machine (typing into pickers is tested in
    # tests/browser/test_picker_server_matches.py, and the service type is typed above).
    page.evaluate("document.getElementById('languages').tomselect.addItem('iu')")
    expect(page.locator("#languages + .ts-wrapper .ts-control .item")).to_contain_text(words["language"])
    page.locator("#location-new-address_1").fill("1 Queen St")
    page.locator("#location-new-postal_code").fill("X0A 0H0")
    page.locator("#location-new-city").fill("Iqaluit")
    page.locator("#location-new-latitude").fill("63.7467")
    page.locator("#location-new-longitude").fill("-68.517")
    expect(page.locator("#location-new-latitude")).to_have_value("63.7467")
    expect(page.locator("#location-new-longitude")).to_have_value("-68.517")
    page.locator(".page-head button.primary[type=submit]").click()
    expect(page.locator(".flashes")).to_be_visible(timeout=TIMEOUT)
    assert_no_field_refused(page)
    expect(page.locator(".flashes")).to_contain_text(words["saved"], timeout=TIMEOUT)
    expect(page).to_have_url(re.compile(r"/resources/\d+$"))

    with live_app.app_context():
        resource_id = db.session.scalar(select(Resource.id).where(Resource.name == "Community pantry"))
        db.session.remove()
    page.goto(f"{live_server}/resources/{resource_id}/full")
    details = page.locator("dl.resource-detail")
    expect(details).to_contain_text("(867) 979-1234")
    expect(details).to_contain_text(words["hours"])
    expect(details).to_contain_text(words["language"])
    expect(details).to_contain_text(words["type"])
    expect(details).to_contain_text("1 Queen St")
    assert browser_errors == []


ADD_PHONE = {"en": "Add a phone", "fr": "Ajouter un téléphone"}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_add_a_phone_row_beyond_the_empty_ones(live_app, live_server, live_user, page, browser_errors, language):
    live_user("staff", email=f"resource-rows-{language}@example.org", language=language)
    with live_app.app_context():
        agency = Agency(name="Rows Network")
        db.session.add(agency)
        db.session.commit()
        agency_id = agency.id
        db.session.remove()
    log_in(page, live_server, f"resource-rows-{language}@example.org")

    page.goto(f"{live_server}/resources/new?organization_id={agency_id}")
    page.locator("#field-name").fill("Three lines centre")
    page.locator("#phone-0-number").fill("867 979 1111")
    page.locator("#phone-1-number").fill("867 979 2222")
    page.get_by_role("button", name=ADD_PHONE[language]).click()
    third = page.locator("#phone-2-number")
    expect(third).to_be_focused()
    expect(third).to_have_value("")
    third.fill("867 979 3333")
    page.locator(".page-head button.primary[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/resources/\d+$"), timeout=TIMEOUT)

    with live_app.app_context():
        resource_id = db.session.scalar(select(Resource.id).where(Resource.name == "Three lines centre"))
        db.session.remove()
    page.goto(f"{live_server}/resources/{resource_id}/full")
    details = page.locator("dl.resource-detail")
    for number in ("(867) 979-1111", "(867) 979-2222", "(867) 979-3333"):
        expect(details).to_contain_text(number)
    assert browser_errors == []


def test_a_picker_picked_quickly_does_not_take_the_focus_back(live_app, live_server, live_user, page, browser_errors):
    """Tom Select refreshes its list 300 ms after the last key, and that refresh opened the list and
    took the focus back: what a quick person typed next went into the picker (CI, 2026-12-05)."""
    live_user("staff", email="resource-quick@example.org", language="en")
    agency_id = an_agency_and_two_service_types(live_app, "Quick Network")
    log_in(page, live_server, "resource-quick@example.org")
    page.goto(f"{live_server}/resources/new?organization_id={agency_id}")
    page.wait_for_load_state("load")

    picker = page.locator("#service_types + .ts-wrapper")
    picker.click()
    page.keyboard.type("food")
    picker.locator(".ts-dropdown .option", has_text="Food").first.click()  # before the 300 ms have passed
    page.locator("#location-new-city").focus()
    page.wait_for_timeout(600)  # the late refresh would have fired by now
    page.keyboard.type("Iqaluit")

    expect(page.locator("#location-new-city")).to_have_value("Iqaluit")
    expect(page.locator("#location-new-city")).to_be_focused()
    expect(picker.locator(".ts-control input")).to_have_value("")
    assert browser_errors == []
