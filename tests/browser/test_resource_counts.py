"""Resource search in a browser: beyond the count cap the screen says "More than …", shows the type
counts as "at least", and counts exactly on demand without leaving the page (htmx)."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete

from kernel.db import db
from plugins.directory import search as search_module
from plugins.directory.models import synonym_groups
from tests.conftest import TEST_PASSWORD
from tests.directory.package import load_sample


@pytest.fixture
def count_cap_of_two(monkeypatch):
    monkeypatch.setattr(search_module, "COUNT_CAP", 2)  # the sample has 3 resources about housing


def test_counting_beyond_the_cap_and_exactly(live_app, live_server, live_user, page, browser_errors, tmp_path,
                                             count_cap_of_two):
    live_user("staff", email="agent@example.org")
    with live_app.app_context():
        load_sample(live_app, tmp_path)
        # Without synonyms, whatever the tests before this one left: "logement" is in three of them
        # (with the migration's starter synonyms, the emergency shelter matches too).
        db.session.execute(delete(synonym_groups))
        db.session.commit()
        db.session.remove()
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail address").fill("agent@example.org")
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{live_server}/resources/search")
    form = page.locator("form.resource-search")
    form.get_by_label("Keywords").fill("logement")
    form.get_by_role("button", name="Search").click()
    results = page.locator("#resource-results")
    expect(results.locator(".result-count")).to_contain_text("More than 2 resources found")
    expect(results.locator(".facet-note")).to_have_text("Counted among the first 2 resources found.")
    expect(results.locator(".facets .count").first).to_have_text(re.compile(r"^\d+\+$"))

    results.get_by_role("link", name="Count them exactly").click()
    expect(results.locator(".result-count")).to_have_text("3 resources found")
    expect(page).to_have_url(re.compile(r"count=exact"))
    expect(results.locator(".facet-note")).to_have_count(0)
    expect(results.locator(".facets .count").first).to_have_text(re.compile(r"^\d+$"))
    assert browser_errors == []
