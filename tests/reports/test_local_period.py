"""A report's period is counted from the organisation's date: at 20:00 in Iqaluit on 30 November
(1 December in UTC) "this month" is still November."""

from datetime import date

from plugins.reports.engine import ReportSpec


def test_this_month_in_the_evening_of_the_last_day(app, freeze_clock):
    freeze_clock("2026-11-30 20:00", "America/Iqaluit")
    period = ReportSpec(entity="client", period="this_month", period_field="created_at").period_range()
    assert (period.start, period.end) == (date(2026, 11, 1), date(2026, 11, 30))
