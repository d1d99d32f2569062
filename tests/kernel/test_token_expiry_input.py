"""A new token's expiry and name, typed or sent by a program: a date after today, or a clear
422, never a date made of the first ten characters of something else, nor a 500."""

import pytest
from sqlalchemy import select

from kernel.db import db
from kernel.users import ApiToken
from tests.conftest import TEST_PASSWORD

EXPIRY_MESSAGE = "Choose an expiry date after today, or none."


@pytest.mark.parametrize("expires_at", ["2099-01-01xyz", "9999-12-31", "2099-02-30", "tomorrow", "2000-01-01"])
def test_the_api_refuses_an_expiry_that_is_not_a_date_after_today(app, staff, token_for, expires_at):
    response = app.test_client().post("/api/v1/tokens", headers=token_for(staff),
                                      json={"password": TEST_PASSWORD, "expires_at": expires_at})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"expires_at": [EXPIRY_MESSAGE]}
    assert db.session.scalar(select(ApiToken.name).where(ApiToken.name != "tests")) is None


def test_the_api_takes_a_date_and_time_as_its_day(app, staff, token_for):
    response = app.test_client().post("/api/v1/tokens", headers=token_for(staff),
                                      json={"password": TEST_PASSWORD, "expires_at": "2999-01-31T12:30:00+00:00"})
    assert response.status_code == 201
    assert response.get_json()["expires_at"] == "2999-02-01T00:00:00"


def test_the_api_refuses_a_name_that_is_not_text(app, staff, token_for):
    response = app.test_client().post("/api/v1/tokens", headers=token_for(staff),
                                      json={"password": TEST_PASSWORD, "name": {"a": 1}})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"name": ["The name must be text."]}


def test_the_api_answers_with_the_token_it_made(app, staff, token_for):
    headers = token_for(staff)
    made = app.test_client().post("/api/v1/tokens", headers=headers, json={"password": TEST_PASSWORD, "name": "CI"})
    body = made.get_json()
    assert db.session.get(ApiToken, body["id"]).name == "CI"


@pytest.mark.parametrize("expires_on", ["9999-12-31", "2099-01-01xyz"])
def test_the_profile_refuses_an_expiry_that_is_not_a_date_after_today(staff_client, expires_on):
    response = staff_client.post("/profile/tokens", data={"name": "x", "current": TEST_PASSWORD,
                                                          "expires_on": expires_on})
    assert response.status_code == 422
    assert EXPIRY_MESSAGE in response.get_data(as_text=True)
    assert db.session.scalar(select(ApiToken)) is None
