"""Distances in Nunavut (issue 16 §3): the bundled table has one point per forward sortation area,
and X0A's is in outer Nunavut. A full postal code used by the directory's located places, an
administrator's table of postal codes or communities, the bundled Nunavut communities and the
caller's community place the caller; a distance from an area's point says it is approximate."""

import io
import re

from sqlalchemy import insert

from kernel.db import db
from plugins.directory import index
from plugins.directory.models import Agency, Resource, Site, service_at_location
from tests.directory.helpers import names_in, search

IQALUIT = (63.7467, -68.5170)
RANKIN_INLET = (62.8084, -92.0853)


def place_resource(name, postal_code, point, city):
    agency = Agency(name=f"{name} society")
    db.session.add(agency)
    db.session.flush()
    resource = Resource(name=name, organization_id=agency.id)
    site = Site(name=name, postal_code=postal_code, city=city, latitude=point[0], longitude=point[1])
    db.session.add_all([resource, site])
    db.session.flush()
    db.session.execute(insert(service_at_location).values(service_id=resource.id, location_id=site.id))
    index.rebuild([resource.id])
    db.session.commit()
    return resource


def distance_texts(page):
    return re.findall(r'<span class="distance[^"]*">([^<]+)</span>', page)


def test_a_postal_code_of_the_directory_places_the_caller_precisely(app, staff_client):
    place_resource("Iqaluit food bank", "X0A 0H0", IQALUIT, "Iqaluit")
    place_resource("Rankin Inlet shelter", "X0C 0G0", RANKIN_INLET, "Rankin Inlet")
    page = search(staff_client, postal_code="X0A 0H0", radius=25)
    assert names_in(page) == ["Iqaluit food bank"]
    assert distance_texts(page) == ["0.0 km"]
    assert "approximate" not in page


def test_only_an_area_known_says_the_distance_is_approximate(app, staff_client):
    place_resource("Iqaluit food bank", "X0A 0H0", IQALUIT, "Iqaluit")
    page = search(staff_client, postal_code="X0A 9Z9")  # in no table but its area's
    assert names_in(page) == ["Iqaluit food bank"]
    assert distance_texts(page)[0].startswith("about ")
    assert "distance approximate" in page
    response = staff_client.get("/resources/search", query_string={"postal_code": "X0A 9Z9"},
                                headers={"Accept-Language": "fr"})
    assert response.status_code == 200


def test_a_community_name_places_the_caller(app, staff_client):
    place_resource("Iqaluit food bank", "X0A 0H0", IQALUIT, "Iqaluit")
    place_resource("Rankin Inlet shelter", "X0C 0G0", RANKIN_INLET, "Rankin Inlet")
    assert names_in(search(staff_client, postal_code="rankin inlet", radius=25)) == ["Rankin Inlet shelter"]
    assert names_in(search(staff_client, postal_code="Pangnirtung", radius=400)) == ["Iqaluit food bank"]
    assert "Unknown postal code or community: Nowhere" in search(staff_client, postal_code="Nowhere")


def test_an_administrators_table_places_postal_codes_and_communities(app, admin_client):
    place_resource("Iqaluit food bank", "X0A 0H0", IQALUIT, "Iqaluit")
    content = b"postal_code,community,latitude,longitude\nX0A 1H0,,63.75,-68.52\n,Apex,63.7306,-68.4531\n"
    response = admin_client.post("/admin/directory/postal-codes",
                                 data={"file": (io.BytesIO(content), "places.csv")},
                                 content_type="multipart/form-data")
    assert response.status_code == 302
    assert "1 community loaded" in admin_client.get("/admin/directory/postal-codes").get_data(as_text=True)
    for place in ("X0A 1H0", "apex"):
        page = search(admin_client, postal_code=place, radius=25)
        assert names_in(page) == ["Iqaluit food bank"]
        assert "approximate" not in page


def test_the_api_says_when_a_distance_is_approximate(app, staff, token_for):
    place_resource("Iqaluit food bank", "X0A 0H0", IQALUIT, "Iqaluit")
    client, headers = app.test_client(), token_for(staff)
    precise = client.get("/api/v1/directory/search?postal_code=X0A0H0", headers=headers).get_json()
    rough = client.get("/api/v1/directory/search?postal_code=X0A9Z9", headers=headers).get_json()
    assert precise["results"][0]["distance_is_approximate"] is False
    assert rough["results"][0]["distance_is_approximate"] is True
