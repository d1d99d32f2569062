"""``passerelle tokens create --expires-in-days`` beyond the calendar is refused with a message,
not a traceback (the date it gave overflowed)."""

from kernel.cli import main


def test_an_expiry_past_the_calendar_is_refused(app, staff):
    result = app.test_cli_runner().invoke(main, ["tokens", "create", "--email", staff.email,
                                                 "--expires-in-days", "99999999999"])
    assert result.exit_code == 2
    assert "--expires-in-days" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
