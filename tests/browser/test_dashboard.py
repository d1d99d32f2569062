"""Customising the dashboard, in a real browser: remove a dashlet, move another, add the first one
back with "Add a dashlet"; the new layout is still there after a reload."""

import re

from playwright.sync_api import expect

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


def dashlet_titles(page):
    return [text.strip() for text in page.locator("#dashlets > section.dashlet > h2").all_inner_texts()]


def dashlet(page, title):
    """A dashlet: a region named by its title."""
    return page.locator("#dashlets").get_by_role("region", name=title, exact=True)


def test_customise_the_dashboard(live_app, live_server, live_user, page, browser_errors):
    live_user("staff", email="dashboard@example.org")
    log_in(page, live_server, "dashboard@example.org")
    dashlets = page.locator("#dashlets > section.dashlet")
    expect(dashlets.first).to_be_visible(timeout=TIMEOUT)
    titles = dashlet_titles(page)
    assert len(titles) >= 3, titles
    removed, *rest = titles

    page.get_by_role("link", name="Customise").click()
    expect(page.get_by_role("heading", level=2, name="Customise your dashboard")).to_be_visible(timeout=TIMEOUT)

    # Remove the first dashlet.
    dashlet(page, removed).get_by_role("button", name=re.compile(r"^Remove")).click()
    expect(page.locator(".flash-success")).to_contain_text("The dashlet is removed", timeout=TIMEOUT)
    expect(page.locator("#dashlets > section.dashlet > h2")).to_have_text(rest, timeout=TIMEOUT)

    # Move the last one up one place.
    moved = rest[-1]
    dashlet(page, moved).get_by_role("button", name=re.compile(r"^Move up")).click()
    expected = rest[:-2] + [rest[-1], rest[-2]]
    expect(page.locator("#dashlets > section.dashlet > h2")).to_have_text(expected, timeout=TIMEOUT)

    # Add the removed one back: it goes at the end.
    page.get_by_label("Add a dashlet").select_option(label=removed)
    page.locator(".dashboard-customise").get_by_role("button", name="Add", exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text("The dashlet is added at the end", timeout=TIMEOUT)
    expected = expected + [removed]
    expect(page.locator("#dashlets > section.dashlet > h2")).to_have_text(expected, timeout=TIMEOUT)

    # Done, then reload: the layout is kept.
    page.get_by_role("link", name="Done").click()
    expect(page.get_by_role("heading", level=2, name="Customise your dashboard")).to_have_count(0, timeout=TIMEOUT)
    expect(page.locator("#dashlets > section.dashlet > h2")).to_have_text(expected, timeout=TIMEOUT)
    page.reload()
    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#dashlets > section.dashlet > h2")).to_have_text(expected, timeout=TIMEOUT)
    assert dashlet_titles(page) == expected

    assert browser_errors == []
