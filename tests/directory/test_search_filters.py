"""Service area, service type (with counts), language, opening time and phone number; combined."""

import re

from tests.directory.helpers import names_in, sample_client, search
from tests.statements import statements_sent

MONDAY_TEN = "2026-11-23T10:00"
SATURDAY_NOON = "2026-11-28T12:00"
CHRISTMAS_TEN = "2026-12-25T10:00"


def facets(page: str) -> dict[str, int]:
    return {code: int(count) for code, count in
            re.findall(r'<code>([^<]+)</code></a> <span class="count">(\d+)</span>', page)}


def test_by_service_area(app, tmp_path, staff_client):
    client = sample_client(app, tmp_path, staff_client)
    assert set(names_in(search(client, area="montreal"))) == {"Emergency shelter", "Housing help"}


def test_by_service_type_with_counts(app, tmp_path, staff_client):
    client = sample_client(app, tmp_path, staff_client)
    page = search(client, area="o")  # every area but Laval has an "o"
    assert facets(page) == {"BH-8000": 2, "BH-1800.8500": 1, "BD-1800.2000": 1}
    assert set(names_in(search(client, type="BH-8000"))) == {"Social housing", "Housing help"}
    assert set(names_in(search(client, type="BD-1800"))) == {"Food bank", "Community kitchen"}  # sub-codes too


def test_by_language(app, tmp_path, staff_client):
    client = sample_client(app, tmp_path, staff_client)
    assert set(names_in(search(client, language="en"))) == {"Social housing", "Community kitchen"}
    assert set(names_in(search(client, language="French"))) == {"Emergency shelter", "Food bank", "Housing help"}


def test_a_type_and_its_sub_types_are_looked_up_once_per_search(app, tmp_path, staff_client):
    client = sample_client(app, tmp_path, staff_client)
    for criteria in ({"type": "BD-1800"}, {"type": "BD-1800", "q": "food"}, {"type": "BD-1800", "postal_code": "K1P 1J1"},
                     {"type": "BD-1800", "postal_code": "K1P 1J1", "radius": "25", "q": "food"}):
        with statements_sent() as sent:
            assert names_in(search(client, **criteria))
        assert len([one for one in sent if "directory_taxonomy_terms.code =" in one]) == 1, criteria


def test_open_at_a_chosen_time_with_holidays(app, tmp_path, staff_client):
    client = sample_client(app, tmp_path, staff_client)
    assert set(names_in(search(client, open_at=MONDAY_TEN))) == {"Emergency shelter", "Social housing", "Housing help"}
    assert set(names_in(search(client, open_at=SATURDAY_NOON))) == {"Food bank", "Social housing"}
    assert set(names_in(search(client, open_at=CHRISTMAS_TEN))) == {"Emergency shelter", "Social housing"}
    assert "not a valid date and time" in search(client, open_at="tomorrow")


def test_open_now_marks_each_card(app, tmp_path, staff_client):
    client = sample_client(app, tmp_path, staff_client)
    page = search(client, open="now")
    assert page.count("Open now</p>") == len(names_in(page))


def test_by_phone_number_whatever_its_formatting(app, tmp_path, staff_client):
    client = sample_client(app, tmp_path, staff_client)
    for written in ("5145550404", "(514) 555-0404", "+1 514 555 0404", "514.555.0404"):
        assert names_in(search(client, phone=written)) == ["Housing help"], written
    assert names_in(search(client, phone="613-555-0303")) == ["Social housing"]


def test_criteria_combine(app, tmp_path, staff_client):
    client = sample_client(app, tmp_path, staff_client)
    page = search(client, q="logement", postal_code="H2X 1Y4", radius=50, language="fr", open_at=MONDAY_TEN,
                  type="BH-8000", area="Montréal")
    assert names_in(page) == ["Housing help"]
    assert names_in(search(client, q="logement", language="en", open_at=SATURDAY_NOON)) == ["Social housing"]


def test_the_card_shows_agency_address_phone_hours_and_refer(app, tmp_path, staff_client):
    client = sample_client(app, tmp_path, staff_client)
    page = search(client, phone="5145550404")
    for expected in ("Community Help Network", "4 rue Principale", "514 555 0404", "Mon–Fri, 9 am–5 pm",
                     "Find a home.", "?refer=1"):
        assert expected in page, expected
    detail_url = re.search(r'href="(/resources/\d+/full\?refer=1)"', page).group(1)
    detail = client.get(detail_url).get_data(as_text=True)
    assert "Referral to this resource" in detail and "Closed for Christmas" in detail and "Montréal" in detail
