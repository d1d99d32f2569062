"""Erasure on request, in a real browser: the administrator opens a client's page, follows "Erase
their data", reads the preview of what will go in each module (and, for a delete, sees it
change), is stopped by an open case file with a clear message, and, once the file is closed,
gives a reason and erases: the run is shown with its counts and the client's name is gone."""

from datetime import date

from playwright.sync_api import expect

from kernel.db import db
from plugins.activities.models import Call
from plugins.clients.models import Client
from plugins.sae.models import CaseFile
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


def a_client_with_an_open_case_file(live_app):
    from datetime import datetime

    with live_app.app_context():
        client = Client(first_name="Zoé", last_name="Kilabuk", email="zoe.kilabuk@example.org")
        db.session.add(client)
        db.session.flush()
        db.session.add(Call(subject="Call Zoé Kilabuk", start=datetime(2025, 4, 2, 10), duration_hours=0,
                            duration_minutes=10, related_to=f"client:{client.id}"))
        case_file = CaseFile(file_number="SAE-0042", client_id=client.id, status="active", intake_date=date(2025, 1, 6))
        db.session.add(case_file)
        db.session.commit()
        ids = client.id, case_file.id
        db.session.remove()
    return ids


def close_case_file(live_app, case_file_id):
    with live_app.app_context():
        case_file = db.session.get(CaseFile, case_file_id)
        case_file.status, case_file.closure_date, case_file.outcome = "closed", date(2025, 6, 1), "employed"
        db.session.commit()
        db.session.remove()


def test_the_administrator_previews_is_stopped_by_an_open_file_then_erases(live_app, live_server, live_user, page,
                                                                            browser_errors):
    live_user("administrator", email="officer@example.org", name="Olivia Officer")
    client_id, case_file_id = a_client_with_an_open_case_file(live_app)

    log_in(page, live_server, "officer@example.org")
    page.goto(f"{live_server}/clients/{client_id}")
    page.get_by_role("link", name="Erase their data").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Erase a person's data")
    preview = page.locator("#erasure-preview")
    expect(preview).to_contain_text("Clients")
    expect(preview).to_contain_text("Calls")
    expect(preview).to_contain_text("Case files")
    expect(page.locator("#erasure-blocked")).to_contain_text("Case file SAE-0042 is open")
    expect(page.get_by_label("Reason")).to_have_count(0)

    close_case_file(live_app, case_file_id)
    page.get_by_label("Preview for").select_option("delete")
    page.get_by_role("button", name="Show what will go").click()
    case_files = preview.locator("tr", has_text="Case files")
    expect(case_files.locator("td").nth(2)).to_have_text("1")  # a case file goes with its client
    page.get_by_label("Preview for").select_option("anonymise")
    page.get_by_role("button", name="Show what will go").click()
    expect(case_files.locator("td").nth(1)).to_have_text("1")

    page.get_by_label("Reason").fill("Request received by letter, 2026-11-30")
    page.get_by_role("button", name="Anonymise their data").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Retention run")
    expect(page.locator("#retention-run-counts")).to_contain_text("Clients")
    expect(page.locator("main")).to_contain_text("Request received by letter, 2026-11-30")

    page.goto(f"{live_server}/clients/{client_id}")
    expect(page.locator("main")).not_to_contain_text("Kilabuk")
    assert browser_errors == []
