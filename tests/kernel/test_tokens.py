"""Personal API tokens: made on the profile page or from the command line, shown once, revocable."""

import re

from sqlalchemy import select

from kernel.cli import main
from kernel.db import db
from kernel.users import ApiToken
from tests.conftest import TEST_PASSWORD

TOKEN = re.compile(r"psl_[A-Za-z0-9_-]{20,}")
API = "/api/v1/clients"


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def _create_on_profile(client, name="My script"):
    response = client.post("/profile/tokens", data={"name": name, "current": TEST_PASSWORD})
    assert response.status_code == 302 and response.location == "/profile/"
    page = client.get(response.location).get_data(as_text=True)
    assert "it will not be shown again" in page
    found = TOKEN.findall(page)
    assert len(found) == 1, "the new token is shown once, in the message"
    return found[0], page


def test_a_token_made_on_the_profile_page_works_until_revoked(app, staff_client, staff):
    api = app.test_client()
    token, page = _create_on_profile(staff_client)
    assert "My script" in page and token[:10] in page

    response = api.get(API, headers=_bearer(token))
    assert response.status_code == 200
    created = api.post(API, json={"last_name": "Noël"}, headers=_bearer(token))
    assert created.status_code == 201
    assert created.get_json()["created_by_id"] == staff.id

    stored = db.session.scalar(select(ApiToken).where(ApiToken.name == "My script"))
    assert stored.user_id == staff.id and token not in stored.token_hash  # only a hash is kept
    revoked = staff_client.post(f"/profile/tokens/{stored.id}/delete")
    assert revoked.status_code == 302
    assert "The token is revoked." in staff_client.get("/profile/").get_data(as_text=True)
    assert api.get(API, headers=_bearer(token)).status_code == 401
    assert db.session.scalar(select(ApiToken)) is None


def test_the_token_is_not_shown_again(staff_client):
    token, _page = _create_on_profile(staff_client)
    again = staff_client.get("/profile/").get_data(as_text=True)
    assert token not in again
    assert token[:10] + "…" in again  # its beginning, to recognise it


def test_a_token_without_a_name_gets_a_default_one(staff_client):
    _create_on_profile(staff_client, name="   ")
    assert db.session.scalar(select(ApiToken.name)) == "API token"


def test_the_profile_says_when_a_token_was_last_used(app, staff_client):
    token, page = _create_on_profile(staff_client)
    assert "—" in page  # never used yet
    assert app.test_client().get(API, headers=_bearer(token)).status_code == 200
    db.session.expire_all()
    assert db.session.scalar(select(ApiToken.last_used_at)) is not None
    row = re.search(r"<tr><td>My script</td>.*?</tr>", staff_client.get("/profile/").get_data(as_text=True), re.S)
    assert row and "—" not in row.group(0)


def test_nobody_can_revoke_the_token_of_someone_else(app, staff_client, make_user, login_as):
    token, _page = _create_on_profile(staff_client)
    stored_id = db.session.scalar(select(ApiToken.id))
    intruder = login_as(make_user("administrator", name="Another Admin"))
    assert intruder.post(f"/profile/tokens/{stored_id}/delete").status_code == 302
    assert app.test_client().get(API, headers=_bearer(token)).status_code == 200
    assert "My script" not in intruder.get("/profile/").get_data(as_text=True)


def test_token_pages_need_a_login(app):
    client = app.test_client()
    assert client.post("/profile/tokens", data={"name": "x", "current": TEST_PASSWORD}).location.startswith("/login")
    assert db.session.scalar(select(ApiToken)) is None


def test_the_command_line_prints_a_working_token(app, staff):
    result = app.test_cli_runner().invoke(main, ["tokens", "create", "--email", "Patrick@Example.org"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert TOKEN.fullmatch(token)
    assert db.session.scalar(select(ApiToken.name)) == "CLI token"
    assert app.test_client().get(API, headers=_bearer(token)).status_code == 200


def test_the_command_line_names_the_token(app, staff):
    result = app.test_cli_runner().invoke(main, ["tokens", "create", "--email", staff.email, "--name", "Import"])
    assert result.exit_code == 0
    assert db.session.scalar(select(ApiToken.name)) == "Import"


def test_the_command_line_refuses_an_unknown_user(app):
    result = app.test_cli_runner().invoke(main, ["tokens", "create", "--email", "nobody@example.org"])
    assert result.exit_code == 1
    assert "no user with the e-mail nobody@example.org" in result.output
    assert db.session.scalar(select(ApiToken)) is None


def test_a_token_needs_the_password_again(app, staff_client):
    response = staff_client.post("/profile/tokens", data={"name": "Script", "current": "not my password"})
    assert response.status_code == 401
    assert "Your current password is not right." in response.get_data(as_text=True)
    assert db.session.scalar(select(ApiToken)) is None


def test_an_expired_token_is_refused(app, staff_client):
    from datetime import timedelta

    from kernel.db import utcnow

    response = staff_client.post("/profile/tokens", data={
        "name": "Short-lived", "current": TEST_PASSWORD, "expires_on": (utcnow() + timedelta(days=3)).date().isoformat()})
    token = TOKEN.findall(staff_client.get(response.location).get_data(as_text=True))[0]
    api = app.test_client()
    assert api.get(API, headers=_bearer(token)).status_code == 200
    db.session.execute(ApiToken.__table__.update().values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    assert api.get(API, headers=_bearer(token)).status_code == 401
    past = staff_client.post("/profile/tokens", data={"name": "x", "current": TEST_PASSWORD,
                                                      "expires_on": "2020-01-01"})
    assert past.status_code == 422 and "Choose an expiry date after today" in past.get_data(as_text=True)


def test_a_password_change_revokes_the_tokens_unless_kept(app, staff_client):
    token, _page = _create_on_profile(staff_client)
    new = "seven green lanterns"
    staff_client.post("/profile/password", data={"current": TEST_PASSWORD, "password": new, "confirmation": new,
                                                  "keep_tokens": "1"})
    assert app.test_client().get(API, headers=_bearer(token)).status_code == 200
    staff_client.post("/profile/password", data={"current": new, "password": TEST_PASSWORD,
                                                  "confirmation": TEST_PASSWORD})
    assert app.test_client().get(API, headers=_bearer(token)).status_code == 401


def test_the_api_makes_a_token_after_the_password(app, staff, token_for):
    api = app.test_client()
    headers = token_for(staff)
    refused = api.post("/api/v1/tokens", json={"name": "CI", "password": "wrong"}, headers=headers)
    assert refused.status_code == 403
    made = api.post("/api/v1/tokens", json={"name": "CI", "password": TEST_PASSWORD, "expires_at": "2999-01-31"},
                    headers=headers)
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert body["name"] == "CI" and body["expires_at"].startswith("2999-02-01")
    assert api.get(API, headers=_bearer(body["token"])).status_code == 200
    assert api.post("/api/v1/tokens", json={"password": TEST_PASSWORD}).status_code == 401


def test_an_api_read_never_waits_for_a_write_lock(app, staff, token_for):
    """An import holding the write lock must not make an API GET fail: the token's last use is
    written after the request, and given up while the database is busy."""
    headers = token_for(staff)
    blocker = db.engine.connect()
    try:
        if db.is_sqlite:
            blocker.exec_driver_sql("BEGIN IMMEDIATE")
            blocker.exec_driver_sql("UPDATE api_tokens SET name = name")
        else:
            blocker.exec_driver_sql("SELECT id FROM api_tokens FOR UPDATE")
        response = app.test_client().get(API, headers=headers)
        assert response.status_code == 200
    finally:
        blocker.rollback()
        blocker.close()
    db.session.expire_all()
    assert db.session.scalar(select(ApiToken.last_used_at)) is None  # given up, not waited for
    assert app.test_client().get(API, headers=headers).status_code == 200
    db.session.expire_all()
    assert db.session.scalar(select(ApiToken.last_used_at)) is not None
