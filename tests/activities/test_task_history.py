"""Completed tasks leave the open list for the History view."""

from tests.activities.helpers import create


def test_history_lists_completed_tasks_only(staff, staff_client):
    create("task", {"subject": "Fini", "status": "completed"}, staff)
    create("task", {"subject": "Ouvert", "status": "in_progress"}, staff)
    history = staff_client.get("/tasks/history").get_data(as_text=True)
    assert "Fini" in history and "Ouvert" not in history
    open_list = staff_client.get(
        "/tasks/?status__in=not_started&status__in=in_progress&status__in=pending").get_data(as_text=True)
    assert "Ouvert" in open_list and "Fini" not in open_list


def test_a_long_history_shows_the_latest_and_leads_to_the_list(staff, staff_client, monkeypatch):
    from plugins.activities import views

    monkeypatch.setattr(views, "HISTORY_ROWS", 2)
    for number in range(3):
        create("task", {"subject": f"Tâche {number}", "status": "completed"}, staff)
    history = staff_client.get("/tasks/history").get_data(as_text=True)
    assert history.count("Tâche ") == 2 and "/tasks/?status__in=completed" in history
