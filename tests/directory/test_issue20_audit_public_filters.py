"""Issue 20 audit: the public directory's own filters by the language spoken and "open now"
(until now only the staff search tested them; the public page only tested a bad ``open`` value).

With no keyword, no type and no place, the search runs on ``Resource.id`` itself: the public
probe must compare the listed service with its own aliased row (it once compared a table with
itself, and every service passed as soon as one was public)."""


import re

from tests.directory.test_public_directory import get, names_in, public  # noqa: F401 (fixture)


def test_a_bad_language_or_opening_value_is_a_translated_400(app, public):  # noqa: F811
    client = app.test_client()
    assert "not a valid language" in get(client, status=400, language="<b>", lang="en")
    assert get(client, status=400, open="later", lang="fr")


def test_with_a_keyword_the_language_filter_keeps_to_public_services(app, public):  # noqa: F811
    client = app.test_client()
    assert names_in(get(client, q="kitchen", language="en", lang="en")) == []  # not public
    assert names_in(get(client, q="housing", language="en", lang="en")) == ["Social housing"]


def test_the_language_filter_alone_shows_only_public_services(app, public):  # noqa: F811
    client = app.test_client()
    assert names_in(get(client, language="en", lang="en")) == ["Social housing"]
    assert sorted(names_in(get(client, language="French", lang="en"))) == ["Emergency shelter", "Food bank"]


def test_open_now_alone_shows_only_public_services(app, public):  # noqa: F811
    client = app.test_client()
    assert set(names_in(get(client, open="now", lang="en"))) <= {"Emergency shelter", "Food bank", "Social housing"}
    assert set(names_in(get(client, open="now", language="French", lang="en"))) <= {"Emergency shelter", "Food bank"}


def test_near_a_community_sorts_by_distance_and_an_unknown_one_says_so(app, public):  # noqa: F811
    client = app.test_client()
    near_laval = get(client, near="Laval", lang="en")
    assert names_in(near_laval)[0] == "Emergency shelter" and "Food bank" not in names_in(near_laval)
    assert re.search(r'class="distance">[^<]*km', near_laval)
    unknown = get(client, near="Nowhere", lang="en")
    assert "Unknown postal code or community: Nowhere" in unknown and names_in(unknown) == []
    assert "Code postal ou communauté inconnus" in get(client, near="Nowhere", lang="fr")
