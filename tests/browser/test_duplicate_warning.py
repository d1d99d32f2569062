"""The duplicate warning of the create form, in a real browser: a client typed without accents
("Emile Noel") matches the existing "Émile Noël"; the form warns, links to them, and "Create
anyway" creates the new record."""

import re

from playwright.sync_api import expect
from sqlalchemy import func, select

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


def count_clients(app, last_name):
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Client).where(Client.last_name == last_name))
        db.session.remove()
    return count


def test_create_anyway_after_a_duplicate_warning(live_app, live_server, live_user, page, browser_errors):
    live_user("staff", email="dupes@example.org")
    with live_app.app_context():
        existing = Client(first_name="Émile", last_name="Noël")
        db.session.add(existing)
        db.session.commit()
        existing_id = existing.id
        db.session.remove()
    log_in(page, live_server, "dupes@example.org")

    page.locator("#sidebar").get_by_role("link", name="Clients", exact=True).click()  # its actions show
    page.locator("#sidebar").get_by_role("link", name="Create a client").click()
    expect(page.get_by_role("heading", level=1, name="Create a client")).to_be_visible(timeout=TIMEOUT)
    page.get_by_label("First name", exact=True).fill("Emile")
    page.get_by_label("Last name").fill("Noel")
    page.locator(".page-head button.primary[type=submit]").click()

    warning = page.locator(".duplicate-warning")
    expect(warning).to_be_visible(timeout=TIMEOUT)
    expect(warning).to_contain_text("This record may already exist")
    match = warning.get_by_role("link", name=re.compile(r"Émile Noël"))
    expect(match).to_have_count(1)
    expect(match).to_have_attribute("href", re.compile(rf"/clients/{existing_id}$"))
    assert count_clients(live_app, "Noel") == 0  # nothing saved yet
    # The typed values are still in the form.
    expect(page.get_by_label("First name", exact=True)).to_have_value("Emile")
    expect(page.get_by_label("Last name")).to_have_value("Noel")

    warning.get_by_role("button", name="Create anyway").click()
    expect(page.get_by_role("heading", level=1, name="Emile Noel")).to_be_visible(timeout=TIMEOUT)
    expect(page).to_have_url(re.compile(r"/clients/\d+$"))
    assert not page.url.endswith(f"/clients/{existing_id}")
    expect(page.locator(".flash-success")).to_contain_text("Emile Noel")
    assert count_clients(live_app, "Noel") == 1

    assert browser_errors == []
