"""The "related to" picker tells records of one name apart: a contact shows its partner (and
city), a client its city and date of birth, in the user's language; without any hint the title
stays alone."""

import pytest

from kernel import records
from kernel.db import db
from kernel.registry import entities


@pytest.fixture
def namesakes(staff):
    for partner_name in ("Northmart Iqaluit", "Arctic Co-op", "Qikiqtani Hospital"):
        partner = records.create(entities().get("partner"), {"name": partner_name}, staff)
        records.create(entities().get("contact"), {"first_name": "Philip", "last_name": "Mitchell",
                                                   "partner_id": partner.id}, staff)
    records.create(entities().get("contact"), {"first_name": "Philip", "last_name": "Mitchell"}, staff)
    records.create(entities().get("client"), {"first_name": "Aputi", "last_name": "Kilabuk", "city": "Iqaluit",
                                              "date_of_birth": "1985-03-12"}, staff)
    records.create(entities().get("client"), {"first_name": "Aputi", "last_name": "Kilabuk", "city": "Pangnirtung"},
                   staff)
    db.session.commit()


def titles(browser, query):
    return sorted(item["title"] for item in browser.get(f"/related-lookup?q={query}").get_json())


def test_namesake_contacts_show_their_partner(staff_client, namesakes):
    assert titles(staff_client, "mitchell") == [
        "Contact — Philip Mitchell",
        "Contact — Philip Mitchell (Arctic Co-op)",
        "Contact — Philip Mitchell (Northmart Iqaluit)",
        "Contact — Philip Mitchell (Qikiqtani Hospital)",
    ]


@pytest.mark.parametrize("language, born", [("en", "Mar 12, 1985"), ("fr", "12 mars 1985")])
def test_namesake_clients_show_their_city_and_birth_date(make_user, login_as, namesakes, language, born):
    browser = login_as(make_user("staff", email=f"hints-{language}@example.org", language=language))
    assert titles(browser, "kilabuk") == [
        f"Client — Aputi Kilabuk (Iqaluit, {born})",
        "Client — Aputi Kilabuk (Pangnirtung)",
    ]
