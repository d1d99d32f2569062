"""The Resources tab searches near the caller: by the postal code, or by the caller's community when
the code is unknown or only places its large northern area (issue 16 §3)."""

import re

from tests.contactcenter.helpers import make_contact, make_line, make_profile
from tests.directory.test_northern_distances import IQALUIT, place_resource


def prefilled_place(client, contact) -> str:
    page = client.get(f"/contactcenter/contacts/{contact.id}").get_data(as_text=True)
    return re.search(r'<input name="postal_code" value="([^"]*)"', page).group(1)


def test_the_community_replaces_a_postal_code_known_only_by_its_area(app, staff, staff_client):
    line = make_line()
    area_only = make_profile(staff, postal_code="X0A 9Z9", community="Iqaluit")
    assert prefilled_place(staff_client, make_contact(staff, line=line, profile=area_only)) == "Iqaluit"
    no_code = make_profile(staff, name="Aputi Kilabuk", phone="867-979-5555", community="Pangnirtung")
    assert prefilled_place(staff_client, make_contact(staff, line=line, profile=no_code)) == "Pangnirtung"


def test_a_precise_postal_code_or_an_unknown_community_keeps_the_code(app, staff, staff_client):
    line = make_line()
    unknown_community = make_profile(staff, postal_code="H2X 1Y4", community="Nowhere")
    assert prefilled_place(staff_client, make_contact(staff, line=line, profile=unknown_community)) == "H2X 1Y4"
    precise = make_profile(staff, name="Aputi Kilabuk", phone="867-979-5555", postal_code="X0A 0H0",
                           community="Pangnirtung")
    place_resource("Iqaluit food bank", "X0A 0H0", IQALUIT, "Iqaluit")
    assert prefilled_place(staff_client, make_contact(staff, line=line, profile=precise)) == "X0A 0H0"
