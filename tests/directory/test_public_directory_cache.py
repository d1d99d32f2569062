"""The public directory cannot slow the agents down: each address is rate-limited (429, a
translated page), and a search or a resource page asked again is served from the cache without
a single SQL statement, until a directory record changes."""

from contextlib import contextmanager

import pytest
from sqlalchemy import event, update

from kernel.db import db
from plugins.directory.models import Resource
from tests.directory.package import SHELTER
from tests.directory.public_helpers import load_public_sample

SEARCH = "/directory/public/"


@contextmanager
def counted_statements():
    statements = []

    def count(*_args, **_kwargs):
        statements.append(_args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


@pytest.fixture
def public(app, tmp_path):
    app.config["DIRECTORY_PUBLIC"] = True
    return load_public_sample(app, tmp_path)


def test_the_second_identical_search_runs_no_sql(app, public):
    client = app.test_client()
    with counted_statements() as first:
        assert client.get(SEARCH, query_string={"q": "shelter", "lang": "en"}).status_code == 200
    assert first
    with counted_statements() as second:
        response = client.get(SEARCH, query_string={"q": "  Shelter ", "lang": "en"})  # the same, written otherwise
    assert response.status_code == 200 and "Emergency shelter" in response.get_data(as_text=True)
    assert second == []


def test_a_resource_page_is_cached_too_and_shareable_by_proxies(app, public):
    client = app.test_client()
    path = f"/directory/public/resources/{public[SHELTER]}"
    client.get(path)
    with counted_statements() as statements:
        response = client.get(path)
    assert statements == []
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert "Accept-Language" in response.headers["Vary"]
    assert "Set-Cookie" not in response.headers


def test_the_cache_is_dropped_when_a_directory_record_changes(app, public):
    client = app.test_client()
    assert "Emergency shelter" in client.get(SEARCH, query_string={"q": "shelter", "lang": "en"}).get_data(as_text=True)
    db.session.execute(update(Resource).where(Resource.id == public[SHELTER]).values(public=False))
    db.session.commit()
    assert "Emergency shelter" not in client.get(SEARCH, query_string={"q": "shelter", "lang": "en"}).get_data(
        as_text=True)


def test_the_cache_keeps_each_language_apart(app, public):
    client = app.test_client()
    assert '<html lang="en"' in client.get(SEARCH, query_string={"q": "shelter", "lang": "en"}).get_data(as_text=True)
    assert '<html lang="fr"' in client.get(SEARCH, query_string={"q": "shelter", "lang": "fr"}).get_data(as_text=True)


def test_the_cache_lives_as_long_as_configured(app, public):
    app.config["DIRECTORY_PUBLIC_CACHE_SECONDS"] = 60
    response = app.test_client().get(SEARCH)
    assert response.headers["Cache-Control"] == "public, max-age=60"


def test_staff_pages_stay_uncached(app, public, staff_client):
    assert staff_client.get("/resources/search").headers["Cache-Control"] == "no-store"


def test_too_many_requests_from_one_address_get_a_translated_429(make_app, tmp_path):
    app = make_app(DIRECTORY_PUBLIC=True, RATELIMIT_ENABLED=True, DIRECTORY_PUBLIC_RATE_LIMIT="3 per minute")
    with app.app_context():
        load_public_sample(app, tmp_path)
        client = app.test_client()
        for _ in range(3):
            assert client.get(SEARCH, query_string={"lang": "fr"}).status_code == 200
        refused = client.get(f"/directory/public/resources/{db.session.query(Resource.id).first()[0]}",
                             query_string={"lang": "fr"})
        assert refused.status_code == 429
        assert "Trop de requêtes" in refused.get_data(as_text=True)
        db.session.remove()


def test_the_cache_is_bounded_and_entries_expire(monkeypatch):
    from plugins.directory.public import cache

    small = cache.PageCache(max_entries=2)
    for key in ("a", "b", "c"):
        small.put((key,), key, 60)
    assert small.get(("a",)) is None and small.get(("c",)) == "c" and len(small) == 2
    clock = [1000.0]
    monkeypatch.setattr(cache.time, "monotonic", lambda: clock[0])
    small.put(("d",), "d", 60)
    clock[0] += 61
    assert small.get(("d",)) is None
