"""The outbox: messages are queued with the request's work, sent by the worker's drain to a real SMTP
server (or an SMS provider), retried with back-off, and shown to administrators."""

import logging
import socket
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from kernel import hookimpl
from kernel.db import db, utcnow
from kernel.mail import send_email
from kernel.outbox import FAILED, QUEUED, SENDING, SENT, OutboxMessage, backoff, drain, queue_email, queue_sms
from kernel.plugins import PluginError
from kernel.users import User
from tests.conftest import TEST_PASSWORD, login


class Mailbox:
    """aiosmtpd handler that keeps every message; ``refuse`` makes it refuse every recipient."""

    def __init__(self, refuse=False):
        self.messages = []
        self.refuse = refuse

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtp_server(refuse=False):
    box = Mailbox(refuse)
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    box.port = controller.port
    return box, controller


@pytest.fixture
def mailbox():
    box, controller = smtp_server()
    yield box
    controller.stop()


@pytest.fixture
def refusing_mailbox():
    box, controller = smtp_server(refuse=True)
    yield box
    controller.stop()


@pytest.fixture
def smtp_app(make_app):
    """``smtp_app(port, **settings)``: an app sending through 127.0.0.1:port, in its app context."""
    contexts = []

    def build(port, **overrides):
        app = make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=port, **overrides)
        context = app.app_context()
        context.push()
        contexts.append(context)
        return app

    yield build
    for context in reversed(contexts):
        db.session.remove()
        context.pop()


def administrator_client(app):
    """A logged-in administrator of ``app`` (for tests that build their own app)."""
    user = User(email="ada@example.org", name="Ada Admin", role="administrator", language="en")
    user.set_password(TEST_PASSWORD)
    db.session.add(user)
    db.session.commit()
    return login(app.test_client(), user)


def messages() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def only_message() -> OutboxMessage:
    [message] = messages()
    return message


def test_a_queued_email_reaches_the_smtp_server_after_a_drain(smtp_app, mailbox):
    smtp_app(mailbox.port, MAIL_FROM="crm@example.org")
    send_email("nora@example.org", "Welcome", "Hello Nora")
    db.session.commit()
    assert only_message().status == QUEUED
    assert mailbox.messages == []  # queued, not sent yet

    report = drain()

    assert (report.sent, report.retrying, report.failed) == (1, 0, 0)
    [(recipients, message)] = mailbox.messages
    assert recipients == ["nora@example.org"]
    assert (message["From"], message["To"], message["Subject"]) == ("crm@example.org", "nora@example.org", "Welcome")
    assert message.get_body(("plain",)).get_content().strip() == "Hello Nora"
    row = only_message()
    assert row.status == SENT and row.attempts == 1 and row.sent_at is not None and row.locked_until is None
    assert row.provider_message_id == message["Message-ID"]
    assert drain().handled == 0 and len(mailbox.messages) == 1  # sent once


def test_a_message_is_queued_only_if_the_work_commits(app):
    queue_email("nora@example.org", "Never", "Rolled back")
    db.session.rollback()
    assert messages() == []


def test_without_smtp_host_the_email_is_printed_and_marked_sent(app, capsys):
    queue_email("nora@example.org", "Development", "Printed body")
    db.session.commit()
    assert drain().sent == 1
    printed = capsys.readouterr().out
    assert "To: nora@example.org" in printed and "Printed body" in printed
    assert only_message().status == SENT


def test_a_refused_email_is_retried_with_back_off_then_failed_and_shown_to_administrators(
        smtp_app, refusing_mailbox):
    app = smtp_app(refusing_mailbox.port, OUTBOX_MAX_ATTEMPTS=3)
    queue_email("nobody@example.org", "Unlucky", "Refused")
    db.session.commit()
    start = utcnow()

    assert drain(now=start).retrying == 1
    first = only_message()
    assert (first.status, first.attempts) == (QUEUED, 1)
    assert "550" in first.last_error and "Mailbox unavailable" in first.last_error
    assert first.next_attempt_at == start + timedelta(minutes=1)

    assert drain(now=start + timedelta(seconds=30)).handled == 0  # not due yet
    second_try = start + timedelta(minutes=1, seconds=1)
    assert drain(now=second_try).retrying == 1
    assert only_message().next_attempt_at == second_try + timedelta(minutes=5)

    assert drain(now=second_try + timedelta(minutes=5, seconds=1)).failed == 1
    failed = only_message()
    assert (failed.status, failed.attempts, failed.sent_at) == (FAILED, 3, None)
    assert drain(now=start + timedelta(days=2)).handled == 0  # failed is final

    page = administrator_client(app).get("/admin/outbox?status=failed").get_data(as_text=True)
    assert "nobody@example.org" in page and "Mailbox unavailable" in page and "Retry now" in page


def test_an_unreachable_smtp_server_leads_to_retries(smtp_app):
    smtp_app(free_port())  # nothing listens there
    queue_email("nora@example.org", "Later", "Body")
    db.session.commit()
    assert drain().retrying == 1
    message = only_message()
    assert message.status == QUEUED and message.attempts == 1 and "ConnectionRefusedError" in message.last_error


def test_back_off_grows_then_stays_at_a_day():
    assert [backoff(n) for n in (1, 2, 3, 4)] == [
        timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2)]
    assert backoff(20) == timedelta(days=1)


def _claimed_row(locked_until, attempts=1) -> OutboxMessage:
    message = queue_email("nora@example.org", "Claimed", "Body")
    message.status, message.locked_until, message.attempts = SENDING, locked_until, attempts
    db.session.commit()
    return message


def test_a_message_claimed_by_a_worker_that_died_is_sent_by_the_next_drain(smtp_app, mailbox):
    smtp_app(mailbox.port)
    _claimed_row(utcnow() - timedelta(seconds=1))
    assert drain().sent == 1
    assert len(mailbox.messages) == 1
    message = only_message()
    assert (message.status, message.attempts) == (SENT, 2)


def test_a_message_claimed_by_a_live_worker_is_not_sent_twice(smtp_app, mailbox):
    smtp_app(mailbox.port)
    _claimed_row(utcnow() + timedelta(minutes=4))
    assert drain().handled == 0
    assert mailbox.messages == []
    assert only_message().status == SENDING


def test_a_worker_that_died_on_the_last_attempt_leaves_a_failed_message(smtp_app, mailbox):
    smtp_app(mailbox.port, OUTBOX_MAX_ATTEMPTS=2)
    _claimed_row(utcnow() - timedelta(seconds=1), attempts=2)
    drain()
    assert mailbox.messages == []
    message = only_message()
    assert message.status == FAILED and "stopped while sending" in message.last_error


def test_an_administrator_retries_a_failed_message(smtp_app, mailbox):
    app = smtp_app(mailbox.port)
    message = queue_email("nora@example.org", "Second chance", "Body")
    message.status, message.attempts, message.last_error = FAILED, 6, "SMTPServerDisconnected: gone"
    db.session.commit()
    client = administrator_client(app)
    response = client.post(f"/admin/outbox/{message.id}/retry", data={"next": "/admin/outbox?status=failed"})
    assert response.status_code == 302 and response.location == "/admin/outbox?status=failed"
    retried = only_message()
    assert (retried.status, retried.attempts) == (QUEUED, 0)
    assert drain().sent == 1 and len(mailbox.messages) == 1
    assert client.post(f"/admin/outbox/{message.id}/retry").status_code == 404  # only failed ones


def test_the_outbox_page_filters_by_status_and_channel_and_pages(app, admin, login_as):
    for number in range(55):
        queue_email(f"person{number}@example.org", f"Message {number}", "Body")
    queue_sms("+18675550100", "Your appointment is tomorrow")
    db.session.commit()
    client = login_as(admin)

    sms_page = client.get("/admin/outbox?channel=sms").get_data(as_text=True)
    assert "+18675550100" in sms_page and "Your appointment is tomorrow" in sms_page
    assert "person1@example.org" not in sms_page

    first = client.get("/admin/outbox?channel=email&status=queued").get_data(as_text=True)
    assert "55 messages" in first and "Page 1 of 2" in first and "Message 54" in first and "Message 4<" not in first
    second = client.get("/admin/outbox?channel=email&status=queued&page=2").get_data(as_text=True)
    assert "Message 4<" in second and "Message 54" not in second
    assert "No message matches." in client.get("/admin/outbox?status=failed").get_data(as_text=True)


def test_only_administrators_see_the_outbox(app, admin, staff, login_as, make_user):
    assert login_as(staff).get("/admin/outbox").status_code == 403
    assert login_as(make_user("supervisor")).get("/admin/outbox").status_code == 403
    assert login_as(staff).post("/admin/outbox/1/retry").status_code == 403
    admin_client = login_as(admin)
    assert admin_client.get("/admin/outbox").status_code == 200
    assert "/admin/outbox" in admin_client.get("/").get_data(as_text=True)  # in the sidebar
    assert "/admin/outbox" not in login_as(staff).get("/").get_data(as_text=True)


# -- SMS ------------------------------------------------------------------------------------

def test_the_log_sms_provider_writes_the_message_to_the_log(app, caplog):
    queue_sms("+18675550100", "See you at 10")
    db.session.commit()
    with caplog.at_level(logging.INFO, logger="passerelle.outbox"):
        assert drain().sent == 1
    message = only_message()
    assert message.status == SENT and message.provider_message_id.startswith("log-")
    assert "+18675550100" in caplog.text and "See you at 10" in caplog.text


class FakeGateway:
    def __init__(self, failure=None):
        self.sent = []
        self.failure = failure

    def send(self, to, body):
        if self.failure:
            raise self.failure
        self.sent.append((to, body))
        return f"gw-{len(self.sent)}"


class SmsPlugin:
    """A plugin offering an SMS gateway through ``passerelle_sms_providers``."""

    def __init__(self, gateway):
        self.gateway = gateway

    @hookimpl
    def passerelle_sms_providers(self):
        return {"fake": self.gateway}


def _app_with_gateway(make_app, gateway, **settings):
    app = make_app(extra_plugins={"sms": SmsPlugin(gateway)}, SMS_PROVIDER="fake", **settings)
    context = app.app_context()
    context.push()
    return context


def test_an_sms_goes_through_the_provider_of_a_plugin(make_app):
    gateway = FakeGateway()
    context = _app_with_gateway(make_app, gateway)
    try:
        queue_sms("+18675550100", "Hello from the gateway")
        db.session.commit()
        assert drain().sent == 1
        assert gateway.sent == [("+18675550100", "Hello from the gateway")]
        assert only_message().provider_message_id == "gw-1"
    finally:
        db.session.remove()
        context.pop()


def test_a_failing_sms_provider_leads_to_retries(make_app):
    context = _app_with_gateway(make_app, FakeGateway(RuntimeError("gateway said 503")))
    try:
        queue_sms("+18675550100", "Hello")
        db.session.commit()
        assert drain().retrying == 1
        message = only_message()
        assert message.status == QUEUED and message.last_error == "RuntimeError: gateway said 503"
    finally:
        db.session.remove()
        context.pop()


def test_an_unknown_sms_provider_stops_the_start(make_app):
    with pytest.raises(PluginError, match="SMS_PROVIDER is 'nowhere'"):
        make_app(SMS_PROVIDER="nowhere")
