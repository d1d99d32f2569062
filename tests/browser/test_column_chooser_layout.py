"""The column chooser's layout (issue 16 §5), in English and in French: the two lists side by side
from the same top on a desktop (the shown columns first, numbered), the page size and Apply under
both, no empty area above the shown columns; on a 390 px phone the lists stack and fit the screen.
A column moved from one list to the other gets buttons named for it in the page's language."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_picker_server_matches import log_in

WORDS = {
    "en": ("Columns", "Shown columns, in order", "Other columns", "Show City", "Hide City", "Move City up"),
    "fr": ("Colonnes", "Colonnes affichées, dans l'ordre", "Autres colonnes", "Afficher Ville", "Masquer Ville",
           "Monter Ville"),
}


def box(locator) -> dict:
    return locator.bounding_box()


def open_chooser(browser, live_server, email, language, width):
    context = browser.new_context(viewport={"width": width, "height": 900},
                                  locale="fr-CA" if language == "fr" else "en-CA")
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, live_server, email, language)
    page.goto(f"{live_server}/clients/")
    page.locator("#column-chooser summary").filter(has_text=WORDS[language][0]).click()
    return context, page


@pytest.mark.parametrize("language", ["en", "fr"])
def test_two_lists_side_by_side_then_stacked_on_a_phone(live_server, live_user, browser, screenshot_dir, language):
    live_user("staff", email=f"chooser-{language}@example.org", language=language)
    _summary, shown_title, other_title, show_city, hide_city, up_city = WORDS[language]

    context, page = open_chooser(browser, live_server, f"chooser-{language}@example.org", language, 1280)
    try:
        shown = page.locator(".column-chooser fieldset").filter(has_text=shown_title)
        other = page.locator(".column-chooser fieldset").filter(has_text=other_title)
        footer = page.locator(".column-chooser .chooser-footer")
        expect(shown).to_be_visible()
        page.screenshot(path=str(screenshot_dir / f"column-chooser-{language}.png"))
        shown_box, other_box, footer_box = box(shown), box(other), box(footer)
        assert shown_box["x"] < other_box["x"]  # side by side, the shown columns first
        assert abs(shown_box["y"] - other_box["y"]) < 2  # from the same top
        assert footer_box["y"] >= max(shown_box["y"] + shown_box["height"], other_box["y"] + other_box["height"])
        first = shown.locator("li").first
        assert box(first)["y"] - shown_box["y"] < 60  # the list starts at the top of its box

        other.get_by_role("button", name=show_city, exact=True).click()
        city = shown.locator('li[data-name="city"]')
        expect(city.get_by_role("button", name=hide_city, exact=True)).to_be_visible()
        expect(city.get_by_role("button", name=up_city, exact=True)).to_be_visible()
    finally:
        context.close()

    context, page = open_chooser(browser, live_server, f"chooser-{language}@example.org", language, 390)
    try:
        shown = page.locator(".column-chooser fieldset").filter(has_text=shown_title)
        other = page.locator(".column-chooser fieldset").filter(has_text=other_title)
        expect(shown).to_be_visible()
        assert box(other)["y"] > box(shown)["y"] + box(shown)["height"] - 1  # stacked
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
