"""The SAE module's default dates are the organisation's: closing a file at 20:00 in Iqaluit on
31 December proposes the 31st, and a file numbered then takes that year."""

from kernel.registry import entities
from plugins.sae.numbering import next_file_number


def test_the_closing_form_proposes_the_local_date(counsellor, case_file, login_as, freeze_clock):
    freeze_clock("2026-12-03 20:00", "America/Iqaluit")
    page = login_as(counsellor).get(f"/sae/case-files/{case_file.id}/close").get_data(as_text=True)
    assert 'value="2026-12-03"' in page


def test_a_number_given_on_new_years_eve_takes_the_local_year(app, freeze_clock):
    freeze_clock("2026-12-31 20:00", "America/Iqaluit")
    assert "2026" in next_file_number(entities().get("case_file"), "file_number")
