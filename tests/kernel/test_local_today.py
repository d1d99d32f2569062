"""'Today' is the date where the user is: at 20:00 in Iqaluit (01:00 UTC the next day) it is still
the 3rd for the organisation, and a user with a time zone of their own gets their own date."""

from kernel import clock

EVENING_IN_IQALUIT = "2026-12-03 20:00"


def test_today_is_the_organisations_date_not_the_servers(app, freeze_clock):
    freeze_clock(EVENING_IN_IQALUIT, "America/Iqaluit")
    assert clock.utc_now().date().isoformat() == "2026-12-04"
    assert clock.today().isoformat() == "2026-12-03"
    assert clock.local_now().strftime("%H:%M") == "20:00"


def test_a_users_own_time_zone_wins(app, make_user, freeze_clock):
    freeze_clock(EVENING_IN_IQALUIT, "America/Iqaluit")
    traveller = make_user("staff", timezone="Pacific/Auckland")
    assert clock.today(traveller).isoformat() == "2026-12-04"


def test_an_unknown_zone_falls_back_to_the_organisations(app, make_user, freeze_clock):
    freeze_clock(EVENING_IN_IQALUIT, "America/Iqaluit")
    assert clock.today(make_user("staff", timezone="Mars/Olympus")).isoformat() == "2026-12-03"


def test_the_organisations_zone_is_a_setting(make_app, freeze_clock):
    freeze_clock(EVENING_IN_IQALUIT, "America/Iqaluit")
    app = make_app(DEFAULT_TIMEZONE="Europe/Paris")
    with app.app_context():
        assert clock.today().isoformat() == "2026-12-04"


def test_a_user_chooses_a_time_zone_in_the_profile(app, staff, staff_client, freeze_clock):
    from kernel.db import db
    from kernel.users import User

    freeze_clock(EVENING_IN_IQALUIT, "America/Iqaluit")
    page = staff_client.get("/profile/").get_data(as_text=True)
    assert "The organisation's (America/Iqaluit)" in page and 'value="Europe/Paris"' in page
    assert staff_client.post("/profile/preferences", data={"timezone": "Europe/Paris"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, staff.id).timezone == "Europe/Paris"
    assert clock.today(db.session.get(User, staff.id)).isoformat() == "2026-12-04"
    # the top bar's switches send one preference and leave the zone alone
    staff_client.post("/profile/preferences", data={"theme": "dark"})
    db.session.expire_all()
    assert db.session.get(User, staff.id).timezone == "Europe/Paris"


def test_an_unknown_time_zone_is_refused_and_nothing_changes(app, staff, staff_client):
    from kernel.db import db
    from kernel.users import User

    response = staff_client.post("/profile/preferences", data={"timezone": "Mars/Olympus", "theme": "dark"})
    assert response.status_code == 422 and "Choose a time zone from the list." in response.get_data(as_text=True)
    db.session.expire_all()
    assert (db.session.get(User, staff.id).timezone, db.session.get(User, staff.id).theme) == (None, "light")
