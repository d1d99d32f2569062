"""The HSDS 3 API (issue 20): every endpoint's answer validates against the official schemas, on a
directory with several agencies, services, places and terms, with phones, hours and languages."""

import pytest

from tests.directory.hsds_api_helpers import assert_valid, get_json, load_api_directory

PAGE_FIELDS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}
LISTS = {"/services": "service", "/organizations": "organization", "/locations": "location",
         "/service_at_locations": "service_at_location", "/taxonomy_terms": "taxonomy_term"}


@pytest.fixture
def directory(app, tmp_path, admin):
    return load_api_directory(app, tmp_path, admin)


def test_the_root_says_which_hsds_version_and_where_the_openapi_document_is(app, directory):
    about = get_json(app.test_client(), "/")
    assert about["version"] == "3.0"
    assert about["openapi_url"].endswith("/api/v1/openapi.json")
    assert about["profile"].startswith("https://")


@pytest.mark.parametrize("path,schema", LISTS.items())
def test_every_list_is_an_hsds_page_of_valid_objects(app, directory, path, schema):
    page = get_json(app.test_client(), path)
    assert PAGE_FIELDS <= set(page)
    assert page["contents"] and page["size"] == len(page["contents"]) == page["total_items"]
    for item in page["contents"]:
        assert_valid(item, schema)


@pytest.mark.parametrize("path,schema", [(path, schema) for path, schema in LISTS.items()
                                         if path not in ("/locations", "/taxonomy_terms")])
def test_every_full_list_is_valid_too(app, directory, path, schema):
    for item in get_json(app.test_client(), path, full="true")["contents"]:
        assert_valid(item, schema)


@pytest.mark.parametrize("path,schema", LISTS.items())
def test_every_object_by_id_is_valid_and_fully_nested(app, directory, path, schema):
    client = app.test_client()
    for item in get_json(client, path)["contents"]:
        found = get_json(client, f"{path}/{item['id']}")
        assert found["id"] == item["id"]
        assert_valid(found, schema)
        if schema == "service_at_location":
            assert_valid(found["service"], "service")
            assert_valid(found["location"], "location")


def test_a_full_service_holds_its_phones_hours_languages_places_and_types(app, directory):
    client = app.test_client()
    services = {item["name"]: item for item in get_json(client, "/services")["contents"]}
    meals = get_json(client, f"/services/{services['Community meals']['id']}")
    assert [phone["number"] for phone in meals["phones"]] == ["514 555 0909"]
    assert meals["phones"][0]["extension"] == 12
    assert meals["schedules"][0]["byday"] == "MO,WE,FR" and meals["schedules"][0]["opens_at"] == "11:30"
    assert sorted(language["code"] for language in meals["languages"]) == ["es", "fr"]
    assert meals["organization"]["name"] == "Maison Benoît"
    assert meals["name_fr"] == "Repas communautaires" and meals["minimum_age"] == 16
    place = meals["service_at_locations"][0]["location"]
    assert place["addresses"][0]["postal_code"] == "H2X 3K8"
    assert [phone["number"] for phone in place["phones"]] == ["514 555 0910"]
    assert place["languages"][0]["code"] == "en" and place["accessibility"][0]["description"] == "Rampe d'accès"
    assert meals["attributes"][0]["taxonomy_term"]["name"] == "Food Pantries"
    assert meals["last_modified"].endswith("+00:00")


def test_a_full_organization_holds_its_phones_places_and_services(app, directory):
    client = app.test_client()
    organizations = {item["name"]: item for item in get_json(client, "/organizations")["contents"]}
    maison = get_json(client, f"/organizations/{organizations['Maison Benoît']['id']}")
    assert [phone["number"] for phone in maison["phones"]] == ["514 555 0911"]
    assert [place["name"] for place in maison["locations"]] == ["Maison Benoît, rue Saint-Denis"]
    assert set(maison["services"][0]) == {"id"}
    full = get_json(client, f"/organizations/{organizations['Maison Benoît']['id']}", full_service="true")
    assert full["services"][0]["name"] == "Community meals"
    for service in full["services"]:
        assert_valid(service, "service")
