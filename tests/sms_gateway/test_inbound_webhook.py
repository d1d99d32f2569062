"""The gateway's inbound webhook: only a message signed with the gateway's token is read (403
otherwise, nothing saved), the CSRF check does not apply to it, a bad form gets a clear 400, and a
message the gateway sends again is taken once."""

import pytest
from sqlalchemy import func, select

from kernel.db import db
from plugins.contactcenter.models import Contact
from plugins.contactcenter.texting.models import TextMessage
from plugins.sms_gateway.inbound import signature

TOKEN = "inbound-secret"
URL = "/sms_gateway/inbound"
BASE_URL = "https://crm.example.org"


@pytest.fixture
def gateway_app(make_app):
    app = make_app(SMS_GATEWAY_TOKEN=TOKEN, BASE_URL=BASE_URL, WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app


def form(sid="SM1", sender="+18679791234", body="I need a place to sleep tonight"):
    return {"From": sender, "To": "+18675550000", "Body": body, "MessageSid": sid}


def post(app, data, token=TOKEN, url=BASE_URL + URL):
    headers = {"Accept-Language": "en"}
    if token:
        headers["X-Twilio-Signature"] = signature(url, data, token)
    return app.test_client().post(URL, data=data, headers=headers)


def counts():
    db.session.expire_all()
    return (db.session.scalar(select(func.count(Contact.id))), db.session.scalar(select(func.count(TextMessage.id))))


def test_a_signed_message_is_taken_and_answered_with_empty_twiml(gateway_app):
    response = post(gateway_app, form())
    assert response.status_code == 200, response.data
    assert response.mimetype == "text/xml" and b"<Response></Response>" in response.data
    assert counts() == (1, 1)


def test_the_signature_follows_the_gateways_rule():
    # url, then each parameter's name and value sorted by name, HMAC-SHA1 with the token, base64
    import base64
    import hashlib
    import hmac

    expected = base64.b64encode(hmac.new(b"t", b"https://x/yA1B2", hashlib.sha1).digest()).decode()
    assert signature("https://x/y", {"B": "2", "A": "1"}, "t") == expected


@pytest.mark.parametrize("token", [None, "another-token"])
def test_an_unsigned_or_wrongly_signed_message_is_refused_and_nothing_saved(gateway_app, token):
    response = post(gateway_app, form(), token=token)
    assert response.status_code == 403
    assert "not signed" in response.get_json()["error"]
    assert counts() == (0, 0)


def test_a_signature_of_other_values_is_refused(gateway_app):
    data = form()
    headers = {"X-Twilio-Signature": signature(BASE_URL + URL, data, TOKEN)}
    response = gateway_app.test_client().post(URL, data={**data, "Body": "tampered"}, headers=headers)
    assert response.status_code == 403 and counts() == (0, 0)


def test_without_a_token_configured_every_message_is_refused(make_app):
    app = make_app(BASE_URL=BASE_URL)
    with app.app_context():
        assert post(app, form()).status_code == 403


def test_a_message_without_sender_or_id_gets_a_clear_400(gateway_app):
    response = post(gateway_app, form(sender=""))
    assert response.status_code == 400 and "its sender and its identifier" in response.get_json()["error"]
    response = post(gateway_app, form(sid="x" * 65))
    assert response.status_code == 400
    assert counts() == (0, 0)


def test_the_gateway_retrying_a_message_adds_it_once(gateway_app):
    assert post(gateway_app, form(sid="SMretry")).status_code == 200
    assert post(gateway_app, form(sid="SMretry")).status_code == 200
    assert counts() == (1, 1)


def test_the_refusal_is_translated(gateway_app):
    response = gateway_app.test_client().post(URL, data=form(), headers={"Accept-Language": "fr"})
    assert response.status_code == 403
    assert "passerelle SMS" in response.get_json()["error"]
