"""Property test: whatever values someone puts in the API's arguments and bodies, or in a list
page's search, filters, sort and paging, the answer is never a 500.

Hypothesis draws from hostile values (huge numbers, impossible dates, NUL, lone surrogates, quotes,
over-long text, wrong JSON types) and any text, for every entity of every enabled module. The
examples are derandomised, so CI runs the same ones every time (well under a minute)."""

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kernel import records
from kernel.db import db
from kernel.filters import operators_for
from kernel.registry import entities

HOSTILE_TEXT = [
    "", " ", "0", "-1", "1.5", "99999999999999999999", "2147483648", "-2147483649", "1e999", "NaN", "Infinity",
    "'", '"', "%", "_", "\\", "--", "' OR 1=1 --", "\x00", "a\x00b", "\ud800", "\udfff", "9999-12-31", "0000-01-01",
    "0001-01-01", "2026-02-30", "99999-01-01", "9999-12-31T23:59:59", "0001-01-01T00:00:00+05:00", "<script>",
    "x" * 300, "é" * 256, "true", "on", "[]", "{}", "-id", "--id", "__", "id", "ⅷ", "٣", "²",
]
FUZZ = settings(max_examples=120, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

hostile_text = st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=20))
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), hostile_text),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(hostile_text, children, max_size=3)),
    max_leaves=6,
)


def _plurals():
    return sorted(entity.plural for entity in entities())


def _argument_names(entity) -> list[str]:
    names = ["q", "sort", "page", "per_page", "pos", "list", "count", "mine", "cols", "bom"]
    for meta in entity.fields.values():
        if meta.filterable:
            names.append(meta.name)
            names.extend(f"{meta.name}__{operator}" for operator in operators_for(meta))
    return names


@st.composite
def list_arguments(draw, plural):
    entity = entities().by_plural(plural)
    names = st.one_of(st.sampled_from(_argument_names(entity)), hostile_text)
    return draw(st.lists(st.tuples(names, hostile_text), max_size=5))


@st.composite
def record_bodies(draw, plural):
    entity = entities().by_plural(plural)
    names = st.one_of(st.sampled_from(sorted(entity.fields) + ["id", "version"]), hostile_text)
    return draw(st.dictionaries(names, json_values, max_size=6))


@pytest.fixture
def api(app, admin, token_for):
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = token_for(admin)["Authorization"]
    return client


@pytest.fixture
def existing(admin) -> dict[str, int]:
    """A record of a few entities, for the changes to have something to change."""
    a_client = records.create(entities().get("client"), {"last_name": "Côté", "first_name": "Émile"}, admin)
    made = [a_client] + [records.create(entities().get(name), values, admin) for name, values in (
        ("programme", {"name_fr": "Emploi", "name_en": "Jobs"}),
        ("partner", {"name": "Northmart"}),
        ("call", {"subject": "Suivi", "start": "2026-03-02T10:00:00", "duration_hours": 0, "duration_minutes": 30}),
        ("case_file", {"file_number": "SAE-1", "client_id": a_client.id, "status": "open",
                       "intake_date": "2026-01-12"}),
    )]
    db.session.commit()
    return {type(record).__entity__.plural: record.id for record in made}


def _query(arguments) -> str:
    """As a raw client sends it: a lone surrogate becomes the bytes a browser cannot decode either."""
    return urlencode(arguments, encoding="utf-8", errors="surrogatepass")


def _no_server_error(response, what):
    assert response.status_code < 500, (what, response.status_code, response.get_data(as_text=True)[:300])


def test_api_lists_never_fail(api):
    @FUZZ
    @given(data=st.data())
    def check(data):
        plural = data.draw(st.sampled_from(_plurals()))
        arguments = data.draw(list_arguments(plural))
        _no_server_error(api.get(f"/api/v1/{plural}?{_query(arguments)}"), (plural, arguments))

    check()


def test_api_creates_never_fail(api):
    @FUZZ
    @given(data=st.data())
    def check(data):
        plural = data.draw(st.sampled_from(_plurals()))
        body = data.draw(st.one_of(record_bodies(plural), json_values))
        _no_server_error(api.post(f"/api/v1/{plural}", json=body), ("POST", plural, body))

    check()


def test_api_changes_never_fail(api, existing):
    @FUZZ
    @given(data=st.data())
    def check(data):
        plural = data.draw(st.sampled_from(sorted(existing)))
        change = data.draw(st.one_of(record_bodies(plural), json_values))
        version = data.draw(st.one_of(st.sampled_from(["1", '"1"', 'W/"1"', "2"]), hostile_text))
        raw = version.encode("utf-8", "surrogatepass").decode("latin-1")  # the bytes a client sends
        headers = {"If-Match": raw.replace("\r", "").replace("\n", "")}
        response = api.patch(f"/api/v1/{plural}/{existing[plural]}", json=change, headers=headers)
        _no_server_error(response, ("PATCH", plural, change, headers))

    check()


def test_list_pages_never_fail(admin_client):
    @FUZZ
    @given(data=st.data())
    def check(data):
        plural = data.draw(st.sampled_from(_plurals()))
        arguments = data.draw(list_arguments(plural))
        for url in (f"/{plural}/", f"/{plural}/export.csv", f"/{plural}/lookup"):
            _no_server_error(admin_client.get(f"{url}?{_query(arguments)}"), (url, arguments))

    check()


def test_global_search_never_fails(admin_client):
    @FUZZ
    @given(q=hostile_text)
    def check(q):
        _no_server_error(admin_client.get(f"/search?{_query({'q': q})}"), q)

    check()
