"""A counsellor's day with a case file, in a real browser: open a case file from the client's page
(the number proposed from the format), add an action-plan step, record a placement with its
employer picked by type-ahead (follow-ups appear), close the file with its date and outcome."""

import re

import pytest
from playwright.sync_api import expect

from kernel import records
from kernel.app import create_app
from kernel.db import db
from kernel.registry import entities
from plugins.sae.settings import save_members
from tests.conftest import TEST_PASSWORD

TIMEOUT = 20_000
PLUGINS = "clients,partners,activities,sae"


@pytest.fixture(scope="session")
def migrated(settings):
    app = create_app({**settings, "PASSERELLE_PLUGINS": PLUGINS})
    with app.app_context():
        from kernel import migrate

        migrate.upgrade()
    return True


@pytest.fixture
def live_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True, PASSERELLE_PLUGINS=PLUGINS)


def test_open_follow_and_close_a_case_file(live_app, live_server, live_user, page, browser_errors, screenshot):
    counsellor = live_user("staff", email="claire@example.org", name="Claire Conseillère")
    with live_app.app_context():
        save_members({counsellor.id}, set())
        person = records.create(entities().get("client"), {"first_name": "Émile", "last_name": "Noël"}, None)
        records.create(entities().get("partner"), {"name": "Northmart Iqaluit"}, None)
        db.session.commit()
        client_id = person.id
        db.session.remove()
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail address").fill("claire@example.org")
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible(timeout=TIMEOUT)

    page.goto(f"{live_server}/clients/{client_id}")
    page.locator("#panel-linked-case_file-client_id").get_by_role("link", name="Open a case file").click()
    expect(page.get_by_label("File identification number")).to_have_value(
        re.compile(r"^SAE-\d{4}-0001$"))
    page.get_by_label("Intake date").fill("2026-01-12")
    page.get_by_label("Employment goal").fill("Caissière")
    page.locator(".page-head button.primary[type=submit]").click()
    expect(page.get_by_role("heading", level=1, name=re.compile(r"SAE-\d{4}-0001"))).to_be_visible()
    case_file_url = page.url

    page.locator("#main").get_by_role("link", name="Add a step").click()
    page.get_by_label("Description").fill("Mettre le CV à jour")
    page.get_by_label("Target date").fill("2026-02-01")
    page.locator(".page-head button.primary[type=submit]").click()
    expect(page.get_by_role("heading", level=1, name="Mettre le CV à jour")).to_be_visible()

    page.goto(case_file_url)
    page.locator("#main").get_by_role("link", name="Record a placement").click()
    picker = page.locator("#field-employer_id + .ts-wrapper")
    picker.locator(".ts-control input").fill("North")
    option = page.locator(".ts-dropdown .option", has_text="Northmart Iqaluit")
    expect(option).to_be_visible(timeout=TIMEOUT)
    option.click()
    expect(picker.locator(".ts-control .item")).to_have_text("Northmart Iqaluit", timeout=TIMEOUT)
    page.get_by_label(re.compile(r"^Job\b")).fill("Commis")
    page.get_by_label("Start date").fill("2026-03-02")
    page.locator(".page-head button.primary[type=submit]").click()
    expect(page.get_by_role("heading", level=1, name="Commis")).to_be_visible()
    expect(page.get_by_text("90 days")).to_be_visible()

    page.goto(case_file_url)
    expect(page.get_by_role("link", name="Mettre le CV à jour", exact=True)).to_be_visible()
    screenshot("case-file")
    page.get_by_role("link", name="Close the file").click()
    page.get_by_label("Outcome").select_option("employed")
    page.get_by_role("button", name="Close the file").click()
    expect(page.get_by_text("This case file is closed. A supervisor can reopen it.")).to_be_visible()
    expect(page.get_by_role("link", name="Edit", exact=True)).to_have_count(0)
    screenshot("closed")
    assert browser_errors == []
