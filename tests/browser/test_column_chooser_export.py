"""The column chooser of the clients list, in a real browser: hide a column, show another, move one
up, apply; the table keeps the choice after a reload, and the CSV export (for Excel, with a BOM) has
the same columns in the same order."""

import csv
import io
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


def header_labels(page):
    """The labels of the table's column headers, the selection checkbox's column left out."""
    headers = page.locator("table.records thead th:not(.select)")
    return [re.sub(r"\s*[▲▼]$", "", text.strip()) for text in headers.all_inner_texts()]


def test_choose_columns_then_export_them(live_app, live_server, live_user, page, browser_errors, tmp_path):
    live_user("staff", email="columns@example.org")
    with live_app.app_context():
        db.session.add(Client(first_name="Zoé", last_name="Tremblay", city="Montréal"))
        db.session.commit()
        db.session.remove()
    log_in(page, live_server, "columns@example.org")
    page.goto(f"{live_server}/clients/")
    expect(page.get_by_role("heading", level=1, name="Clients")).to_be_visible(timeout=TIMEOUT)
    before = header_labels(page)
    assert "Phone" in before and "E-mail" in before and "City" not in before, before

    chooser = page.locator("details#column-chooser")
    chooser.locator("summary").click()
    shown = chooser.locator("ol.shown-columns")
    expect(shown).to_be_visible(timeout=TIMEOUT)
    # Hide Phone, show City (it goes at the end), then move City up one place.
    chooser.get_by_role("button", name="Hide Phone", exact=True).click()
    expect(shown.locator('li[data-name="phone"]')).to_have_count(0)
    chooser.get_by_role("button", name="Show City", exact=True).click()
    city = shown.locator('li[data-name="city"]')
    expect(city).to_be_visible()
    city.get_by_role("button", name="Move City up").click()

    expected = [label for label in before if label != "Phone"]
    expected.insert(len(expected) - 1, "City")
    shown_labels = [text.strip() for text in shown.locator("li > span").all_inner_texts()]
    assert shown_labels == expected

    chooser.get_by_role("button", name="Apply").click()
    expect(page.locator(".flash-success")).to_contain_text("Your columns are saved", timeout=TIMEOUT)
    headers = page.locator("table.records thead th:not(.select)")
    # A sorted column's header ends with its arrow (▲ or ▼).
    header_patterns = [re.compile(rf"^\s*{re.escape(label)}( [▲▼])?\s*$") for label in expected]
    expect(headers).to_have_text(header_patterns, timeout=TIMEOUT)
    expect(page.locator("table.records tbody tr").first).to_contain_text("Montréal")

    page.reload()
    expect(page.get_by_role("heading", level=1, name="Clients")).to_be_visible(timeout=TIMEOUT)
    expect(headers).to_have_text(header_patterns, timeout=TIMEOUT)
    assert header_labels(page) == expected

    # Export for Excel: the ticked box adds bom=1 to the link.
    page.get_by_label("For Excel (with BOM)").check()
    export = page.locator("a[data-export-link]")
    expect(export).to_have_attribute("href", re.compile(r"[?&]bom=1"))
    with page.expect_download(timeout=TIMEOUT) as download_info:
        export.click()
    download = download_info.value
    path = tmp_path / "export.csv"
    download.save_as(path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), raw[:20]
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8")[1:])))
    assert rows[0] == expected
    assert any("Montréal" in row for row in rows[1:])

    assert browser_errors == []
