"""The search API endpoint answers to a token, with the same criteria as the screen."""

from tests.directory.package import load_sample


def test_the_api_needs_a_token(app):
    assert app.test_client().get("/api/v1/directory/search?q=logement").status_code == 401


def test_the_api_searches_with_a_token(app, tmp_path, staff, token_for):
    load_sample(app, tmp_path)
    response = app.test_client().get("/api/v1/directory/search", headers=token_for(staff),
                                     query_string={"q": "logement", "postal_code": "H2X1Y4", "radius": 25})
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 1 and body["total_is_exact"]
    hit = body["results"][0]
    assert (hit["name"], hit["agency"], hit["phones"]) == ("Housing help", "Community Help Network", ["514 555 0404"])
    assert 0 < hit["distance_km"] < 2
    assert {"code": "BH-8000", "count": 1, "name": "Housing", "name_fr": "Logement"} in body["facets"]


def test_the_api_says_when_a_postal_code_is_unknown(app, staff, token_for):
    response = app.test_client().get("/api/v1/directory/search?postal_code=ZZZ", headers=token_for(staff))
    assert response.status_code == 400
    assert "Unknown postal code" in response.get_json()["error"]


def test_the_api_says_whether_the_total_is_capped(app, tmp_path, staff, token_for, monkeypatch):
    from plugins.directory import search as search_module

    monkeypatch.setattr(search_module, "COUNT_CAP", 2)
    load_sample(app, tmp_path)
    client = app.test_client()
    capped = client.get("/api/v1/directory/search", headers=token_for(staff), query_string={"q": "logement"})
    assert (capped.get_json()["total"], capped.get_json()["total_is_exact"]) == (2, False)
    exact = client.get("/api/v1/directory/search", headers=token_for(staff),
                       query_string={"q": "logement", "count": "exact"})
    assert (exact.get_json()["total"], exact.get_json()["total_is_exact"]) == (3, True)
