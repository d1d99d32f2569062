"""Who saw what, in a real browser: a caseworker opens a client's page; the administrator sees,
on the same page, who has seen it (the panel loads as it comes into view), follows the link to
the access report, filters it by user and exports it as CSV."""

import re

from playwright.sync_api import expect

from kernel.db import db
from plugins.clients.models import Client
from tests.conftest import TEST_PASSWORD

TIMEOUT = 20_000


def log_in(page, live_server, email):
    page.set_default_timeout(TIMEOUT)
    page.context.clear_cookies()
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible(timeout=TIMEOUT)


def test_the_administrator_sees_who_has_seen_a_client_and_reports_it(live_app, live_server, live_user, page,
                                                                      browser_errors):
    live_user("staff", email="caseworker@example.org", name="Carla Caseworker")
    admin = live_user("administrator", email="officer@example.org", name="Olivia Officer")
    with live_app.app_context():
        client = Client(first_name="Zoé", last_name="Kilabuk")
        db.session.add(client)
        db.session.commit()
        client_id = client.id
        db.session.remove()

    log_in(page, live_server, "caseworker@example.org")
    page.goto(f"{live_server}/clients/{client_id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kilabuk")
    expect(page.get_by_role("heading", name="Who has seen this record")).to_have_count(0)

    log_in(page, live_server, "officer@example.org")
    page.goto(f"{live_server}/clients/{client_id}")
    panel = page.locator("section", has=page.get_by_role("heading", name="Who has seen this record"))
    panel.scroll_into_view_if_needed()
    readers = panel.locator("table.privacy-readers-table tbody tr")
    expect(readers).to_have_count(2, timeout=TIMEOUT)
    expect(readers.first).to_contain_text("Olivia Officer")
    expect(panel).to_contain_text("Carla Caseworker")

    panel.get_by_role("link", name="Every read of this record in the access report").click()
    expect(page.get_by_role("heading", level=1, name="Access report")).to_be_visible(timeout=TIMEOUT)
    rows = page.locator("table.access-report tbody tr")
    expect(rows).to_have_count(2, timeout=TIMEOUT)

    page.get_by_label("User").select_option(label="Carla Caseworker (caseworker@example.org)")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"[?&]user=\d+"), timeout=TIMEOUT)
    expect(rows).to_have_count(1, timeout=TIMEOUT)
    expect(rows.first).to_contain_text("Zoé Kilabuk")
    expect(rows.first).to_contain_text("Record page")

    with page.expect_download(timeout=TIMEOUT) as download_info:
        page.get_by_role("link", name="Export CSV").click()
    text = open(download_info.value.path(), encoding="utf-8").read()
    assert "Carla Caseworker <caseworker@example.org>" in text and "Zoé Kilabuk" in text
    assert "Olivia Officer" not in text
    assert admin.id
    assert browser_errors == []
