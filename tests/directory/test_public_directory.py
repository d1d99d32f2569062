"""The public directory (issue 20): no login, only what is marked public, in French and English,
404 when it is off or for a record that is not public."""

import re

import pytest
from sqlalchemy import update

from kernel.db import db
from plugins.directory.models import Agency, Resource
from tests.directory.package import FOOD, HOUSING_HELP, SHELTER, SOCIAL_HOUSING, load_sample, service_id_of
from tests.directory.public_helpers import load_public_sample

SEARCH = "/directory/public/"


def names_in(page: str) -> list[str]:
    return re.findall(r'<h3 id="resource-\d+"><a href="[^"]+">([^<]+)</a></h3>', page)


@pytest.fixture
def public(app, tmp_path):
    app.config["DIRECTORY_PUBLIC"] = True
    return load_public_sample(app, tmp_path)


def get(client, path=SEARCH, status=200, **args):
    response = client.get(path, query_string=args)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def test_it_answers_404_when_it_is_off(app, tmp_path):
    load_sample(app, tmp_path)
    client = app.test_client()
    assert client.get(SEARCH).status_code == 404
    assert client.get(f"/directory/public/resources/{service_id_of(SHELTER)}").status_code == 404


def test_a_visitor_without_an_account_finds_public_services_only(app, public):
    client = app.test_client()
    page = get(client, q="housing", lang="en")
    assert names_in(page) == ["Social housing"]  # "Housing help" is not public
    assert 'class="sidebar"' not in page and "Log out" not in page
    assert sorted(names_in(get(client, q="", type="BH-8000", lang="en"))) == ["Social housing"]


def test_a_non_public_record_by_its_address_is_404(app, public):
    client = app.test_client()
    assert client.get(f"/directory/public/resources/{service_id_of(HOUSING_HELP)}").status_code == 404
    assert client.get("/directory/public/resources/999999").status_code == 404
    get(client, f"/directory/public/resources/{public[SHELTER]}")


def test_a_public_service_of_an_agency_not_public_is_never_shown(app, public):
    db.session.execute(update(Agency).values(public=False))
    db.session.commit()
    client = app.test_client()
    assert names_in(get(client, q="shelter", lang="en")) == []
    assert client.get(f"/directory/public/resources/{public[SHELTER]}").status_code == 404


def test_only_public_locations_are_shown(app, public):
    client = app.test_client()
    food = get(client, q="food bank", lang="en")
    assert names_in(food) == ["Food bank"]
    assert "2 rue Principale" not in food  # its location is not public
    assert "Laval" not in get(client, f"/directory/public/resources/{public[FOOD]}", lang="en")
    near_laval = get(client, near="H7N 1A1", lang="en")
    assert "Food bank" not in names_in(near_laval)  # no public place to be near to
    assert names_in(near_laval)[0] == "Emergency shelter"


def test_the_resource_page_has_call_directions_map_and_print(app, public):
    page = get(app.test_client(), f"/directory/public/resources/{public[SHELTER]}", lang="en")
    assert 'href="tel:5145550101"' in page
    assert "https://www.openstreetmap.org/directions?to=45.51500%2C-73.57400" in page
    assert "https://www.openstreetmap.org/?mlat=45.51500&amp;mlon=-73.57400" in page
    assert "data-print" in page and "<script>" not in page
    assert "Mon–Fri, 9 am–5 pm" in page
    assert "1 rue Principale" in page


def test_the_result_card_shows_the_phone_as_a_link_and_the_distance(app, public):
    page = get(app.test_client(), q="shelter", near="H2X 1Y4", lang="en")
    assert '<a href="tel:5145550101">(514) 555-0101</a>' in page or 'href="tel:5145550101"' in page
    assert re.search(r'class="distance">[^<]*km', page)
    assert "Open now" in page or "Closed now" in page


def test_the_language_switch(app, public):
    client = app.test_client()
    french = get(client, q="shelter", lang="fr")
    assert "Hébergement d'urgence" in french or "Hébergement d&#39;urgence" in french
    assert '<html lang="fr"' in french
    english = get(client, q="shelter", lang="en")
    assert names_in(english) == ["Emergency shelter"] and '<html lang="en"' in english
    assert 'hreflang="fr"' in english and "lang=fr" in english
    by_header = client.get(SEARCH, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="en"' in by_header


def test_the_language_switch_leaves_staff_pages_alone(app, public, staff_client):
    page = staff_client.get("/resources/search", query_string={"lang": "fr"}).get_data(as_text=True)
    assert '<html lang="en"' in page  # the staff member's own language


def test_bad_input_is_a_translated_400(app, public):
    client = app.test_client()
    assert "The page must be a whole number." in get(client, status=400, page="x", lang="en")
    assert "La page doit être un nombre entier." in get(client, status=400, page="x", lang="fr")
    get(client, status=400, page="9999", lang="en")
    get(client, status=400, type="<script>", lang="en")
    get(client, status=400, open="later", lang="en")


def test_the_page_escapes_what_is_typed(app, public):
    page = get(app.test_client(), q="<b>shelter</b>", lang="en")
    assert "<b>shelter</b>" not in page and "&lt;b&gt;shelter&lt;/b&gt;" in page


def test_internal_fields_are_never_shown(app, public):
    db.session.execute(update(Resource).values(alert="INTERNAL ALERT", wait_time="INTERNAL WAIT",
                                               email="intake@example.org"))
    db.session.commit()
    page = get(app.test_client(), f"/directory/public/resources/{public[SOCIAL_HOUSING]}", lang="en")
    assert "INTERNAL" not in page and "intake@example.org" not in page
