"""Web addresses are http or https, on every way in (forms, API, CSV import share the entity's
schema) and again when a stored one becomes a link (the ``safe_url`` filter): a ``javascript:``
address would run script in the CRM's origin."""

import pytest
from sqlalchemy import select

from kernel.db import db
from kernel.importer import RowValidator
from kernel.registry import entities
from plugins.partners.models import Partner

HOSTILE = ["javascript:alert(document.cookie)", "JaVaScRiPt:alert(1)", "javascript://example.org/%0Aalert(1)",
           "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "javascript:1"]


@pytest.mark.parametrize("address", HOSTILE)
def test_the_api_refuses_an_address_that_is_not_http_with_a_422(app, staff, token_for, address):
    response = app.test_client().post("/api/v1/partners", headers={**token_for(staff), "Accept-Language": "en"},
                                      json={"name": "Hostile", "website": address})
    assert response.status_code == 422
    assert response.get_json()["errors"]["website"] == ["Enter a full web address, such as https://example.org."]
    assert db.session.scalar(select(Partner)) is None


def test_the_message_is_translated(app, make_user, token_for):
    response = app.test_client().post("/api/v1/partners", headers=token_for(make_user("staff", language="fr")),
                                      json={"name": "Hostile", "website": "javascript:alert(1)"})
    assert response.status_code == 422
    assert response.get_json()["errors"]["website"] == ["Saisissez une adresse Web complète, comme https://example.org."]


def test_the_form_refuses_it_next_to_the_field(app, staff_client):
    response = staff_client.post("/partners/new", data={"name": "Hostile", "website": "javascript:alert(1)"})
    assert response.status_code == 422
    assert "Enter a full web address" in response.get_data(as_text=True)
    assert db.session.scalar(select(Partner)) is None


def test_a_csv_import_row_is_refused(app):
    validator = RowValidator(entities().get("partner"), ["name", "website"])
    values, errors = validator.validate({"name": "Hostile", "website": "javascript:alert(1)"}, partial=False)
    assert values == {} and "website" in errors


@pytest.mark.parametrize(("typed", "stored"), [
    ("example.org", "https://example.org"), ("http://example.org/a?b=1", "http://example.org/a?b=1"),
    ("example.org:8080/path", "https://example.org:8080/path"), (" HTTPS://Example.org ", "HTTPS://Example.org"),
])
def test_http_addresses_are_kept(app, staff, token_for, typed, stored):
    response = app.test_client().post("/api/v1/partners", headers=token_for(staff),
                                      json={"name": "Fine", "website": typed})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["website"] == stored


@pytest.mark.parametrize(("value", "link"), [
    ("https://example.org/a?b=1&c=2", "https://example.org/a?b=1&c=2"),
    ("javascript:alert(1)", ""), (" javascript:alert(1)", ""), ("java\tscript:alert(1)", ""),
    ("data:text/html,x", ""), ("//evil.example.org", ""), ("https:alert(1)", ""), ("", ""), (None, ""),
    ("mailto:someone@example.org", ""),
])
def test_the_safe_url_filter_gives_an_href_only_for_http_addresses(app, value, link):
    assert app.jinja_env.from_string("{{ value|safe_url }}").render(value=value) == link.replace("&", "&amp;")


def test_the_safe_url_filter_accepts_other_schemes_where_a_field_is_meant_for_them(app):
    rendered = app.jinja_env.from_string("{{ value|safe_url(['mailto']) }}").render(value="mailto:a@example.org")
    assert rendered == "mailto:a@example.org"
