"""What the resource form saves is searchable at once: the search finds the resource by its new
service type, language, area, phone and opening hours, and its page tells the hours in words
(issue 16 §3)."""

from kernel.db import db
from plugins.directory.models import Resource
from tests.contactcenter.helpers import make_resource, make_term
from tests.directory.helpers import names_in, search
from tests.directory.test_resource_form_edit import agency, full_form

MONDAY_NOON, MONDAY_EVENING, SATURDAY_TEN = "2031-01-06T12:00", "2031-01-06T18:00", "2031-01-11T10:00"


def test_the_search_finds_a_resource_by_what_the_form_gave_it(app, staff_client):
    food, housing = make_term("BD-1800", "Food", "Alimentation"), make_term("BH", "Housing", "Logement")
    make_resource("Shelter", housing)
    response = staff_client.post("/resources/new", data=full_form(agency().id, food.id))
    assert response.status_code == 302
    assert names_in(search(staff_client, type="BD-1800")) == ["Community pantry"]
    assert names_in(search(staff_client, type="BD-1800", open_at=MONDAY_NOON)) == ["Community pantry"]
    assert names_in(search(staff_client, type="BD-1800", open_at=SATURDAY_TEN)) == ["Community pantry"]
    assert names_in(search(staff_client, type="BD-1800", open_at=MONDAY_EVENING)) == []
    assert names_in(search(staff_client, q="alimentation")) == ["Community pantry"]  # the type's words
    assert names_in(search(staff_client, language="iu")) == ["Community pantry"]
    assert names_in(search(staff_client, area="apex")) == ["Community pantry"]
    assert names_in(search(staff_client, phone="1234")) == ["Community pantry"]
    record_id = response.headers["Location"].rsplit("/", 1)[1]
    detail = staff_client.get(f"/resources/{record_id}/full").get_data(as_text=True)
    assert "Mon–Fri, 11 am–1 pm; Sat, 9:30 am–12 pm" in detail
    assert "(867) 979-1234" in detail and "Food <code>BD-1800</code>" in detail
    assert "<dt>Languages</dt><dd>French, Inuktitut</dd>" in detail
    assert "<dt>Closures</dt><dd>Dec 24, 2031 – Dec 26, 2031 (Holidays)</dd>" in detail


def test_changing_the_type_and_hours_moves_the_resource_in_the_search(app, staff_client, make_user, login_as):
    food, housing = make_term("BD-1800", "Food", "Alimentation"), make_term("BH", "Housing", "Logement")
    resource = make_resource("Pantry", food)
    response = staff_client.post(f"/resources/{resource.id}/edit", data={
        "name": "Pantry", "organization_id": str(resource.organization_id), "version": str(resource.version),
        "form_section": ["hours", "service_types"], "service_types": [str(housing.id)],
        "hours-0-days": ["MO", "TU", "WE", "TH", "FR"], "hours-0-opens": "11:00", "hours-0-closes": "13:00"})
    assert response.status_code == 302
    assert names_in(search(staff_client, type="BD-1800")) == []
    assert names_in(search(staff_client, type="BH", open_at=MONDAY_NOON)) == ["Pantry"]
    assert db.session.get(Resource, resource.id).name == "Pantry"
    french = login_as(make_user("staff", language="fr"))
    detail = french.get(f"/resources/{resource.id}/full").get_data(as_text=True)
    assert "lun. au ven., 11 h à 13 h" in detail and "Logement" in detail
    assert "<dt>Langues</dt>" not in detail  # none given
