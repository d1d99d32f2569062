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


def test_overdue_means_before_the_user_today(make_user, login_as):
    import re
    from datetime import datetime
    from zoneinfo import ZoneInfo

    far_east = make_user("staff", timezone="Pacific/Kiritimati")  # UTC+14: often a day ahead of UTC
    today = datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    create("task", {"subject": "Due hier", "status": "not_started", "due_date": (today - timedelta(days=1)).isoformat(),
                    "assigned_user_id": far_east.id}, far_east)
    create("task", {"subject": "Due aujourd'hui", "status": "not_started", "due_date": today.isoformat(),
                    "assigned_user_id": far_east.id}, far_east)
    page = login_as(far_east).get("/").get_data(as_text=True)
    overdue = re.search(r"Overdue tasks</h2>.*?</section>", page, re.S).group(0)
    assert "Due hier" in overdue and "Due aujourd" not in overdue
