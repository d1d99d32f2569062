"""A new password must not be common, nor contain its user's name or e-mail address (NIST SP
800-63B), wherever it is set: reset link, profile, user administration, command line."""

import pytest
from flask_babel import force_locale

from kernel.cli import main
from kernel.db import db
from kernel.security.passwords import common_passwords, password_problem
from kernel.users import User
from tests.conftest import TEST_PASSWORD

COMMON = "This password is among the most common ones"
PERSONAL = "must not contain the user"  # …'s name or e-mail address


@pytest.mark.parametrize("password, expected", [
    ("password123", COMMON),
    ("Qwertyuiop", COMMON),
    ("iloveyou2024!", COMMON),  # a common word dressed up
    ("aaaaaaaaaaaa", COMMON),
    ("patrick@example.org", PERSONAL),
    ("my name is Patrick Staff", PERSONAL),
    ("staffpatrick99", PERSONAL),
    ("short", "at least 10 characters"),
    ("a walk along the river", None),
])
def test_the_policy(app, password, expected):
    with force_locale("en"):
        problem = password_problem(password, email="patrick@example.org", name="Patrick Staff")
    assert (problem is None) if expected is None else (expected in problem)


def test_the_bundled_list_holds_ten_thousand_common_passwords():
    common = common_passwords()
    assert len(common) >= 9_900 and {"123456", "password", "iloveyou"} <= common


def test_the_profile_refuses_a_common_password(staff_client):
    response = staff_client.post("/profile/password", data={
        "current": TEST_PASSWORD, "password": "password1234", "confirmation": "password1234"})
    assert response.status_code == 422 and COMMON in response.get_data(as_text=True)


def test_the_user_administration_refuses_the_users_own_name(admin_client):
    response = admin_client.post("/admin/users/new", data={
        "name": "Nadia Newcomer", "email": "nadia@example.org", "role": "staff", "language": "en",
        "active": "1", "password": "nadia newcomer 2024"})
    assert response.status_code == 422 and PERSONAL in response.get_data(as_text=True)
    assert db.session.query(User).filter_by(email="nadia@example.org").first() is None


def test_the_reset_link_refuses_a_common_password(app, staff):
    from kernel.views.auth import reset_token

    response = app.test_client().post(f"/password/reset/{reset_token(staff)}", data={
        "password": "football123", "confirmation": "football123"})
    assert response.status_code == 422


def test_the_command_line_refuses_a_common_password(app):
    result = app.test_cli_runner().invoke(main, ["users", "create", "--email", "x@example.org",
                                                 "--role", "staff", "--password", "1234567890"])
    assert result.exit_code != 0 and COMMON in result.output
