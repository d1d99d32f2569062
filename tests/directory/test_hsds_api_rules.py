"""The HSDS API's rules (issue 20): public records only (also by id), off with the public directory,
paging as the HSDS 3 API specification pages, its filters, 400 with a translated message for a
parameter it cannot use, the rate limit, and no query per row."""

from datetime import timedelta

import pytest
from sqlalchemy import event, update

from kernel.db import db
from plugins.directory.hsds_write import stable_id
from plugins.directory.models import Agency, Resource
from tests.directory.hsds_api_helpers import API, get_json, load_api_directory
from tests.directory.package import (
    FOOD,
    HOUSING_HELP,
    ORG,
    SHELTER,
    SOCIAL_HOUSING,
    TERM_FOOD,
    TERM_HOUSING,
    uid,
)

PUBLIC_SERVICES = {"Emergency shelter", "Food bank", "Social housing", "Community meals"}


@pytest.fixture
def directory(app, tmp_path, admin):
    return load_api_directory(app, tmp_path, admin)


def names(page: dict, key: str = "name") -> set[str]:
    return {item[key] for item in page["contents"]}


# -- public only ---------------------------------------------------------------------------------
def test_only_public_services_of_public_agencies_are_listed(app, directory):
    client = app.test_client()
    assert names(get_json(client, "/services")) == PUBLIC_SERVICES
    assert names(get_json(client, "/organizations")) == {"Community Help Network", "Maison Benoît"}


def test_a_record_that_is_not_public_is_not_found_by_its_id_either(app, directory):
    client = app.test_client()
    hidden_service = stable_id("services", directory["hidden"]["service"])
    hidden_agency = stable_id("organizations", directory["hidden"]["agency"])
    for path in (f"/services/{HOUSING_HELP}", f"/services/{hidden_service}", f"/organizations/{hidden_agency}",
                 f"/locations/{uid(4, 2)}", f"/service_at_locations/{uid(6, 2)}", f"/services/{uid(99, 1)}",
                 "/services/not-an-id", "/taxonomy_terms/nothing"):
        answer = get_json(client, path, status=404)
        assert answer["error"]
    assert get_json(client, f"/services/{SHELTER}")["name"] == "Emergency shelter"


def test_only_public_places_are_listed_and_nested(app, directory):
    client = app.test_client()
    places = names(get_json(client, "/locations"))
    assert places == {"Emergency shelter office", "Social housing office", "Maison Benoît, rue Saint-Denis"}
    food = get_json(client, f"/services/{FOOD}")
    assert food["service_at_locations"] == []  # the food bank's place is not public
    links = get_json(client, "/service_at_locations")
    assert {item["service"]["name"] for item in links["contents"]} == {"Emergency shelter", "Social housing",
                                                                        "Community meals"}


def test_a_service_becomes_hidden_when_its_agency_stops_being_public(app, directory):
    db.session.execute(update(Agency).where(Agency.hsds_id == ORG).values(public=False))
    db.session.commit()
    client = app.test_client()
    assert names(get_json(client, "/services")) == {"Community meals"}
    get_json(client, f"/services/{SHELTER}", status=404)
    get_json(client, f"/organizations/{ORG}", status=404)


def test_it_answers_404_when_the_public_directory_is_off(app, directory):
    app.config["DIRECTORY_PUBLIC"] = False
    client = app.test_client()
    for path in ("/", "/services", f"/services/{SHELTER}", "/organizations", "/locations", "/service_at_locations",
                 "/taxonomy_terms"):
        answer = client.get(API + path, query_string={"lang": "fr"})
        assert answer.status_code == 404 and answer.get_json()["error"] == "Ce répertoire n’est pas public."


def test_no_login_is_needed(app, directory):
    assert app.test_client().get(API + "/services", headers={"Authorization": ""}).status_code == 200


# -- paging ----------------------------------------------------------------------------------------
def test_paging_follows_the_hsds_page_object(app, directory):
    client = app.test_client()
    first = get_json(client, "/services", per_page=3)
    assert (first["total_items"], first["total_pages"], first["page_number"], first["size"]) == (4, 2, 1, 3)
    assert first["first_page"] and not first["last_page"] and not first["empty"]
    second = get_json(client, "/services", per_page=3, page=2)
    assert (second["page_number"], second["size"], second["first_page"], second["last_page"]) == (2, 1, False, True)
    assert names(first) | names(second) == PUBLIC_SERVICES
    beyond = get_json(client, "/services", per_page=3, page=5)
    assert beyond["empty"] and beyond["contents"] == [] and beyond["size"] == 0 and beyond["last_page"]


def test_an_empty_result_is_an_empty_page(app, directory):
    page = get_json(app.test_client(), "/services", search="zzzzzz")
    assert (page["total_items"], page["total_pages"], page["empty"], page["contents"]) == (0, 0, True, [])


# -- filters ---------------------------------------------------------------------------------------
def test_the_services_filters(app, directory):
    client = app.test_client()
    assert names(get_json(client, "/services", search="shelter")) == {"Emergency shelter"}
    assert names(get_json(client, "/services", search="repas")) == {"Community meals"}
    assert names(get_json(client, "/services", taxonomy_term_id=TERM_FOOD)) == {"Food bank", "Community meals"}
    assert names(get_json(client, "/services", taxonomy_term_id=TERM_HOUSING)) == {"Social housing"}
    assert names(get_json(client, "/services", taxonomy_id=uid(8, 1))) == PUBLIC_SERVICES
    assert names(get_json(client, "/services", taxonomy_id=uid(8, 2))) == set()
    assert names(get_json(client, "/services", organization_id=ORG)) == {"Emergency shelter", "Food bank",
                                                                          "Social housing"}
    staff_agency = stable_id("organizations", directory["staff"]["agency"])
    assert names(get_json(client, "/services", organization_id=staff_agency)) == {"Community meals"}
    hidden_agency = stable_id("organizations", directory["hidden"]["agency"])
    assert names(get_json(client, "/services", organization_id=hidden_agency)) == set()


def test_modified_after(app, directory):
    client = app.test_client()
    meals = db.session.get(Resource, directory["staff"]["service"])
    later = (meals.updated_at + timedelta(seconds=1)).isoformat() + "Z"
    db.session.execute(update(Resource).where(Resource.id == meals.id).values(
        updated_at=meals.updated_at + timedelta(days=2)))
    db.session.commit()
    assert names(get_json(client, "/services", modified_after=later)) == {"Community meals"}
    assert names(get_json(client, "/services", modified_after="2000-01-01")) == PUBLIC_SERVICES


def test_the_other_lists_filters(app, directory):
    client = app.test_client()
    assert names(get_json(client, "/organizations", search="benoit")) == {"Maison Benoît"}
    assert names(get_json(client, "/locations", organization_id=ORG)) == {"Emergency shelter office",
                                                                          "Social housing office"}
    links = get_json(client, "/service_at_locations", postcode="k1p1j1")
    assert {item["service"]["name"] for item in links["contents"]} == {"Social housing"}
    links = get_json(client, "/service_at_locations", taxonomy_term_id=TERM_FOOD, full="true")
    assert {item["service"]["name"] for item in links["contents"]} == {"Community meals"}
    assert names(get_json(client, "/taxonomy_terms", search="housing")) == {"Housing"}
    assert len(get_json(client, "/taxonomy_terms", top_only="true")["contents"]) == 3
    assert get_json(client, "/taxonomy_terms", parent_id=uid(2, 9))["contents"] == []
    assert len(get_json(client, "/taxonomy_terms", taxonomy_id=uid(8, 1))["contents"]) == 3


def test_a_full_organization_list_nests_and_full_service_nests_services(app, directory):
    client = app.test_client()
    full = {item["name"]: item for item in get_json(client, "/organizations", full="true")["contents"]}
    assert len(full["Community Help Network"]["services"]) == 3
    assert set(full["Community Help Network"]["services"][0]) == {"id"}
    nested = get_json(client, "/organizations", full_service="true")["contents"]
    assert all("name" in service for item in nested for service in item["services"])


# -- bad parameters ------------------------------------------------------------------------------
@pytest.mark.parametrize("args", [
    {"page": "0"}, {"page": "abc"}, {"per_page": "0"}, {"per_page": "1000"}, {"page": "-1"}, {"full": "maybe"},
    {"modified_after": "yesterday"}, {"format": "ndjson"}, {"unknown": "1"}, {"search": "x" * 300},
    {"organization_id": " "}, {"page": "99999999999999"},
])
def test_a_parameter_it_cannot_use_is_a_400_with_a_message(app, directory, args):
    answer = get_json(app.test_client(), "/services", status=400, **args)
    assert answer["error"]


def test_the_message_is_in_the_language_asked(app, directory):
    client = app.test_client()
    english = get_json(client, "/services", status=400, per_page="0", lang="en")["error"]
    french = get_json(client, "/services", status=400, per_page="0", lang="fr")["error"]
    assert "per_page" in english and "per_page" in french and english != french
    assert "entier" in french


def test_an_object_by_id_refuses_parameters_it_does_not_take(app, directory):
    client = app.test_client()
    get_json(client, f"/services/{SHELTER}", status=400, page="2")
    get_json(client, f"/organizations/{ORG}", status=400, full_service="perhaps")


# -- load ----------------------------------------------------------------------------------------
def count_queries(app, path: str, **args) -> int:
    statements = []

    def note(*_args):
        statements.append(1)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        get_json(app.test_client(), path, **args)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return len(statements)


def test_no_query_per_row(app, directory, admin):
    from tests.directory.hsds_api_helpers import add_staff_agency

    before = {path: count_queries(app, path, full="true") for path in ("/services", "/organizations",
                                                                      "/service_at_locations")}
    before["/locations"] = count_queries(app, "/locations")
    for _ in range(3):
        add_staff_agency(admin)
    db.session.commit()
    after = {path: count_queries(app, path, full="true") for path in ("/services", "/organizations",
                                                                     "/service_at_locations")}
    after["/locations"] = count_queries(app, "/locations")
    assert after == before


def test_it_is_rate_limited(make_app, tmp_path, admin):
    app = make_app(DIRECTORY_PUBLIC=True, DIRECTORY_PUBLIC_RATE_LIMIT="3 per minute", RATELIMIT_ENABLED=True)
    client = app.test_client()
    statuses = [client.get(API + "/taxonomy_terms").status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200] and statuses[-1] == 429
    assert client.get(API + "/taxonomy_terms").is_json


def test_the_ids_match_the_exports(app, directory):
    client = app.test_client()
    ids = {item["name"]: item["id"] for item in get_json(client, "/services")["contents"]}
    assert ids["Social housing"] == SOCIAL_HOUSING
    assert ids["Community meals"] == stable_id("services", directory["staff"]["service"])


def test_near_a_postal_code(app, directory):
    client = app.test_client()
    near = get_json(client, "/service_at_locations", postcode="K1P 1J1", proximity="5000")
    assert {item["service"]["name"] for item in near["contents"]} == {"Social housing"}
    far = get_json(client, "/service_at_locations", postcode="K1P 1J1", proximity="300000")
    # the staff's place has no coordinates: it is near nothing
    assert {item["service"]["name"] for item in far["contents"]} == {"Social housing", "Emergency shelter"}
    assert get_json(client, "/service_at_locations", postcode="Z9Z 9Z9", proximity="5000", status=400)["error"]
    assert get_json(client, "/service_at_locations", proximity="5000", status=400)["error"]
    assert get_json(client, "/service_at_locations", postcode="K1P 1J1", proximity="-5", status=400)["error"]


@pytest.mark.parametrize("path", ["/services/" + "a" * 300, "/organizations/a%00b", "/locations/%ED%A0%80",
                                  "/taxonomy_terms/" + "1" * 40])
def test_an_id_the_database_cannot_hold_is_simply_not_found(app, directory, path):
    assert get_json(app.test_client(), path, status=404)["error"]
