"""Caller-profile search forgives small typos in one name alone ("Kilabuc", "Aputy") or in both,
and matches part of an e-mail address (issue 16 §3)."""

import re

from tests.contactcenter.helpers import make_contact, make_profile


def found(client, contact, q) -> list[str]:
    response = client.get(f"/contactcenter/contacts/{contact.id}/profiles", query_string={"q": q},
                          headers={"HX-Request": "true"})
    assert response.status_code == 200
    return re.findall(r'<button type="submit" class="button">([^<]+)</button>', response.get_data(as_text=True))


def test_typos_and_partial_e_mails_find_the_caller(app, staff, staff_client):
    make_profile(staff, "Aputi Kilabuk", "867-979-5555", email="aputi.kilabuk@example.org")
    make_profile(staff, "Émile Noël", "867-979-1234", email="emile@example.org")
    make_profile(staff, "Kilabuk Family Pantry", "867-979-7777")  # not a person, still a name with Kilabuk
    contact = make_contact(staff, caller="867-222-0000")
    for q in ("Kilabuc", "Aputy", "aputy kilabuc", "Kilabak", "apUti"):
        assert "Aputi Kilabuk" in found(staff_client, contact, q), q
    assert "Émile Noël" not in found(staff_client, contact, "Kilabuc")
    for q in ("aputi.kilabuk@", "kilabuk@example", "@example.org"):
        assert "Aputi Kilabuk" in found(staff_client, contact, q), q
    assert found(staff_client, contact, "emile@") == ["Émile Noël"]
    assert found(staff_client, contact, "Zzyzx") == []
