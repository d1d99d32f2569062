"""Administrators manage users on the Users screens; the command line creates them too."""

import pytest
from sqlalchemy import func, select

from kernel.cli import main
from kernel.db import db
from kernel.outbox import drain
from kernel.users import User
from tests.conftest import TEST_PASSWORD

NEW_PASSWORD = "welcome to the harbour"


def _user(email) -> User | None:
    db.session.expire_all()
    return db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))


def _count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(User))


def _can_log_in(app, email, password) -> bool:
    return app.test_client().post("/login", data={"email": email, "password": password}).status_code == 302


def _form(**changes) -> dict:
    form = {"name": "Nadia Newcomer", "email": "nadia@example.org", "role": "staff", "language": "fr",
            "active": "1", "password": NEW_PASSWORD}
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


# The screens

def test_an_administrator_lists_the_users(admin_client, staff, readonly):
    response = admin_client.get("/admin/users")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for text in ("Ada Admin", "admin@example.org", "Patrick Staff", "patrick@example.org", "Rita Reader",
                 "Administrator", "Staff", "Read-only", "Create a user"):
        assert text in page
    assert page.index("Ada Admin") < page.index("Patrick Staff") < page.index("Rita Reader")


def test_the_user_menu_links_to_users_only_for_administrators(admin_client, staff_client):
    assert 'href="/admin/users"' in admin_client.get("/").get_data(as_text=True)
    assert 'href="/admin/users"' not in staff_client.get("/").get_data(as_text=True)


def test_an_administrator_creates_a_user_who_can_log_in(app, admin_client):
    assert "Create a user" in admin_client.get("/admin/users/new").get_data(as_text=True)
    response = admin_client.post("/admin/users/new", data=_form())
    assert response.status_code == 302 and response.location == "/admin/users"
    listing = admin_client.get("/admin/users").get_data(as_text=True)
    assert "The user Nadia Newcomer is saved." in listing and "nadia@example.org" in listing

    user = _user("nadia@example.org")
    assert (user.name, user.role, user.language, user.active) == ("Nadia Newcomer", "staff", "fr", True)
    assert user.password_hash and NEW_PASSWORD not in user.password_hash
    assert _can_log_in(app, "nadia@example.org", NEW_PASSWORD)


def test_a_new_user_without_a_password_is_sent_a_link(app, admin_client, capsys):
    response = admin_client.post("/admin/users/new", data=_form(password=""))
    assert response.status_code == 302
    user = _user("nadia@example.org")
    assert user is not None and user.password_hash is None
    drain()  # e-mails go through the outbox; the worker's drain sends them
    printed = capsys.readouterr().out  # without SMTP_HOST the message is printed
    assert "To: nadia@example.org" in printed and "/password/reset/" in printed
    assert not _can_log_in(app, "nadia@example.org", "")


def test_an_administrator_changes_the_role(app, admin_client, staff):
    form = admin_client.get(f"/admin/users/{staff.id}/edit").get_data(as_text=True)
    assert 'value="patrick@example.org"' in form and '<option value="staff" selected>' in form
    response = admin_client.post(f"/admin/users/{staff.id}/edit", data=_form(
        name="Patrick Staff", email="patrick@example.org", role="supervisor", language="en", password=""))
    assert response.status_code == 302
    user = _user("patrick@example.org")
    assert user.role == "supervisor" and user.active
    assert _can_log_in(app, "patrick@example.org", TEST_PASSWORD)  # an empty password keeps it


def test_an_administrator_deactivates_a_user(app, admin_client, staff, login_as):
    staff_session = login_as(staff)
    response = admin_client.post(f"/admin/users/{staff.id}/edit", data=_form(
        name="Patrick Staff", email="patrick@example.org", language="en", password="", active=None))
    assert response.status_code == 302
    assert _user("patrick@example.org").active is False
    assert "<td>No</td>" in admin_client.get("/admin/users").get_data(as_text=True)
    assert not _can_log_in(app, "patrick@example.org", TEST_PASSWORD)
    assert staff_session.get("/").status_code == 302  # the open session ends too


def test_a_duplicate_email_is_refused_and_nothing_is_saved(admin_client, staff):
    before = _count()
    response = admin_client.post("/admin/users/new", data=_form(email="PATRICK@example.org"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Another user already has this e-mail address." in page
    assert 'value="Nadia Newcomer"' in page  # what was typed is kept
    assert _count() == before


def test_another_users_email_is_refused_on_edit(admin_client, staff, readonly):
    response = admin_client.post(f"/admin/users/{staff.id}/edit", data=_form(
        name="Patrick Staff", email="reader@example.org", password=""))
    assert response.status_code == 422
    assert "Another user already has this e-mail address." in response.get_data(as_text=True)
    assert _user("patrick@example.org") is not None and _user("patrick@example.org").role == "staff"


@pytest.mark.parametrize("changes, message", [
    ({"email": "not-an-email"}, "Enter a valid e-mail address, such as name@example.org."),
    ({"email": ""}, "Enter a valid e-mail address, such as name@example.org."),
    ({"name": "  "}, "This field is required."),
    ({"role": "emperor"}, "Choose one of the options offered."),
    ({"language": "de"}, "Choose one of the options offered."),
    ({"password": "short"}, "The password needs at least 10 characters."),
])
def test_validation_errors_are_shown_and_nothing_is_saved(admin_client, changes, message):
    before = _count()
    response = admin_client.post("/admin/users/new", data=_form(**changes))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count() == before


def test_an_administrator_cannot_lock_themself_out(app, admin_client, admin):
    demoted = admin_client.post(f"/admin/users/{admin.id}/edit", data=_form(
        name="Ada Admin", email="admin@example.org", role="staff", password=""))
    assert demoted.status_code == 422
    assert "You cannot remove your own administrator rights" in demoted.get_data(as_text=True)
    inactive = admin_client.post(f"/admin/users/{admin.id}/edit", data=_form(
        name="Ada Admin", email="admin@example.org", role="administrator", password="", active=None))
    assert inactive.status_code == 422
    user = _user("admin@example.org")
    assert user.role == "administrator" and user.active


def test_an_unknown_user_is_404(admin_client):
    assert admin_client.get("/admin/users/9999/edit").status_code == 404


@pytest.mark.parametrize("role", ["staff", "supervisor", "readonly"])
def test_other_roles_get_403_on_the_users_screens(make_user, login_as, role, admin):
    client = login_as(make_user(role))
    before = _count()
    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/users/new").status_code == 403
    assert client.post("/admin/users/new", data=_form(role="administrator")).status_code == 403
    assert client.get(f"/admin/users/{admin.id}/edit").status_code == 403
    assert client.post(f"/admin/users/{admin.id}/edit", data=_form(
        name="Hacked", email="admin@example.org", role="readonly", password="")).status_code == 403
    assert _count() == before
    assert _user("admin@example.org").name == "Ada Admin"


def test_the_users_screens_need_a_login(app):
    response = app.test_client().get("/admin/users")
    assert response.status_code == 302 and response.location.startswith("/login")


# The command line

def _cli(app, *args, input=None):
    return app.test_cli_runner().invoke(main, ["users", "create", *args], input=input)


def test_the_command_line_creates_a_user_who_can_log_in(app):
    result = _cli(app, "--email", "Cli@Example.org", "--role", "staff", "--password", NEW_PASSWORD)
    assert result.exit_code == 0, result.output
    assert "Created staff Cli@example.org." in result.output
    user = _user("cli@example.org")
    assert (user.role, user.language, user.name, user.active) == ("staff", "fr", "Cli", True)
    assert _can_log_in(app, "cli@example.org", NEW_PASSWORD)


def test_the_command_line_takes_name_and_language(app):
    result = _cli(app, "--email", "sam@example.org", "--role", "supervisor", "--name", "Sam Supervisor",
                  "--language", "en", "--password", NEW_PASSWORD)
    assert result.exit_code == 0, result.output
    user = _user("sam@example.org")
    assert (user.name, user.role, user.language) == ("Sam Supervisor", "supervisor", "en")


def test_the_command_line_asks_for_the_password_when_not_given(app):
    result = _cli(app, "--email", "asked@example.org", "--role", "readonly",
                  input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Password" in result.output and NEW_PASSWORD not in result.output
    assert _can_log_in(app, "asked@example.org", NEW_PASSWORD)


def test_the_command_line_asks_again_when_the_confirmation_differs(app):
    result = _cli(app, "--email", "asked@example.org", "--role", "staff",
                  input=f"{NEW_PASSWORD}\nsomething else\n{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert _can_log_in(app, "asked@example.org", NEW_PASSWORD)


@pytest.mark.parametrize("args, message", [
    (["--role", "emperor", "--password", NEW_PASSWORD], "Invalid value for '--role'"),
    (["--role", "staff", "--password", "short"], "The password needs at least 10 characters."),
    (["--role", "staff", "--password", NEW_PASSWORD, "--language", "de"], "Invalid value for '--language'"),
])
def test_the_command_line_refuses_bad_values(app, args, message):
    result = _cli(app, "--email", "bad@example.org", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert _user("bad@example.org") is None


def test_the_command_line_refuses_a_bad_or_taken_email(app, staff):
    bad = _cli(app, "--email", "not-an-email", "--role", "staff", "--password", NEW_PASSWORD)
    assert bad.exit_code == 2 and "Invalid value for --email" in bad.output
    before = _count()
    taken = _cli(app, "--email", "PATRICK@example.org", "--role", "staff", "--password", NEW_PASSWORD)
    assert taken.exit_code == 1
    assert "already exists" in taken.output
    assert _count() == before


def test_a_password_set_by_an_administrator_revokes_the_users_tokens(admin_client, staff, token_for):
    from kernel.users import ApiToken

    token_for(staff)
    form = {"name": staff.name, "email": staff.email, "role": staff.role, "language": "en", "active": "y",
            "password": "a fresh long passphrase 42", "confirmation": "a fresh long passphrase 42"}
    assert admin_client.post(f"/admin/users/{staff.id}/edit", data=form).status_code == 302
    assert db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == staff.id)) is None


def test_a_user_made_on_the_command_line_is_in_the_security_log(app):
    from kernel.security.models import SecurityEvent

    result = app.test_cli_runner().invoke(main, ["users", "create", "--email", "cli@example.org", "--role", "staff",
                                                 "--password", "a fresh long passphrase 42"])
    assert result.exit_code == 0, result.output
    event = db.session.scalar(select(SecurityEvent).where(SecurityEvent.event == "user.created"))
    assert event.details == {"role": "staff", "by": "command line"} and event.target_id is not None
