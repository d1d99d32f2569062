"""Keywords in French or English, whatever the accents and case, stemmed, with synonyms, ranked."""

import html

import pytest

from tests.directory.helpers import names_in, sample_client, search

pytestmark = pytest.mark.usefixtures("no_synonym_groups")  # these tests set their own synonyms


def test_keywords_ignore_case_and_accents(app, tmp_path, staff_client):
    client = sample_client(app, tmp_path, staff_client)
    assert names_in(search(client, q="HEBERGEMENT")) == ["Emergency shelter"]
    assert names_in(search(client, q="hébergement d'urgence")) == ["Emergency shelter"]
    assert names_in(search(client, q="Food BANK")) == ["Food bank"]


def test_french_readers_see_french_names(app, tmp_path, make_user, login_as):
    reader = make_user("staff", language="fr")
    client = sample_client(app, tmp_path, login_as(reader))
    assert [html.unescape(name) for name in names_in(search(client, q="abordables"))] == ["Logements sociaux"]


def test_plural_and_singular_find_each_other(app, tmp_path, staff_client):
    client = sample_client(app, tmp_path, staff_client)
    for word in ("logements", "logement", "housing"):
        assert {"Social housing", "Housing help"} <= set(names_in(search(client, q=word))), word


def test_results_are_ranked_by_relevance(app, tmp_path, staff_client):
    client = sample_client(app, tmp_path, staff_client)
    names = names_in(search(client, q="logement"))
    assert names[-1] == "Community kitchen"  # only its description mentions housing
    assert set(names[:2]) == {"Social housing", "Housing help"}


def test_administrators_edit_synonym_groups(app, tmp_path, admin_client):
    client = sample_client(app, tmp_path, admin_client)
    assert names_in(search(client, q="abri")) == []
    assert "No resource matches" in search(client, q="abri")
    response = client.post("/admin/directory/synonyms", data={"words": "abri, hébergement, résidence, shelter"})
    assert response.status_code == 302
    assert "abri, hébergement, résidence, shelter" in client.get("/admin/directory/synonyms").get_data(as_text=True)
    assert names_in(search(client, q="abri")) == ["Emergency shelter"]
    assert names_in(search(client, q="shelters")) == ["Emergency shelter"]


def test_a_synonym_group_needs_two_words(app, admin_client):
    admin_client.post("/admin/directory/synonyms", data={"words": "abri"})
    assert "at least two words" in admin_client.get("/admin/directory/synonyms").get_data(as_text=True)


def test_synonym_forms_need_the_csrf_token(make_app, admin):
    from tests.conftest import login

    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        from tests.conftest import csrf_token_from

        client.post("/login", data={"email": admin.email, "password": "correct horse battery",
                                    "csrf_token": csrf_token_from(page)})
        refused = client.post("/admin/directory/synonyms", data={"words": "abri, shelter"})
        assert refused.status_code in (400, 403)
        assert login  # the shared helper is for CSRF-free apps
