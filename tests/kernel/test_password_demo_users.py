"""Demo users have passwords of their own, never the administrator's; the file holding the
administrator's generated password goes once they choose their own."""

from sqlalchemy import select

from kernel.db import db
from kernel.setup import (
    ADMIN_EMAIL,
    DEMO_USERS,
    demo_password,
    demo_passwords_file,
    first_start,
    login_banner,
    password_file,
)
from kernel.users import User
from tests.conftest import login

NEW_PASSWORD = "seven green lanterns"


def _can_log_in(app, email, password) -> bool:
    return app.test_client().post("/login", data={"email": email, "password": password}).status_code == 302


def test_each_demo_user_has_a_password_of_their_own(app):
    admin_password = first_start(load_demo=True)
    passwords = {email: demo_password(email) for email, _name, _role in DEMO_USERS}
    assert None not in passwords.values() and len(set(passwords.values()) | {admin_password}) == 4
    assert (demo_passwords_file().stat().st_mode & 0o777) == 0o600
    banner = login_banner()
    assert admin_password in banner and all(password in banner for password in passwords.values())
    assert "deleted once the administrator sets a password" in banner
    for email in passwords:
        assert not _can_log_in(app, email, admin_password)
    assert _can_log_in(app, DEMO_USERS[1][0], passwords[DEMO_USERS[1][0]])


def test_the_generated_password_file_goes_once_the_administrator_chooses_a_password(app):
    admin_password = first_start(load_demo=False)
    assert password_file().exists()
    admin = db.session.scalar(select(User).where(User.email == ADMIN_EMAIL))
    client = login(app.test_client(), admin, password=admin_password)
    response = client.post("/profile/password", data={
        "current": admin_password, "password": NEW_PASSWORD, "confirmation": NEW_PASSWORD})
    assert response.status_code == 302
    assert not password_file().exists()
    assert admin_password not in login_banner()
