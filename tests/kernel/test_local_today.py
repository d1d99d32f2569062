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
