"""A caseworker's and an agent's first page in a browser, in English and in French (issue 16 §5): a
few dashlets, the caseworker's starting with "New client" then their overdue and upcoming work and
their clients, reached in a few Tab presses (it took 108); the agent's with the contacts waiting
on their lines. Screenshots of both homes are left in the screenshot folder."""

import pytest
from playwright.sync_api import expect

from kernel.db import db
from kernel.users import User
from tests.browser.test_picker_server_matches import log_in

TITLES = {
    "en": (["Clients", "Overdue tasks", "My upcoming calls and meetings", "My open tasks", "My clients"],
           "New client", ["Contacts waiting on my lines", "My open contacts"]),
    "fr": (["Clients", "Tâches en retard", "Mes prochains appels et réunions", "Mes tâches ouvertes", "Mes clients"],
           "Nouveau client", ["Contacts en attente sur mes lignes", "Mes contacts ouverts"]),
}
MOST_TAB_PRESSES = 40  # through the top bar and the sidebar, without the skip link (it took 108)


def home_of(browser, live_server, email, language):
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  locale="fr-CA" if language == "fr" else "en-CA")
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, live_server, email, language)
    page.goto(f"{live_server}/")
    return context, page


def tab_presses_to(page, name) -> int:
    for presses in range(1, 200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            return presses
    return 200


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_caseworkers_and_the_agents_homes(live_app, live_server, live_user, browser, screenshot_dir, language):
    caseworker_titles, create, agent_titles = TITLES[language]
    live_user("staff", email=f"caseworker-{language}@example.org", language=language)
    agent = live_user("staff", email=f"agent-{language}@example.org", language=language)
    with live_app.app_context():
        db.session.get(User, agent.id).workspace = "contact_centre"
        db.session.commit()
        db.session.remove()

    context, page = home_of(browser, live_server, f"caseworker-{language}@example.org", language)
    try:
        titles = page.locator("section.dashlet h2")
        expect(titles).to_have_count(len(caseworker_titles))
        assert [text.strip() for text in titles.all_inner_texts()] == caseworker_titles
        page.screenshot(path=str(screenshot_dir / f"home-caseworker-{language}.png"), full_page=True)
        page.goto(f"{live_server}/")
        assert tab_presses_to(page, create) <= MOST_TAB_PRESSES
    finally:
        context.close()

    context, page = home_of(browser, live_server, f"agent-{language}@example.org", language)
    try:
        titles = page.locator("section.dashlet h2")
        expect(titles.first).to_have_text(agent_titles[0])
        assert [text.strip() for text in titles.all_inner_texts()][:2] == agent_titles
        assert titles.count() <= 6
        assert page.get_by_role("link", name=create).count() == 0
        page.screenshot(path=str(screenshot_dir / f"home-agent-{language}.png"), full_page=True)
    finally:
        context.close()
