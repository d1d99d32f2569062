"""The main page of each module works under the Content-Security-Policy (kernel/security/headers.py):
chromium reports no violation (no "Refused to execute inline script", no "Refused to apply inline
style", no eval, no blocked font or image) on the dashboard and its customising, a list, a record
with inline editing, the edit form and its pickers, the calendar, the kanban, the report builder
with a chart, the contact-centre contact screen, the resource search and the registration kiosk,
and their scripts do run (FullCalendar draws, Sortable and Tom Select are on, Chart.js draws, Escape
cancels an inline edit, the kiosk focuses the errors)."""

import pytest
from playwright.sync_api import expect

from kernel import records
from kernel.db import db
from kernel.registry import entities
from tests.conftest import TEST_PASSWORD

TIMEOUT = 20_000
# Recorded by the page itself, in addition to chromium's console messages (a policy violation is
# also an event of the document).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline") + " " +
                              (event.sourceFile || "") + ":" + event.lineNumber);
});
"""


@pytest.fixture
def violations(page):
    """Console messages about the policy, on every page the test opens."""
    found = []
    page.add_init_script(RECORD_VIOLATIONS)

    def on_console(message):
        text = message.text
        if "Content Security Policy" in text or text.startswith("Refused to"):
            found.append(f"{text} ({page.url})")

    page.on("console", on_console)
    return found


def check(page, violations):
    """No violation so far, seen by chromium's console or by the document."""
    page.wait_for_load_state("networkidle")
    seen = page.evaluate("window.__cspViolations || []")
    assert violations == [] and seen == [], f"{page.url}: {violations or seen}"


def log_in(page, live_server, email):
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible(timeout=TIMEOUT)


def seed(app, user):
    """A client, a task and a contact-centre contact; returns their ids."""
    from tests.contactcenter.helpers import make_contact, make_profile

    with app.app_context():
        client = records.create(entities().get("client"), {"first_name": "Zoé", "last_name": "Tremblay",
                                                           "city": "Montréal"}, None)
        records.create(entities().get("task"), {"subject": "Appeler Zoé", "status": "not_started"}, None)
        db.session.commit()
        client_id = client.id
        contact_id = make_contact(user, profile=make_profile(user)).id
        db.session.remove()
    return client_id, contact_id


def test_the_main_pages_of_each_module_break_no_rule_of_the_policy(live_app, live_server, live_user, page,
                                                                   violations):
    staff = live_user("supervisor", email="csp@example.org")
    client_id, contact_id = seed(live_app, staff)
    log_in(page, live_server, "csp@example.org")
    check(page, violations)

    page.goto(f"{live_server}/?customise=1")
    expect(page.locator("[data-sortable]")).to_be_visible()
    check(page, violations)
    assert page.evaluate("!!Sortable.get(document.querySelector('[data-sortable]'))"), "dashboard.js did not run"

    page.goto(f"{live_server}/clients/")
    expect(page.get_by_role("cell", name="Tremblay", exact=True)).to_be_visible()
    check(page, violations)

    page.goto(f"{live_server}/clients/{client_id}")
    expect(page.get_by_role("heading", level=1, name="Zoé Tremblay")).to_be_visible()
    city = page.locator("#field-view-city")
    city.get_by_role("link", name="Edit City").click()
    expect(city.get_by_label("City", exact=True)).to_be_focused()
    page.keyboard.press("Escape")  # cancels, as the Cancel link does
    expect(city.get_by_role("link", name="Edit City")).to_be_visible()
    expect(city.locator(".field-value")).to_have_text("Montréal")
    check(page, violations)

    page.goto(f"{live_server}/clients/{client_id}/edit")
    expect(page.locator(".ts-wrapper").first).to_be_visible()  # Tom Select pickers are on
    check(page, violations)

    page.goto(f"{live_server}/activities/calendar")
    expect(page.locator(".fc-timegrid")).to_be_visible()
    colour = page.locator('[data-legend="meeting"]').evaluate("swatch => getComputedStyle(swatch).color")
    assert colour == "rgb(31, 95, 168)"  # the meetings' colour, set by calendar.js
    check(page, violations)

    page.goto(f"{live_server}/tasks/kanban")
    expect(page.locator(".kanban-card", has_text="Appeler Zoé")).to_be_visible()
    assert page.locator(".kanban").evaluate("board => getComputedStyle(board).display") == "grid"  # kanban.css
    check(page, violations)

    page.goto(f"{live_server}/reports/build?entity=client&group=country_of_origin&chart=bar")
    expect(page.locator("table.report-table")).to_be_visible()
    expect(page.locator("canvas").first).to_be_visible()
    check(page, violations)
    assert page.evaluate("!!Chart.getChart(document.querySelector('canvas'))"), "the chart was not drawn"

    page.goto(f"{live_server}/contactcenter/contacts/{contact_id}")
    expect(page.get_by_role("tab").first).to_be_visible()
    check(page, violations)

    page.goto(f"{live_server}/resources/search")
    form = page.locator("form.resource-search")
    form.get_by_label("Keywords").fill("logement")
    form.get_by_role("button", name="Search").click()
    expect(page.locator("#resource-results")).to_be_visible()
    check(page, violations)

    page.goto(f"{live_server}/sae/registration")
    page.locator("#start-kiosk").click()
    expect(page.locator(".kiosk-submit")).to_be_visible()
    page.locator(".kiosk-submit").click()  # nothing filled in: the errors come back, and take the focus
    expect(page.locator("#form-errors")).to_be_focused()
    check(page, violations)
