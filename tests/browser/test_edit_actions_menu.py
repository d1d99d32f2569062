"""The edit screen's "Actions ▾" menu in a browser, in English and in French: opened with the
keyboard, closed by Escape; "Check for duplicates" shows the record's likely twin (not itself),
"View history" opens the record's history, and Delete (after its confirmation) moves it to the trash."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_activities_documents import add
from tests.browser.test_picker_server_matches import log_in

WORDS = {
    "en": ("Actions", "Check for duplicates", "Likely duplicates", "View history", "History", "Delete", "is in the trash"),
    "fr": ("Actions", "Rechercher les doublons", "Doublons probables", "Voir l’historique", "Historique", "Supprimer",
           "est dans la corbeille"),
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_actions_menu(live_app, live_server, live_user, browser, language):
    user = live_user("administrator", email=f"actions-{language}@example.org", language=language)
    emile = add(live_app, user, "client", {"first_name": "Émile", "last_name": "Noël", "email": "emile@example.org"})
    twin = add(live_app, user, "client", {"first_name": "Emile", "last_name": "Noel", "email": "emile@example.org"})
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  locale="fr-CA" if language == "fr" else "en-CA")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    actions, check, likely, view_history, history, delete, trashed = WORDS[language]
    try:
        log_in(page, live_server, f"actions-{language}@example.org", language)
        page.goto(f"{live_server}/clients/{emile}/edit")
        summary = page.locator(".actions-menu summary")
        expect(summary).to_contain_text(actions)
        summary.focus()
        page.keyboard.press("Enter")
        item = page.get_by_role("button", name=check)
        expect(item).to_be_visible()
        page.keyboard.press("Escape")
        expect(item).to_be_hidden()
        expect(summary).to_be_focused()

        page.keyboard.press("Enter")
        item.click()
        warning = page.locator("#duplicate-check")
        expect(warning).to_contain_text(likely)
        expect(warning.locator(f'a[href="/clients/{twin}"]')).to_be_visible()
        expect(warning.locator(f'a[href="/clients/{emile}"]')).to_have_count(0)

        summary.click()
        page.get_by_role("link", name=view_history).click()
        expect(page.get_by_role("heading", level=2, name=history)).to_be_visible()

        page.goto(f"{live_server}/clients/{emile}/edit")
        page.once("dialog", lambda dialog: dialog.accept())
        summary.click()
        page.get_by_role("button", name=delete, exact=True).click()
        expect(page.locator(".flash, [role=status], [role=alert]").filter(has_text=trashed).first).to_be_visible()
    finally:
        context.close()
    assert errors == []
