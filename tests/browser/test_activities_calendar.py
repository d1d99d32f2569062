"""The calendar in a browser whose own time zone (Tokyo) is not the user's (the organisation's
default, Iqaluit): meetings show at the organisation's hour, and clicking or dragging stores the
right UTC time."""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect
from sqlalchemy import select

from kernel import records
from kernel.db import db
from kernel.registry import entities
from plugins.activities.models import Meeting
from tests.browser.test_activities import log_in

IQALUIT = ZoneInfo("America/Iqaluit")


def utc_of(day, hour):
    return datetime.combine(day, time(hour)).replace(tzinfo=IQALUIT).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def add_meeting(app, user, subject, start_utc, end_utc):
    with app.app_context():
        meeting = records.create(entities().get("meeting"), {
            "subject": subject, "start": start_utc.isoformat() + "Z", "end": end_utc.isoformat() + "Z",
            "assigned_user_id": user.id}, db.session.get(type(user), user.id))
        db.session.commit()
        meeting_id = meeting.id
        db.session.remove()
    return meeting_id


def meeting_times(app, subject):
    with app.app_context():
        meeting = db.session.scalar(select(Meeting).where(Meeting.subject == subject))
        db.session.remove()
    return meeting.start, meeting.end


def tokyo_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-CA", timezone_id="Asia/Tokyo")
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page, errors


def test_the_calendar_uses_the_user_zone_not_the_browser_zone(live_app, live_server, live_user, browser):
    user = live_user("staff", email="zone@example.org")
    today = datetime.now(IQALUIT).date()
    add_meeting(live_app, user, "Comité du matin", utc_of(today, 9), utc_of(today, 10) + timedelta(minutes=30))
    context, page, errors = tokyo_page(browser)
    try:
        log_in(page, live_server, "zone@example.org")
        page.goto(f"{live_server}/activities/calendar")
        event = page.locator(".fc-timegrid-event", has_text="Comité du matin")
        expect(event).to_be_visible()
        expect(event.locator(".fc-event-time")).to_have_text(re.compile(r"^9:00\s*-\s*10:30$"))
        expect(page.get_by_text("Times are shown in the America/Iqaluit time zone.")).to_be_visible()

        # drag it two hours later in the same day: 11:00 in Iqaluit
        box = event.bounding_box()
        nine = page.locator('.fc-timegrid-slot-lane[data-time="09:00:00"]').bounding_box()
        eleven = page.locator('.fc-timegrid-slot-lane[data-time="11:00:00"]').bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + 5
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x, y + 10, steps=5)
        page.mouse.move(x, y + (eleven["y"] - nine["y"]), steps=20)
        with page.expect_response(lambda response: "/activities/calendar/move" in response.url) as moved:
            page.mouse.up()
        assert moved.value.ok
        expect(event.locator(".fc-event-time")).to_have_text(re.compile(r"^11:00\s*-\s*12:30$"))
        assert meeting_times(live_app, "Comité du matin") == (utc_of(today, 11), utc_of(today, 12) + timedelta(minutes=30))

        # click the 10:00 slot: the new meeting is at 10:00 in Iqaluit, whatever Tokyo says
        page.locator('.fc-timegrid-slot-lane[data-time="10:00:00"]').click()
        expect(page).to_have_url(re.compile(r"/meetings/new\?status=planned&start=\d{4}-\d\d-\d\dT10%3A00&end=\d{4}-\d\d-\d\dT11%3A00"))
        page.get_by_label("Subject").fill("Réunion de 10 h")
        page.get_by_role("button", name="Save", exact=True).first.click()
        expect(page.get_by_role("heading", level=1, name="Réunion de 10 h")).to_be_visible()
        start, end = meeting_times(live_app, "Réunion de 10 h")
        local = start.replace(tzinfo=ZoneInfo("UTC")).astimezone(IQALUIT)
        assert (local.hour, local.minute) == (10, 0) and end - start == timedelta(hours=1)
        with live_app.app_context():
            assert db.session.scalar(select(Meeting.status).where(Meeting.subject == "Réunion de 10 h")) == "planned"
            db.session.remove()
        assert errors == []
    finally:
        context.close()


def test_show_one_colleague_shared_calendar(live_app, live_server, live_user, page, browser_errors):
    from plugins.activities import calendar

    me = live_user("staff", email="me@example.org")
    colleague = live_user("staff", email="colette@example.org", name="Colette Collègue")
    today = datetime.now(IQALUIT).date()
    add_meeting(live_app, me, "Ma réunion", utc_of(today, 9), utc_of(today, 10))
    add_meeting(live_app, colleague, "Réunion de Colette", utc_of(today, 13), utc_of(today, 14))
    with live_app.app_context():
        calendar.save_sharing(colleague.id, "everyone", set())
        db.session.commit()
        db.session.remove()
    log_in(page, live_server, "me@example.org")
    page.goto(f"{live_server}/activities/calendar")
    mine, hers = page.locator(".fc-event", has_text="Ma réunion"), page.locator(".fc-event", has_text="Réunion de Colette")
    expect(mine).to_be_visible()
    expect(hers).to_be_visible()
    page.get_by_label("Whose activities").select_option(label="Colette Collègue")
    expect(mine).to_have_count(0)
    expect(hers).to_be_visible()
    page.get_by_label("Whose activities").select_option(label="Only mine")
    expect(hers).to_have_count(0)
    expect(mine).to_be_visible()
    assert browser_errors == []


def test_drag_over_slots_to_create_a_longer_meeting(live_app, live_server, live_user, page, browser_errors):
    live_user("staff", email="slots@example.org")
    log_in(page, live_server, "slots@example.org")
    page.goto(f"{live_server}/activities/calendar")
    page.locator('.fc-timegrid-slot-lane[data-time="16:00:00"]').scroll_into_view_if_needed()
    first = page.locator('.fc-timegrid-slot-lane[data-time="14:00:00"]').bounding_box()
    last = page.locator('.fc-timegrid-slot-lane[data-time="15:00:00"]').bounding_box()
    x = first["x"] + first["width"] / 2
    page.mouse.move(x, first["y"] + 5)
    page.mouse.down()
    page.mouse.move(x, last["y"] + last["height"] - 5, steps=15)
    page.mouse.up()
    expect(page).to_have_url(re.compile(r"/meetings/new\?status=planned&start=(\d{4}-\d\d-\d\d)T14%3A00&end=\1T15%3A30"))
    expect(page.get_by_label("End")).to_have_value(re.compile(r"T15:30$"))
    assert browser_errors == []


def test_today_is_the_organisation_day_and_its_hours_take_the_keyboard(live_app, live_server, live_user, page,
                                                                       browser_errors):
    """At 00:30 UTC it is still 19:30 the day before in Iqaluit: "today", the day view and the
    "now" line are that day, not the browser's UTC date. Going from the week to one of its days
    keeps the day's column, which must still take the focus (an empty day has nothing else the
    keyboard can reach to scroll the hours)."""
    live_user("staff", email="evening@example.org")
    page.clock.set_fixed_time(datetime(2026, 12, 5, 0, 30, tzinfo=ZoneInfo("UTC")))
    log_in(page, live_server, "evening@example.org")
    page.goto(f"{live_server}/activities/calendar")
    expect(page.locator(".fc-timeGridWeek-view")).to_be_visible()
    expect(page.locator(".fc-timegrid-col.fc-day-today")).to_have_attribute("data-date", "2026-12-04")
    page.locator(".fc-timeGridDay-button").click()
    day = page.locator(".fc-timeGridDay-view .fc-timegrid-col[data-date]")
    expect(day).to_have_attribute("data-date", "2026-12-04")
    expect(day).to_have_attribute("tabindex", "0")
    expect(day.locator(".fc-timegrid-now-indicator-line")).to_have_count(1)
    page.locator(".fc-next-button").click()
    expect(day).to_have_attribute("data-date", "2026-12-05")
    expect(day).to_have_attribute("tabindex", "0")
    assert browser_errors == []
