"""The kanban's columns follow the status workflow, done last (not "Pending" after "Completed"),
in English and in French; each column shows how many cards it holds."""

import re

import pytest

from tests.activities.helpers import create

COLUMNS = {
    "en": ["Not started", "In progress", "Pending", "Completed"],
    "fr": ["Non démarré", "En cours", "En attente", "Terminé"],
}


def columns_of(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<h2 id="column-[^"]+">([^<]+?) <span class="muted">\(<span data-column-count>(\d+)</span>\)',
                      page)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_columns_in_workflow_order_with_counts(make_user, login_as, language):
    user = make_user("staff", email=f"kanban-{language}@example.org", language=language)
    for subject, status in (("A", "not_started"), ("B", "pending"), ("C", "pending"), ("D", "completed")):
        create("task", {"subject": subject, "status": status}, user)
    page = login_as(user).get("/tasks/kanban").get_data(as_text=True)
    assert columns_of(page) == list(zip(COLUMNS[language], ["1", "0", "2", "1"], strict=True))
