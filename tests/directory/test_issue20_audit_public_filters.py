"""Issue 20 audit: the public directory's own filters by the language spoken and "open now"
(until now only the staff search tested them; the public page only tested a bad ``open`` value).

KNOWN BUG (xfail, strict): with no keyword, no type and no place, plugins/directory/search.py runs
``matching_services`` on ``Resource.id`` and ``is_public_service(Resource.id)`` builds
``EXISTS (SELECT … FROM directory_services JOIN directory_organizations … WHERE
directory_services.id = directory_services.id …)``: the JOIN keeps the subquery from correlating,
so the test is true as soon as ANY service is public and non-public services are listed by name
(their page stays 404). Fix: an ``aliased(Resource)`` inside ``is_public_service``."""

import pytest

from tests.directory.test_public_directory import get, names_in, public  # noqa: F401 (fixture)

LEAK = pytest.mark.xfail(strict=True, reason="search.py is_public_service does not correlate (see docstring)")


def test_a_bad_language_or_opening_value_is_a_translated_400(app, public):  # noqa: F811
    client = app.test_client()
    assert "not a valid language" in get(client, status=400, language="<b>", lang="en")
    assert get(client, status=400, open="later", lang="fr")


def test_with_a_keyword_the_language_filter_keeps_to_public_services(app, public):  # noqa: F811
    client = app.test_client()
    assert names_in(get(client, q="kitchen", language="en", lang="en")) == []  # not public
    assert names_in(get(client, q="housing", language="en", lang="en")) == ["Social housing"]


@LEAK
def test_the_language_filter_alone_shows_only_public_services(app, public):  # noqa: F811
    client = app.test_client()
    assert names_in(get(client, language="en", lang="en")) == ["Social housing"]
    assert sorted(names_in(get(client, language="French", lang="en"))) == ["Emergency shelter", "Food bank"]


@pytest.mark.xfail(strict=False, reason="same bug; passes when nothing non-public is open at the hour the test runs")
def test_open_now_alone_shows_only_public_services(app, public):  # noqa: F811
    client = app.test_client()
    assert set(names_in(get(client, open="now", lang="en"))) <= {"Emergency shelter", "Food bank", "Social housing"}
    assert set(names_in(get(client, open="now", language="French", lang="en"))) <= {"Emergency shelter", "Food bank"}
