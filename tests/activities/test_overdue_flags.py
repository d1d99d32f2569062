"""Overdue work is flagged where it is listed, on the organisation's date (kernel.clock): on
4 December a task due 26 November is under "Overdue" on the client's page, not under "Upcoming",
and it carries an "Overdue" flag there, in "My open tasks" and on the kanban; a completed task is
never late."""

import re

import pytest

from tests.activities.helpers import create

FLAG = {"en": ">Overdue<", "fr": ">En retard<"}


@pytest.fixture
def tasks(staff, freeze_clock):
    freeze_clock("2026-12-04 10:00", "America/Iqaluit")
    person = create("client", {"last_name": "Kilabuk"}, staff)
    link = f"client:{person.id}"
    create("task", {"subject": "Late task", "status": "not_started", "due_date": "2026-11-26",
                    "related_to": link, "assigned_user_id": staff.id}, staff)
    create("task", {"subject": "Coming task", "status": "in_progress", "due_date": "2026-12-10",
                    "related_to": link, "assigned_user_id": staff.id}, staff)
    create("task", {"subject": "Done task", "status": "completed", "due_date": "2026-11-20",
                    "related_to": link, "assigned_user_id": staff.id}, staff)
    return person


def panel_of(page: str) -> str:
    return re.search(r'id="panel-activities".*?</section>', page, re.S).group(0)


def section(panel: str, heading: str) -> str:
    match = re.search(rf"<h3>{heading}</h3>(.*?)(?=<h3>|$)", panel, re.S)
    return match.group(1) if match else ""


@pytest.mark.parametrize("language, headings", [
    ("en", ("Overdue", "Upcoming", "History")), ("fr", ("En retard", "À venir", "Historique")),
])
def test_the_client_page_lists_late_tasks_under_overdue(make_user, login_as, tasks, language, headings):
    browser = login_as(make_user("staff", email=f"panel-{language}@example.org", language=language))
    panel = panel_of(browser.get(f"/clients/{tasks.id}").get_data(as_text=True))
    overdue, upcoming, history = (section(panel, heading) for heading in headings)
    assert "Late task" in overdue and FLAG[language] in overdue
    assert "Late task" not in upcoming and "Coming task" in upcoming and FLAG[language] not in upcoming
    assert "Done task" in history and FLAG[language] not in history
    assert panel.count(f">{headings[1]}<") == 1  # the heading is not repeated by a caption


def test_the_open_tasks_dashlet_flags_the_late_one(staff_client, tasks):
    page = staff_client.get("/").get_data(as_text=True)
    html = re.search(r'id="dashlet-activities:open-tasks".*?</section>', page, re.S).group(0)
    late, coming = html.split("Coming task")
    assert "Late task" in late and FLAG["en"] in late
    assert FLAG["en"] not in coming


def test_the_kanban_flags_the_late_card_only(staff_client, tasks):
    page = staff_client.get("/tasks/kanban").get_data(as_text=True)
    cards = {subject: card for card in re.findall(r'<li class="kanban-card".*?</li>', page, re.S)
             for subject in ("Late task", "Coming task", "Done task") if subject in card}
    assert re.search(r"data-overdue>Overdue<", cards["Late task"])
    assert "Overdue" not in cards["Coming task"]
    assert re.search(r"data-overdue hidden>Overdue<", cards["Done task"])  # shown again if moved back
