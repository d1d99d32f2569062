"""The calendar and the kanban fit a 390 px phone (issue 16 §5), in English and in French: the page
is never wider than the screen (the kanban's columns scroll sideways inside their own box), in
each of the calendar's views."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_activities_documents import add
from tests.browser.test_picker_server_matches import log_in

PHONE = {"width": 390, "height": 844}
VIEWS = {"en": ("day", "week", "month"), "fr": ("Jour", "Semaine", "Mois")}


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def scrolled(board) -> bool:
    """Whether the board scrolled sideways (smooth scrolling takes a moment)."""
    for _ in range(30):
        if board.evaluate("b => b.scrollLeft") > 0:
            return True
        board.page.wait_for_timeout(100)
    return False


@pytest.fixture
def phone(browser, live_server, live_user):
    opened = []

    def open_as(language):
        live_user("staff", email=f"phone-{language}@example.org", language=language)
        context = browser.new_context(viewport=PHONE, locale="fr-CA" if language == "fr" else "en-CA")
        context.set_default_timeout(15_000)
        opened.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        log_in(page, live_server, f"phone-{language}@example.org", language)
        return page

    yield open_as
    for context in opened:
        context.close()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_calendar_fits_a_phone(phone, live_server, language):
    page = phone(language)
    page.goto(f"{live_server}/activities/calendar")
    expect(page.locator(".fc-toolbar-title")).to_be_visible()
    for view in VIEWS[language]:
        page.locator(".fc-toolbar").get_by_role("button", name=view, exact=True).click()
        expect(page.locator(".fc-view-harness .fc-view")).to_be_visible()
        assert page_width(page) <= PHONE["width"], view
    assert page.errors == []


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_kanban_scrolls_inside_its_box(phone, live_app, live_user, live_server, language):
    page = phone(language)
    owner = live_user("staff", email=f"owner-{language}@example.org")
    add(live_app, owner, "task", {"subject": "Appeler le propriétaire au sujet du bail", "status": "not_started"})
    page.goto(f"{live_server}/tasks/kanban")
    board = page.locator(".kanban")
    expect(board.locator(".kanban-card").first).to_be_visible()
    assert page_width(page) <= PHONE["width"]
    assert board.evaluate("b => b.scrollWidth > b.clientWidth")  # the columns scroll inside the board
    board.focus()  # a region the keyboard scrolls
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert scrolled(board)
    assert page_width(page) <= PHONE["width"]
    assert page.errors == []
