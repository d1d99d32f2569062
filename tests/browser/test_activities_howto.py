"""The guide's "how to schedule a call", as a staff member does it in a browser: from the sidebar,
with the "related to" picker searching the clients by name."""

from playwright.sync_api import expect
from sqlalchemy import select

from kernel.db import db
from plugins.activities.models import Call
from tests.browser.test_activities import log_in
from tests.browser.test_activities_documents import add


def pick_one(page, label, typed, option):
    """Type in the single tom-select picker labelled ``label`` and choose ``option``."""
    page.locator(".ts-wrapper", has=page.get_by_role("combobox", name=label)).click()
    page.keyboard.type(typed)
    page.locator(".ts-dropdown .option", has_text=option).click()


def test_schedule_a_call_related_to_a_client(live_app, live_server, live_user, page, browser_errors):
    user = live_user("staff", email="howto@example.org")
    client_id = add(live_app, user, "client", {"first_name": "Émile", "last_name": "Zunik"})
    for number in range(25):  # the first suggestions, newest or by name: the picker must search the server
        add(live_app, user, "client", {"first_name": "Jean", "last_name": f"Tremblay {number}"})
    log_in(page, live_server, "howto@example.org")
    page.get_by_role("link", name="Schedule a call").first.click()
    page.get_by_label("Subject").fill("Appel de suivi avec M. Zunik")
    page.get_by_label("Start").fill("2026-11-24T10:30")
    page.get_by_label("Direction").select_option(label="Outbound")
    page.get_by_label("Status").select_option(label="Planned")
    pick_one(page, "Related to", "zunik", "Émile Zunik")
    page.get_by_label("Duration (hours)").fill("0")
    page.get_by_label("Duration (minutes)").fill("30")
    page.get_by_label("Description").fill("Agenda : le CV")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.get_by_role("heading", level=1, name="Appel de suivi avec M. Zunik")).to_be_visible()
    with live_app.app_context():
        call = db.session.scalar(select(Call))
        assert (call.related_to, call.direction, call.total_minutes) == (f"client:{client_id}", "outbound", 30)
        db.session.remove()
    page.goto(f"{live_server}/clients/{client_id}")
    expect(page.locator("#panel-activities").get_by_role("link", name="Appel de suivi avec M. Zunik")).to_be_visible()
    assert browser_errors == []
