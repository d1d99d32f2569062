"""A bad value in the resource form's rows (phone, time, latitude…) is refused with a translated
message next to the input, everything the user typed is shown again and nothing is saved; hostile
values get a 422, never a 500; a reader cannot open or post the form (issue 16 §3)."""

import re

from sqlalchemy import func, select

from kernel.db import db
from plugins.directory.models import Resource, Site, phones, schedules
from tests.contactcenter.helpers import make_resource, make_term
from tests.directory.test_resource_form_edit import agency, full_form

BAD = {"phone-0-number": "12", "hours-0-opens": "25:00", "hours-1-closes": "08:00",
       "location-new-latitude": "95", "location-new-longitude": "abc", "closure-0-to": "2031-12-01"}


def error_of(page: str, name: str) -> str:
    match = re.search(rf'<p class="error" id="{name}-error">([^<]*)</p>', page)
    return match.group(1) if match else ""


def test_bad_values_are_refused_with_messages_and_kept(app, staff_client):
    food = make_term("BD-1800", "Food", "Alimentation")
    response = staff_client.post("/resources/new", data=full_form(agency().id, food.id, **BAD))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert error_of(page, "phone-0-number") == "Enter a valid phone number, such as 867-979-1234."
    assert error_of(page, "hours-0-opens") == "Enter a time such as 09:00."
    assert error_of(page, "hours-1-closes") == "The closing time comes after the opening time."
    assert error_of(page, "closure-0-to") == "The last day cannot be before the first."
    assert error_of(page, "location-new-latitude") == "Enter a number between -90 and 90."
    assert error_of(page, "location-new-longitude") == "Enter a number between -180 and 180."
    for typed in ('value="12"', 'value="25:00"', 'value="95"', 'value="abc"', 'value="Front desk"',
                  "Iqaluit\nApex\n\niqaluit</textarea>", f'<option value="{food.id}" selected>'):
        assert typed in page, typed
    assert 'value="SA" checked' in page
    assert db.session.scalar(select(func.count()).select_from(Resource)) == 0
    assert db.session.scalar(select(func.count()).select_from(Site)) == 0


def test_the_messages_are_in_french_for_a_french_user(app, make_user, login_as):
    client = login_as(make_user("staff", language="fr"))
    food = make_term("BD-1800", "Food", "Alimentation")
    page = client.post("/resources/new", data=full_form(agency().id, food.id, **BAD)).get_data(as_text=True)
    assert error_of(page, "hours-0-opens") == "Saisissez une heure comme 09:00."
    assert error_of(page, "location-new-latitude") == "Saisissez un nombre entre -90 et 90."
    assert error_of(page, "phone-0-number").startswith("Saisissez un numéro de téléphone valide")
    assert ">Téléphones</h2>" in page


def test_errors_of_the_record_and_of_its_rows_show_together(app, staff_client):
    resource = make_resource("Pantry", None)
    response = staff_client.post(f"/resources/{resource.id}/edit", data={
        "name": "", "organization_id": str(resource.organization_id), "version": str(resource.version),
        "form_section": "phones", "phone-0-number": "not a phone"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert error_of(page, "phone-0-number") and 'id="field-name-error"' in page
    assert db.session.scalar(select(func.count()).select_from(phones)) == 0


def test_hostile_values_get_a_422_and_change_nothing(app, staff_client):
    resource = make_resource("Pantry", None)
    base = {"name": "Pantry", "organization_id": str(resource.organization_id), "version": str(resource.version),
            "form_section": ["phones", "hours", "areas", "service_types", "languages", "locations"]}
    for hostile in ({"phone-0-number": "867-979-1234", "phone-0-description": "a\x00b"},
                    {"phone-0-number": "867-979-1234", "phone-0-type": "pigeon"},
                    {"hours-0-days": ["XX"], "hours-0-opens": "09:00", "hours-0-closes": "10:00"},
                    {"hours-0-days": ["MO"], "hours-0-opens": "9h", "hours-0-closes": "10:00"},
                    {"closure-0-from": "tomorrow"},
                    {"areas": "x" * 300}, {"service_types": ["99999", "x"]}, {"service_types": ["9" * 30]},
                    {"languages": ["klingon"]}, {"location-add": "424242"}, {"location-add": "9" * 40},
                    {"location-new-city": "Iqaluit", "location-new-latitude": "nan", "location-new-longitude": "inf"},
                    {"location-new-city": "Iqaluit", "location-new-latitude": "63"}):
        response = staff_client.post(f"/resources/{resource.id}/edit", data={**base, **hostile})
        assert response.status_code == 422, hostile
    assert db.session.scalar(select(func.count()).select_from(schedules)) == 0
    assert db.session.get(Resource, resource.id).version == resource.version


def test_rows_beyond_the_limit_are_ignored(app, staff_client):
    resource = make_resource("Pantry", None)
    response = staff_client.post(f"/resources/{resource.id}/edit", data={
        "name": "Pantry", "organization_id": str(resource.organization_id), "version": str(resource.version),
        "form_section": "phones", "phone-0-number": "867-979-1234", "phone-999-number": "867-979-5555"})
    assert response.status_code == 302
    assert db.session.scalars(select(phones.c.number)).all() == ["(867) 979-1234"]


def test_a_reader_cannot_open_or_post_the_resource_form(app, readonly, login_as):
    resource = make_resource("Pantry", None)
    client = login_as(readonly)
    assert client.get("/resources/new").status_code == 403
    assert client.get(f"/resources/{resource.id}/edit").status_code == 403
    response = client.post(f"/resources/{resource.id}/edit", data={
        "name": "Pantry", "organization_id": str(resource.organization_id), "version": str(resource.version),
        "form_section": "phones", "phone-0-number": "867-979-1234"})
    assert response.status_code == 403
    assert client.post("/resources/new", data={"name": "X", "form_section": "phones"}).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(phones)) == 0
