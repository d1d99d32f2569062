"""The calendar, its iCal feeds, the CVs list and the SAE's registration kiosk moved under their
plugins' prefixes (issue 17): the addresses people already hold (a bookmark, a phone's calendar
subscription, the front desk's tablet) answer with a permanent redirect to the new ones."""

import re

import pytest


@pytest.mark.parametrize("former, current", [
    ("/calendar", "/activities/calendar"),
    ("/calendar/sharing", "/activities/calendar/sharing"),
    ("/cvs/", "/activities/cvs/"),
    ("/registration", "/sae/registration"),
])
def test_a_former_address_redirects_for_good(staff_client, former, current):
    response = staff_client.get(former)

    assert response.status_code == 308
    assert response.headers["Location"].endswith(current)


def test_a_subscribed_feed_still_reaches_the_calendar(staff_client, app):
    page = staff_client.get("/activities/calendar/sharing").get_data(as_text=True)
    token = re.search(r"/activities/calendar/([A-Za-z0-9_-]+)\.ics", page).group(1)
    anonymous = app.test_client()

    response = anonymous.get(f"/calendar/{token}.ics", follow_redirects=True)

    assert response.status_code == 200 and response.mimetype == "text/calendar"
