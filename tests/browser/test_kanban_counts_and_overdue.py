"""The kanban in a browser, in English and in French: columns in the workflow's order (done last),
a late card flagged "Overdue" on the organisation's date; after a drag, both columns' counts
change, and a card dropped in the done column is no longer flagged."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_activities import drag
from tests.browser.test_activities_documents import add
from tests.browser.test_picker_server_matches import log_in

WORDS = {
    "en": (["Not started", "In progress", "Pending", "Completed"], "Overdue"),
    "fr": (["Non démarré", "En cours", "En attente", "Terminé"], "En retard"),
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_counts_follow_a_drag_and_done_is_not_late(live_app, live_server, live_user, browser, freeze_clock,
                                                    language):
    freeze_clock("2026-12-04 10:00", "America/Iqaluit")
    user = live_user("staff", email=f"board-{language}@example.org", language=language)
    late = add(live_app, user, "task", {"subject": "Relancer Anne", "status": "not_started", "due_date": "2026-11-26"})
    add(live_app, user, "task", {"subject": "Plus tard", "status": "not_started", "due_date": "2026-12-20"})
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  locale="fr-CA" if language == "fr" else "en-CA")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    columns, overdue = WORDS[language]
    try:
        log_in(page, live_server, f"board-{language}@example.org", language)
        page.goto(f"{live_server}/tasks/kanban")
        headings = page.locator(".kanban-column h2")
        expect(headings).to_have_count(4)
        for index, label in enumerate(columns):
            expect(headings.nth(index)).to_contain_text(label)
        counts = {status: page.locator(f"#column-{status} [data-column-count]")
                  for status in ("not_started", "completed")}
        expect(counts["not_started"]).to_have_text("2")
        expect(counts["completed"]).to_have_text("0")
        card = page.locator(f'.kanban-card[data-id="{late}"]')
        expect(card.get_by_text(overdue, exact=True)).to_be_visible()
        expect(page.locator(".kanban-card", has_text="Plus tard").get_by_text(overdue, exact=True)).to_have_count(0)

        drag(page, card, page.locator('.kanban-cards[data-status="completed"]'))
        expect(page.locator(f'.kanban-cards[data-status="completed"] .kanban-card[data-id="{late}"]')).to_be_visible()
        expect(counts["not_started"]).to_have_text("1")
        expect(counts["completed"]).to_have_text("1")
        expect(card.get_by_text(overdue, exact=True)).to_be_hidden()
        expect(card.locator("select[name=status]")).to_have_value("completed")
    finally:
        context.close()
    assert errors == []
