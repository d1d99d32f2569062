"""The resource form edits, in one screen and one save, the resource and its rows: phones, weekly
hours and closures, service areas, service types (picked from the taxonomy), languages and a
location chosen or created (issue 16 §3); the history says what changed; a resource's rows not in
the form stay."""

import re

from sqlalchemy import func, select

from kernel.db import db
from kernel.history import RecordChange
from plugins.directory.models import (
    Agency,
    Resource,
    Site,
    languages,
    opening_hours,
    phones,
    schedules,
    service_areas,
    service_at_location,
    service_taxonomy,
)
from tests.contactcenter.helpers import make_resource, make_term


def full_form(agency_id: int, food_id: int, **extra) -> dict:
    return {
        "name": "Community pantry", "organization_id": str(agency_id),
        "form_section": ["phones", "hours", "areas", "service_types", "languages", "locations"],
        "phone-0-number": "867 979 1234", "phone-0-type": "voice", "phone-0-description": "Front desk",
        "phone-1-number": "", "phone-1-type": "",
        "hours-0-days": ["MO", "TU", "WE", "TH", "FR"], "hours-0-opens": "11:00", "hours-0-closes": "13:00",
        "hours-1-days": ["SA"], "hours-1-opens": "09:30", "hours-1-closes": "12:00",
        "closure-0-from": "2031-12-24", "closure-0-to": "2031-12-26", "closure-0-description": "Holidays",
        "areas": "Iqaluit\nApex\n\niqaluit",
        "service_types": [str(food_id)], "languages": ["iu", "fr"],
        "location-new-name": "Pantry hall", "location-new-address_1": "1 Queen St",
        "location-new-postal_code": "X0A 0H0", "location-new-city": "Iqaluit",
        "location-new-latitude": "63.7467", "location-new-longitude": "-68.517",
        **extra,
    }


def rows(table, service_id):
    return [dict(row._mapping) for row in db.session.execute(
        select(table).where(table.c.service_id == service_id).order_by(table.c.id))]


def agency() -> Agency:
    found = Agency(name="Community Help Network")
    db.session.add(found)
    db.session.commit()
    return found


def test_staff_create_a_resource_with_every_part_in_one_save(app, staff_client):
    food = make_term("BD-1800", "Food", "Alimentation")
    form = staff_client.get("/resources/new").get_data(as_text=True)
    for title in ("Phones", "Opening hours", "Service area", "Service types", "Languages", "Locations"):
        assert f">{title}</h2>" in form
    assert re.search(rf'<option value="{food.id}">\s*Food</option>', form.replace("\xa0", "")), "the taxonomy picker"
    response = staff_client.post("/resources/new", data=full_form(agency().id, food.id))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    resource = db.session.scalar(select(Resource).where(Resource.name == "Community pantry"))
    assert [(row["number"], row["type"], row["description"]) for row in rows(phones, resource.id)] == [
        ("(867) 979-1234", "voice", "Front desk")]
    assert [(row["byday"], row["opens_at"], row["closes_at"], row["valid_from"], row["valid_to"])
            for row in rows(schedules, resource.id)] == [
        ("MO,TU,WE,TH,FR", "11:00:00", "13:00:00", None, None), ("SA", "09:30:00", "12:00:00", None, None),
        (None, None, None, __import__("datetime").date(2031, 12, 24), __import__("datetime").date(2031, 12, 26))]
    assert len(rows(opening_hours, resource.id)) == 6  # the "open at" filter's rows, one per day
    assert [row["name"] for row in rows(service_areas, resource.id)] == ["Iqaluit", "Apex"]
    assert [row["term_id"] for row in rows(service_taxonomy, resource.id)] == [food.id]
    assert [(row["code"], row["name"]) for row in rows(languages, resource.id)] == [("iu", "Inuktitut"), ("fr", "French")]
    site_id = rows(service_at_location, resource.id)[0]["location_id"]
    site = db.session.get(Site, site_id)
    assert (site.name, site.address_1, site.postal_code, site.city, site.latitude, site.longitude) == (
        "Pantry hall", "1 Queen St", "X0A 0H0", "Iqaluit", 63.7467, -68.517)
    assert site.organization_id == resource.organization_id


def test_staff_edit_every_part_and_rows_left_alone_stay(app, staff_client):
    food, housing = make_term("BD-1800", "Food", "Alimentation"), make_term("BH", "Housing", "Logement")
    resource = make_resource("Community pantry", food)
    first = staff_client.post("/resources/new", data=full_form(resource.organization_id, food.id, name="Other"))
    assert first.status_code == 302
    old_site = db.session.scalar(select(Site).where(Site.name == "Pantry hall"))
    response = staff_client.post(f"/resources/{resource.id}/edit", data=full_form(
        resource.organization_id, housing.id, version=str(resource.version), **{
            "location-new-name": "", "location-new-address_1": "", "location-new-postal_code": "",
            "location-new-city": "", "location-new-latitude": "", "location-new-longitude": "",
            "location-add": str(old_site.id)}))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    phone = rows(phones, resource.id)[0]
    edit = staff_client.get(f"/resources/{resource.id}/edit").get_data(as_text=True)
    assert 'value="(867) 979-1234"' in edit and 'value="11:00"' in edit and "Iqaluit\nApex</textarea>" in edit
    assert f'<option value="{housing.id}" selected>' in edit and '<option value="iu" selected>' in edit
    assert "Pantry hall" in edit
    version = db.session.get(Resource, resource.id).version
    response = staff_client.post(f"/resources/{resource.id}/edit", data={
        "name": "Community pantry", "organization_id": str(resource.organization_id), "version": str(version),
        "form_section": ["phones", "hours", "areas", "service_types", "languages", "locations"],
        "phone-0-id": str(phone["id"]), "phone-0-number": "867 979 1234", "phone-0-type": "voice",
        "phone-0-description": "Front desk", "phone-0-remove": "1",
        "phone-1-number": "+33 1 23 45 67 89", "phone-1-type": "fax",
        "hours-0-days": ["SU"], "hours-0-opens": "10:00", "hours-0-closes": "14:00",
        "areas": "Pangnirtung", "service_types": [str(food.id), str(housing.id)], "languages": ["en"],
        "location-remove": str(old_site.id),
    })
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert [(row["number"], row["type"]) for row in rows(phones, resource.id)] == [("+33 1 23 45 67 89", "fax")]
    assert [(row["byday"], row["opens_at"]) for row in rows(schedules, resource.id)] == [("SU", "10:00:00")]
    assert [row["name"] for row in rows(service_areas, resource.id)] == ["Pangnirtung"]
    assert sorted(row["term_id"] for row in rows(service_taxonomy, resource.id)) == sorted([food.id, housing.id])
    assert [row["code"] for row in rows(languages, resource.id)] == ["en"]
    assert rows(service_at_location, resource.id) == []
    assert db.session.get(Resource, resource.id).version == version + 1
    history = {change.field: change.new_value for change in db.session.scalars(
        select(RecordChange).where(RecordChange.entity == "resource", RecordChange.record_id == resource.id,
                                   RecordChange.action == "updated").order_by(RecordChange.id))}
    assert history["phones"] == "+33 1 23 45 67 89 (fax)"
    assert history["hours"] == "Sun, 10 am–2 pm"
    assert history["languages"] == "English"
    page = staff_client.get(f"/resources/{resource.id}").get_data(as_text=True)
    assert "<td>Phones</td>" in page and "<td>Opening hours</td>" in page  # the history names the sections


def test_unchanged_rows_keep_their_identity_and_imported_rules_stay(app, staff_client):
    food = make_term("BD-1800", "Food", "Alimentation")
    resource = make_resource("Pantry", food)
    db.session.execute(phones.insert().values(service_id=resource.id, hsds_id="phone-1", number="867-979-1234",
                                              digits="9791234", type="voice"))
    db.session.execute(schedules.insert(), [
        {"service_id": resource.id, "hsds_id": "weekly-1", "freq": "WEEKLY", "byday": "MO", "opens_at": "09:00:00",
         "closes_at": "12:00:00", "bymonthday": None, "description": None},
        {"service_id": resource.id, "hsds_id": "monthly-1", "freq": "MONTHLY", "byday": None, "bymonthday": "1",
         "opens_at": "09:00:00", "closes_at": "12:00:00", "description": "First of the month"}])
    db.session.commit()
    form = staff_client.get(f"/resources/{resource.id}/edit").get_data(as_text=True)
    assert "Other schedules (kept as imported)" in form
    phone_id = rows(phones, resource.id)[0]["id"]
    weekly_id = rows(schedules, resource.id)[0]["id"]
    response = staff_client.post(f"/resources/{resource.id}/edit", data={
        "name": "Pantry", "organization_id": str(resource.organization_id), "version": str(resource.version),
        "form_section": ["phones", "hours"],
        "phone-0-id": str(phone_id), "phone-0-number": "(867) 979-1234", "phone-0-type": "voice",
        "hours-0-id": str(weekly_id), "hours-0-days": ["MO"], "hours-0-opens": "09:00", "hours-0-closes": "12:00",
        "hours-1-days": ["TU"], "hours-1-opens": "09:00", "hours-1-closes": "12:00"})
    assert response.status_code == 302
    assert [row["hsds_id"] for row in rows(phones, resource.id)] == ["phone-1"]
    assert sorted(str(row["hsds_id"]) for row in rows(schedules, resource.id)) == ["None", "monthly-1", "weekly-1"]
    assert [row["term_id"] for row in rows(service_taxonomy, resource.id)] == [food.id]  # section not in the form


def test_a_change_of_rows_only_is_refused_to_a_stale_form(app, staff_client):
    resource = make_resource("Pantry", None)
    version = resource.version
    data = {"name": "Pantry", "organization_id": str(resource.organization_id), "version": str(version),
            "form_section": "phones", "phone-0-number": "867-979-1234"}
    assert staff_client.post(f"/resources/{resource.id}/edit", data=data).status_code == 302
    data["phone-0-number"] = "867-979-5555"
    response = staff_client.post(f"/resources/{resource.id}/edit", data=data)
    assert response.status_code == 409
    assert 'value="(867) 979-5555"' in response.get_data(as_text=True)  # what they typed is still there
    assert [row["number"] for row in rows(phones, resource.id)] == ["(867) 979-1234"]
    assert db.session.scalar(select(func.count()).select_from(phones)) == 1
