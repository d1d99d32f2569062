"""The activities' dashlets are on a staff member's dashboard."""

from datetime import timedelta

from kernel.db import utcnow
from tests.activities.helpers import create


def test_dashlets_present(staff, staff_client):
    start = utcnow() + timedelta(days=1)
    create("call", {"subject": "Appel à venir", "start": start.isoformat() + "Z", "duration_hours": 0,
                    "duration_minutes": 15}, staff)
    create("task", {"subject": "Tâche en retard", "status": "not_started", "due_date": "2020-01-01"}, staff)
    page = staff_client.get("/").get_data(as_text=True)
    assert "My upcoming calls and meetings" in page and "Appel à venir" in page
    assert "My open tasks" in page and "Overdue tasks" in page and "Tâche en retard" in page
