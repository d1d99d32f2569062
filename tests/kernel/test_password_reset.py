"""Forgotten password: a real SMTP server receives the link; the link works once, for a limited time."""

import re
import socket
import time
from email import message_from_bytes, policy
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from itsdangerous import TimestampSigner

from kernel.db import db
from kernel.outbox import drain
from kernel.users import User
from tests.conftest import TEST_PASSWORD

NEW_PASSWORD = "a brand new passphrase"
LINK = re.compile(r"https?://\S+/password/reset/\S+")


class Mailbox:
    """aiosmtpd handler that keeps every message it is sent, as ``(recipients, message)``."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mailbox():
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=_free_port())
    controller.start()
    box.port = controller.port
    yield box
    controller.stop()


@pytest.fixture
def mail_app(make_app, mailbox):
    """An app that sends through the test SMTP server; ``mail_app(**settings)`` for other settings."""

    def build(**overrides):
        app = make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port, **overrides)
        with app.app_context():
            for email, name, language in (("nora@example.org", "Nora English", "en"),
                                          ("eloise@example.org", "Éloïse Française", "fr")):
                user = User(email=email, name=name, role="staff", language=language)
                user.set_password(TEST_PASSWORD)
                db.session.add(user)
            db.session.commit()
            db.session.remove()
        return app

    return build


@pytest.fixture
def app_with_mail(mail_app):
    app = mail_app()
    with app.app_context():
        yield app
        db.session.remove()


def _english_client(app):
    client = app.test_client()
    client.get("/language/en")
    return client


def _ask_for_link(client, email):
    response = client.post("/password/forgot", data={"email": email})
    _send_queued_mail(client.application)
    return response


def _send_queued_mail(app):
    """E-mails go through the outbox: the worker's drain hands them to the SMTP server."""
    with app.app_context():
        drain()


def _link_path(message) -> str:
    match = LINK.search(message.get_body(("plain",)).get_content())
    assert match, "no reset link in the message"
    return urlsplit(match.group(0)).path


def _log_in(app, email, password):
    return app.test_client().post("/login", data={"email": email, "password": password}).status_code


def _set_password(client, path, password=NEW_PASSWORD, confirmation=None):
    return client.post(path, data={"password": password, "confirmation": confirmation or password})


def test_forgot_password_sends_a_message_with_a_link(app_with_mail, mailbox):
    client = _english_client(app_with_mail)
    assert "Forgot your password?" in client.get("/password/forgot").get_data(as_text=True)
    response = _ask_for_link(client, "Nora@Example.org")
    assert response.status_code == 302 and response.location == "/login"
    assert "a message with a link to choose a new password is on its way" in client.get("/login").get_data(
        as_text=True)

    assert len(mailbox.messages) == 1
    recipients, message = mailbox.messages[0]
    assert recipients == ["nora@example.org"]
    assert message["To"] == "nora@example.org"
    assert message["Subject"] == "Passerelle: reset your password"
    body = message.get_body(("plain",)).get_content()
    assert "Hello Nora English," in body
    assert "The link works once, for 60 minutes." in body
    assert LINK.search(body).group(0).startswith("http://127.0.0.1:5000/password/reset/")


def test_the_message_is_in_the_language_of_the_user(app_with_mail, mailbox):
    _ask_for_link(_english_client(app_with_mail), "eloise@example.org")
    assert len(mailbox.messages) == 1
    _recipients, message = mailbox.messages[0]
    assert message["Subject"] == "Passerelle\u00a0: réinitialisez votre mot de passe"
    body = message.get_body(("plain",)).get_content()
    assert "Bonjour Éloïse Française," in body
    assert "Someone (probably you)" not in body
    assert LINK.search(body)


def test_the_link_lets_the_user_choose_a_new_password(app_with_mail, mailbox):
    client = _english_client(app_with_mail)
    _ask_for_link(client, "nora@example.org")
    path = _link_path(mailbox.messages[0][1])

    form = client.get(path)
    assert form.status_code == 200
    assert "Choose a new password" in form.get_data(as_text=True)
    response = _set_password(client, path)
    assert response.status_code == 302 and response.location == "/login"
    assert "Your password is changed. You can log in." in client.get("/login").get_data(as_text=True)

    assert _log_in(app_with_mail, "nora@example.org", NEW_PASSWORD) == 302
    assert _log_in(app_with_mail, "nora@example.org", TEST_PASSWORD) == 401


def test_the_link_works_only_once(app_with_mail, mailbox):
    client = _english_client(app_with_mail)
    _ask_for_link(client, "nora@example.org")
    path = _link_path(mailbox.messages[0][1])
    assert _set_password(client, path).status_code == 302

    again = client.get(path)
    assert again.status_code == 302 and again.location == "/password/forgot"
    assert "This link has expired or was already used." in client.get(again.location).get_data(as_text=True)
    assert _set_password(client, path, "someone else's password").status_code == 302
    assert _log_in(app_with_mail, "nora@example.org", "someone else's password") == 401
    assert _log_in(app_with_mail, "nora@example.org", NEW_PASSWORD) == 302


def test_a_link_stops_working_once_the_password_is_changed_another_way(app_with_mail, mailbox, login_as):
    client = _english_client(app_with_mail)
    _ask_for_link(client, "nora@example.org")
    path = _link_path(mailbox.messages[0][1])
    user = db.session.query(User).filter_by(email="nora@example.org").one()
    login_as(user).post("/profile/password", data={
        "current": TEST_PASSWORD, "password": NEW_PASSWORD, "confirmation": NEW_PASSWORD})
    assert client.get(path).location == "/password/forgot"


def test_an_expired_link_is_refused(mail_app, mailbox, monkeypatch):
    app = mail_app(PASSWORD_RESET_MAX_AGE=600)
    client = _english_client(app)
    _ask_for_link(client, "nora@example.org")
    message = mailbox.messages[0][1]
    assert "for 10 minutes" in message.get_body(("plain",)).get_content()
    path = _link_path(message)
    sent_at = int(time.time())

    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: sent_at + 590)
    assert client.get(path).status_code == 200  # still valid just before the end

    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: sent_at + 660)
    response = client.get(path)
    assert response.status_code == 302 and response.location == "/password/forgot"
    assert "This link has expired or was already used." in client.get(response.location).get_data(as_text=True)
    assert _set_password(client, path).location == "/password/forgot"
    monkeypatch.undo()
    assert _log_in(app, "nora@example.org", NEW_PASSWORD) == 401
    assert _log_in(app, "nora@example.org", TEST_PASSWORD) == 302


def test_a_tampered_link_is_refused(app_with_mail, mailbox):
    client = _english_client(app_with_mail)
    _ask_for_link(client, "nora@example.org")
    path = _link_path(mailbox.messages[0][1])
    assert client.get(path[:-3] + "xyz").location == "/password/forgot"
    assert client.get("/password/reset/not-a-token").location == "/password/forgot"


def test_a_short_or_mismatched_password_is_refused_and_the_link_still_works(app_with_mail, mailbox):
    client = _english_client(app_with_mail)
    _ask_for_link(client, "nora@example.org")
    path = _link_path(mailbox.messages[0][1])

    short = _set_password(client, path, "short")
    assert short.status_code == 422
    assert "The password needs at least 10 characters." in short.get_data(as_text=True)
    mismatch = _set_password(client, path, NEW_PASSWORD, NEW_PASSWORD + "!")
    assert mismatch.status_code == 422
    assert "The two passwords are not the same." in mismatch.get_data(as_text=True)
    assert _log_in(app_with_mail, "nora@example.org", TEST_PASSWORD) == 302

    assert _set_password(client, path).status_code == 302
    assert _log_in(app_with_mail, "nora@example.org", NEW_PASSWORD) == 302


def test_an_unknown_address_gets_the_same_answer_and_no_message(app_with_mail, mailbox):
    known_client, unknown_client = _english_client(app_with_mail), _english_client(app_with_mail)
    known = _ask_for_link(known_client, "nora@example.org")
    unknown = _ask_for_link(unknown_client, "nobody@example.org")
    assert (unknown.status_code, unknown.location) == (known.status_code, known.location)
    known_page = known_client.get("/login").get_data(as_text=True)
    unknown_page = unknown_client.get("/login").get_data(as_text=True)
    assert _flashes(unknown_page) == _flashes(known_page)
    assert "on its way" in _flashes(unknown_page)
    assert [recipients for recipients, _message in mailbox.messages] == [["nora@example.org"]]


def test_an_inactive_user_gets_no_message(app_with_mail, mailbox):
    user = db.session.query(User).filter_by(email="nora@example.org").one()
    user.active = False
    db.session.commit()
    response = _ask_for_link(_english_client(app_with_mail), "nora@example.org")
    assert response.status_code == 302
    assert mailbox.messages == []


def _flashes(page: str) -> str:
    match = re.search(r'<div class="flashes".*?</div>', page, re.S)
    return match.group(0) if match else ""


def test_the_link_carries_no_part_of_the_password_hash(app_with_mail, mailbox):
    from kernel.views.auth import _serializer

    _ask_for_link(_english_client(app_with_mail), "nora@example.org")
    token = _link_path(mailbox.messages[0][1]).rsplit("/", 1)[1]
    with app_with_mail.app_context():
        _valid, data = _serializer().loads_unsafe(token)
    user = db.session.query(User).filter_by(email="nora@example.org").one()
    assert set(data) == {"user", "stamp"}
    assert all(user.password_hash[start:start + 8] not in data["stamp"] for start in range(0, 80, 8))
    assert user.password_hash[-16:] not in token


def test_a_newer_link_supersedes_the_earlier_ones(app_with_mail, mailbox, monkeypatch):
    from itsdangerous import TimestampSigner

    client = _english_client(app_with_mail)
    real_timestamp = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real_timestamp(self) - 120)
    db.session.remove()
    from kernel.views.auth import reset_token

    user = db.session.query(User).filter_by(email="nora@example.org").one()
    earlier = f"/password/reset/{reset_token(user)}"  # signed two minutes ago
    monkeypatch.setattr(TimestampSigner, "get_timestamp", real_timestamp)
    assert client.get(earlier).status_code == 200  # no request since: it still works
    _ask_for_link(client, "nora@example.org")
    newer = _link_path(mailbox.messages[0][1])
    assert client.get(earlier).location == "/password/forgot"
    assert client.get(newer).status_code == 200
