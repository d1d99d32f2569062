"""A password reset revokes the user's API tokens, as a password change does, unless they keep
them: whoever knew the old password may have made tokens with it."""

from sqlalchemy import select

from kernel.db import db
from kernel.security.models import SecurityEvent
from kernel.users import ApiToken
from kernel.views.auth import reset_token

NEW_PASSWORD = "a brand new passphrase"
API = "/api/v1/clients"


def _reset(app, user, **extra):
    with app.test_request_context():
        path = f"/password/reset/{reset_token(user)}"
    client = app.test_client()
    client.get("/language/en")
    response = client.post(path, data={"password": NEW_PASSWORD, "confirmation": NEW_PASSWORD, **extra})
    assert response.status_code == 302 and response.location == "/login"
    return client.get("/login").get_data(as_text=True)


def test_a_reset_revokes_the_api_tokens(app, staff, token_for):
    headers = token_for(staff)
    assert app.test_client().get(API, headers=headers).status_code == 200
    page = _reset(app, staff)
    assert "Your API tokens are revoked: make new ones for the programs that need them." in page
    assert app.test_client().get(API, headers=headers).status_code == 401
    assert db.session.scalar(select(ApiToken)) is None
    event = db.session.scalar(select(SecurityEvent).where(SecurityEvent.event == "password.reset"))
    assert event.user_id == staff.id and event.details["tokens_revoked"] == 1


def test_a_reset_keeps_the_tokens_when_asked(app, staff, token_for):
    headers = token_for(staff)
    page = _reset(app, staff, keep_tokens="1")
    assert "Your API tokens are revoked" not in page
    assert app.test_client().get(API, headers=headers).status_code == 200


def test_the_reset_form_offers_to_keep_the_tokens(app, staff):
    with app.test_request_context():
        path = f"/password/reset/{reset_token(staff)}"
    client = app.test_client()
    client.get("/language/en")
    page = client.get(path).get_data(as_text=True)
    assert 'name="keep_tokens"' in page and "Keep my API tokens" in page
