"""The advanced filter and saved filters of the clients list, in a real browser: build a condition
(City contains …), search, save the filter under a name, go back to the plain list, and click the
saved filter's chip to filter the list again."""

import re

from playwright.sync_api import expect

from kernel.db import db
from plugins.clients.models import Client
from tests.conftest import TEST_PASSWORD

TIMEOUT = 20_000


def log_in(page, live_server, email):
    # The machine running these tests may be heavily loaded: every step (a click that navigates
    # included) gets the generous timeout, not only the expectations.
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible(timeout=TIMEOUT)


def test_save_a_filter_and_use_it_again(live_app, live_server, live_user, page, browser_errors):
    live_user("staff", email="filters@example.org")
    with live_app.app_context():
        db.session.add_all([
            Client(first_name="Zoé", last_name="Tremblay", city="Kelowna"),
            Client(first_name="Anne", last_name="Noël", city="West Kelowna"),
            Client(first_name="Émile", last_name="Gagnon", city="Montréal"),
        ])
        db.session.commit()
        db.session.remove()
    log_in(page, live_server, "filters@example.org")
    page.goto(f"{live_server}/clients/")
    rows = page.locator("table.records tbody tr")
    expect(rows).to_have_count(3, timeout=TIMEOUT)

    # Advanced filter: City contains "kelowna".
    panel = page.locator("details.filter-panel")
    panel.locator("summary").click()
    panel.get_by_role("button", name="Add a condition").click()
    condition = panel.locator(".condition").last
    expect(condition).to_be_visible(timeout=TIMEOUT)
    condition.get_by_label("Field", exact=True).select_option(label="City")
    condition.get_by_label("Operator", exact=True).select_option(label="contains")
    condition.get_by_label("City", exact=True).fill("kelowna")
    panel.get_by_role("button", name="Search").click()

    expect(page).to_have_url(re.compile(r"[?&]city__contains=kelowna"), timeout=TIMEOUT)
    expect(rows).to_have_count(2, timeout=TIMEOUT)
    expect(page.locator("table.records tbody")).not_to_contain_text("Gagnon")
    expect(page.locator("p.count")).to_have_text("2 records")
    expect(panel.locator("summary")).to_have_text("Advanced filter (1)")

    # Save it.
    tool = page.locator("details.tool").filter(has=page.locator("summary", has_text="Save this filter"))
    tool.locator("summary").click()
    tool.get_by_label("Name").fill("Kelowna area")
    tool.get_by_role("button", name="Save").click()
    expect(page.locator(".flash-success")).to_contain_text("Kelowna area", timeout=TIMEOUT)

    # The plain list, then the chip.
    page.locator("#sidebar").get_by_role("link", name="Clients", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Clients")).to_be_visible(timeout=TIMEOUT)
    expect(page).not_to_have_url(re.compile(r"city__contains"))
    expect(rows).to_have_count(3, timeout=TIMEOUT)
    chips = page.get_by_role("navigation", name="Saved filters")
    chip = chips.get_by_role("link", name="Kelowna area")
    expect(chip).to_be_visible(timeout=TIMEOUT)
    chip.click()

    expect(page).to_have_url(re.compile(r"[?&]city__contains=kelowna"), timeout=TIMEOUT)
    expect(rows).to_have_count(2, timeout=TIMEOUT)
    expect(page.locator("table.records tbody")).to_contain_text("Tremblay")
    expect(page.locator("table.records tbody")).to_contain_text("Noël")
    expect(page.locator("table.records tbody")).not_to_contain_text("Gagnon")
    # The panel shows the condition again.
    condition = page.locator("details.filter-panel .condition")
    expect(condition).to_have_count(1)
    expect(condition.get_by_label("Field", exact=True)).to_have_value("city")
    expect(condition.get_by_label("City", exact=True)).to_have_value("kelowna")

    assert browser_errors == []


def test_filter_by_a_country_offers_the_countries_named_once_for_both_fields(live_app, live_server, live_user, page,
                                                                             browser_errors):
    """The panel sends the country list once (``data-shared-options``); both country fields offer it."""
    live_user("staff", email="countries@example.org")
    with live_app.app_context():
        db.session.add_all([Client(first_name="Aya", last_name="Haddad", country_of_origin="SY"),
                            Client(first_name="Luc", last_name="Martin", country_of_origin="FR")])
        db.session.commit()
        db.session.remove()
    log_in(page, live_server, "countries@example.org")
    page.goto(f"{live_server}/clients/")
    assert page.locator("[data-conditions]").get_attribute("data-fields").count('"countries"') == 2
    panel = page.locator("details.filter-panel")
    panel.locator("summary").click()
    panel.get_by_role("button", name="Add a condition").click()
    condition = panel.locator(".condition").last
    condition.get_by_label("Field", exact=True).select_option(label="Country of origin")
    condition.get_by_label("Operator", exact=True).select_option(label="is one of")
    countries = condition.get_by_label("Country of origin", exact=True)
    assert countries.locator("option").count() > 200
    countries.select_option(label="Syria")
    panel.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"[?&]country_of_origin__in=SY"), timeout=TIMEOUT)
    rows = page.locator("table.records tbody tr")
    expect(rows).to_have_count(1, timeout=TIMEOUT)
    expect(rows).to_contain_text("Haddad")
    assert browser_errors == []
