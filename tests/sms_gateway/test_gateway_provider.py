"""The SMS gateway provider, against a local fake gateway of the Twilio kind started in the test:
an SMS of the outbox reaches it with the right number, sender, text and credentials; a refusal or
an unreachable gateway leads to the outbox's retries, with the gateway's reason."""

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from sqlalchemy import select

from kernel.db import db
from kernel.outbox import OutboxMessage, drain, queue_sms
from tests.kernel.test_outbox import free_port

ACCOUNT, TOKEN = "AC123", "secret-token"


class FakeGateway(ThreadingHTTPServer):
    def __init__(self, refuse=False):
        super().__init__(("127.0.0.1", 0), GatewayHandler)
        self.received = []
        self.refuse = refuse

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class GatewayHandler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - the standard library's name
        length = int(self.headers.get("Content-Length") or 0)
        form = {key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()}
        self.server.received.append({"path": self.path, "auth": self.headers.get("Authorization"), **form})
        if self.server.refuse:
            self.answer(400, {"code": 21211, "message": "The 'To' number is not a valid phone number."})
        else:
            self.answer(201, {"sid": f"SM{len(self.server.received):032d}", "status": "queued"})

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def serve(refuse=False):
    server = FakeGateway(refuse)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture
def gateway():
    server = serve()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def refusing_gateway():
    server = serve(refuse=True)
    yield server
    server.shutdown()
    server.server_close()


def gateway_app(make_app, url, **overrides):
    app = make_app(SMS_PROVIDER="gateway", SMS_GATEWAY_URL=url, SMS_GATEWAY_ACCOUNT=ACCOUNT,
                   SMS_GATEWAY_TOKEN=TOKEN, SMS_GATEWAY_FROM="+18675550000", **overrides)
    return app


def only_message() -> OutboxMessage:
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage)).one()


def test_an_sms_of_the_outbox_reaches_the_gateway(make_app, gateway):
    app = gateway_app(make_app, gateway.url)
    with app.app_context():
        queue_sms("+1 867 979 1234", "Night shelter: https://example.org/r/abc")
        db.session.commit()
        assert drain().sent == 1
        message = only_message()
        assert message.status == "sent" and message.provider_message_id == f"SM{1:032d}"
    [request] = gateway.received
    assert request["path"] == f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
    assert (request["To"], request["From"], request["Body"]) == (
        "+1 867 979 1234", "+18675550000", "Night shelter: https://example.org/r/abc")
    assert request["auth"] == "Basic " + base64.b64encode(f"{ACCOUNT}:{TOKEN}".encode()).decode()


def test_a_refusal_is_retried_later_with_the_gateways_reason(make_app, refusing_gateway):
    app = gateway_app(make_app, refusing_gateway.url)
    with app.app_context():
        queue_sms("123", "hello")
        db.session.commit()
        report = drain()
        message = only_message()
    assert report.retrying == 1 and message.status == "queued"
    assert "400" in message.last_error and "not a valid phone number" in message.last_error


def test_an_unreachable_gateway_is_retried(make_app):
    app = gateway_app(make_app, f"http://127.0.0.1:{free_port()}", SMS_GATEWAY_TIMEOUT=2)
    with app.app_context():
        queue_sms("+18679791234", "hello")
        db.session.commit()
        assert drain().retrying == 1
        assert "unreachable" in only_message().last_error


def test_missing_credentials_are_named(make_app, gateway):
    app = make_app(SMS_PROVIDER="gateway", SMS_GATEWAY_URL=gateway.url)
    with app.app_context():
        queue_sms("+18679791234", "hello")
        db.session.commit()
        drain()
        assert "SMS_GATEWAY_ACCOUNT" in only_message().last_error
    assert gateway.received == []
