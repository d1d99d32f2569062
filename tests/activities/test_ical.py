"""The private iCal feed, parsed with icalendar; a new token disables the old address."""

import re
from datetime import timedelta

from icalendar import Calendar

from kernel.db import utcnow
from tests.activities.helpers import create


def feed_path(client) -> str:
    page = client.get("/activities/calendar/sharing").get_data(as_text=True)
    return re.search(r'(/activities/calendar/[A-Za-z0-9_-]+\.ics)', page).group(1)


def test_feed_lists_my_calls_and_meetings(staff, staff_client, app):
    soon = utcnow() + timedelta(days=2)
    create("call", {"subject": "Appel iCal", "start": soon.isoformat() + "Z", "duration_hours": 1,
                    "duration_minutes": 0}, staff)
    create("meeting", {"subject": "Réunion iCal", "start": soon.isoformat() + "Z",
                       "end": (soon + timedelta(hours=1)).isoformat() + "Z", "location": "Salle 1"}, staff)
    path = feed_path(staff_client)
    anonymous = app.test_client()
    response = anonymous.get(path)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    summaries = {str(event["summary"]) for event in Calendar.from_ical(response.data).walk("VEVENT")}
    assert summaries == {"Appel iCal", "Réunion iCal"}
    staff_client.post("/activities/calendar/token")
    assert anonymous.get(path).status_code == 404
    assert anonymous.get(feed_path(staff_client)).status_code == 200
