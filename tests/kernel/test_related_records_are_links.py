"""Related records are links: the client on a case file, the partner on a contact, the client of a
service obtained ("related to"), on detail pages, in lists and in the linked-record panels; a
record the user may not open stays plain text."""

import re
from datetime import date

import pytest

from kernel import records
from kernel.db import db
from kernel.registry import entities


@pytest.fixture
def linked(staff):
    client = records.create(entities().get("client"), {"first_name": "Aputi", "last_name": "Kilabuk"}, staff)
    partner = records.create(entities().get("partner"), {"name": "Northmart Iqaluit"}, staff)
    contact = records.create(entities().get("contact"), {"last_name": "Mitchell", "first_name": "Philip",
                                                         "partner_id": partner.id}, staff)
    service = records.create(entities().get("service"), {"name_fr": "Rédaction de CV", "name_en": "CV writing"},
                             staff)
    obtained = records.create(entities().get("service_record"), {
        "activity_number": "ACT-1", "related_to": f"client:{client.id}", "service_id": service.id,
        "start_date": date(2026, 1, 6)}, staff)
    db.session.commit()
    return {"client": client, "partner": partner, "contact": contact, "service": service, "obtained": obtained}


def links(html: str) -> set[tuple[str, str]]:
    return {(href, re.sub(r"\s+", " ", text).strip()) for href, text in re.findall(r'<a href="([^"?#]+)">([^<]+)</a>', html)}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_detail_pages_link_the_records_they_point_at(make_user, login_as, linked, language):
    browser = login_as(make_user("staff", email=f"links-{language}@example.org", language=language))
    contact_page = browser.get(f"/contacts/{linked['contact'].id}").get_data(as_text=True)
    assert (f"/partners/{linked['partner'].id}", "Northmart Iqaluit") in links(contact_page)
    obtained_page = browser.get(f"/service-records/{linked['obtained'].id}").get_data(as_text=True)
    assert (f"/clients/{linked['client'].id}", "Client — Aputi Kilabuk") in links(obtained_page)
    assert f"/services/{linked['service'].id}" in {href for href, _text in links(obtained_page)}


def test_lists_link_them_too(staff_client, linked):
    contacts = staff_client.get("/contacts/?cols=last_name,partner_id").get_data(as_text=True)
    assert (f"/partners/{linked['partner'].id}", "Northmart Iqaluit") in links(contacts)
    obtained = staff_client.get("/service-records/?cols=activity_number,related_to").get_data(as_text=True)
    assert (f"/clients/{linked['client'].id}", "Client — Aputi Kilabuk") in links(obtained)


def test_a_record_the_user_may_not_open_is_not_a_link(staff, readonly, login_as, linked, monkeypatch):
    from kernel.entities import Entity

    can = Entity.can
    monkeypatch.setattr(Entity, "can", lambda self, user, action: self.name != "partner" and can(self, user, action))
    page = login_as(staff).get(f"/contacts/{linked['contact'].id}").get_data(as_text=True)
    assert "Northmart Iqaluit" in page
    assert f"/partners/{linked['partner'].id}" not in page
