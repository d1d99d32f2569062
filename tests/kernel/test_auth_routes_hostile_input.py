"""The login, password, session and token routes answer hostile input (missing fields, huge
strings, NUL characters, repeated fields, wrong methods) with a 4xx or a redirect, never a 5xx."""

import pytest
from werkzeug.datastructures import MultiDict

from kernel.views.auth import reset_token

HUGE = "é" * 20_000  # beyond every column and the passwords' 1,024 characters
FIELDS = ["email", "password", "confirmation", "current", "language", "name", "expires_on", "role",
          "active", "keep_tokens", "theme", "density", "next", "reason", "approver_email", "approver_password"]
BODIES = {
    "missing": {},
    "empty": {name: "" for name in FIELDS},
    "huge": {name: HUGE for name in FIELDS},
    "nul": {name: "ab\x00cd" for name in FIELDS},
    "repeated": MultiDict([(name, value) for name in FIELDS for value in ("one", "two")]),
}
POSTS = ["/login", "/logout", "/password/forgot", "/profile/preferences", "/profile/password", "/profile/tokens",
         "/profile/tokens/99999999999999999999/delete", "/profile/tokens/1/delete",
         f"/profile/sessions/{'x' * 5000}/end", "/profile/sessions/end-others", "/admin/users/new",
         "/admin/users/99999999999999999999/edit", "/admin/users/1/sign-out"]


@pytest.mark.parametrize("body", list(BODIES))
def test_posts_never_fail(admin_client, body):
    for path in POSTS:
        response = admin_client.post(path, data=BODIES[body])
        assert response.status_code < 500, (path, body, response.status_code)


@pytest.mark.parametrize("body", list(BODIES))
def test_the_login_page_never_fails_for_a_visitor(app, admin, body):
    response = app.test_client().post("/login", data=BODIES[body])
    assert response.status_code in (400, 401, 422), response.status_code


@pytest.mark.parametrize("body", list(BODIES))
def test_the_reset_link_never_fails(app, admin, body):
    with app.test_request_context():
        path = f"/password/reset/{reset_token(admin)}"
    client = app.test_client()
    assert client.post(path, data=BODIES[body]).status_code < 500
    for token in (HUGE[:5000], "a.b.c", "\x00", "%00"):
        assert client.post(f"/password/reset/{token}", data=BODIES[body]).status_code < 500


@pytest.mark.parametrize("body", [{}, [], "text", {"password": HUGE, "name": HUGE, "expires_at": HUGE},
                                  {"password": None, "name": None, "expires_at": None},
                                  {"password": 1, "name": 2, "expires_at": 3}, {"password": "a\x00b"},
                                  {"password": ["x"], "name": ["y"], "expires_at": ["2099-01-01"]}])
def test_the_token_api_never_fails(app, admin, token_for, body):
    response = app.test_client().post("/api/v1/tokens", json=body, headers=token_for(admin))
    assert response.status_code in (400, 403, 422), response.status_code


@pytest.mark.parametrize("method, path", [
    ("put", "/login"), ("delete", "/login"), ("get", "/profile/password"),
    ("get", "/profile/tokens"), ("get", "/profile/sessions/end-others"), ("get", "/admin/users/1/sign-out"),
    ("put", "/api/v1/tokens"), ("get", "/api/v1/tokens"),
])
def test_wrong_methods_answer_405(admin_client, method, path):
    assert getattr(admin_client, method)(path).status_code == 405


def test_a_get_of_logout_signs_nobody_out(admin_client):
    """Logging out is a POST (with its CSRF token): a link or an image cannot sign anyone out."""
    assert admin_client.get("/logout").status_code in (308, 404, 405)
    assert admin_client.get("/profile/").status_code == 200
