"""Sharing a public result list by SMS: the names and phones go to the outbox for the number the
visitor typed; a number that is not one is refused with a message next to the field; the sending
is rate-limited per address; the number is stored nowhere but in the outbox message."""

import pytest
from sqlalchemy import select

from kernel.db import db
from kernel.toolkit import OutboxMessage
from tests.directory.public_helpers import load_public_sample

SHARE = "/directory/public/share"


@pytest.fixture
def public(app, tmp_path):
    app.config["DIRECTORY_PUBLIC"] = True
    return load_public_sample(app, tmp_path)


def messages() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage)))


def test_the_list_goes_to_the_outbox_as_an_sms(app, public):
    client = app.test_client()
    form = client.get(SHARE, query_string={"q": "shelter", "lang": "en"})
    assert form.status_code == 200 and "Emergency shelter" in form.get_data(as_text=True)
    assert form.headers["Cache-Control"] == "no-store"  # it carries a CSRF token
    sent = client.post(SHARE, query_string={"q": "shelter", "lang": "en"}, data={"phone": "514 555 0199"})
    assert sent.status_code == 200
    assert "on its way" in sent.get_data(as_text=True)
    [message] = messages()
    assert message.channel == "sms" and message.recipient == "(514) 555-0199"
    assert "Emergency shelter – (514) 555-0101" in message.body
    assert "/directory/public/?q=shelter" in message.body


def test_a_bad_number_is_refused_and_nothing_is_sent(app, public):
    client = app.test_client()
    refused = client.post(SHARE, query_string={"q": "shelter", "lang": "fr"}, data={"phone": "12"})
    assert refused.status_code == 422
    assert "n’est pas un numéro de téléphone" in refused.get_data(as_text=True)
    assert client.post(SHARE, query_string={"q": "shelter", "lang": "en"}, data={"phone": ""}).status_code == 422
    assert messages() == []


def test_sharing_needs_a_search(app, public):
    client = app.test_client()
    assert client.post(SHARE, data={"phone": "514 555 0199"}).status_code == 400
    assert "Search first" in client.get(SHARE, query_string={"lang": "en"}).get_data(as_text=True)
    assert messages() == []


def test_sending_is_rate_limited_hard(make_app, tmp_path):
    app = make_app(DIRECTORY_PUBLIC=True, RATELIMIT_ENABLED=True, DIRECTORY_PUBLIC_SMS_RATE_LIMIT="2 per hour")
    with app.app_context():
        load_public_sample(app, tmp_path)
        client = app.test_client()
        statuses = [client.post(SHARE, query_string={"q": "shelter", "lang": "en"},
                                data={"phone": "514 555 0199"}).status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        assert len(messages()) == 2
        assert client.get(SHARE, query_string={"q": "shelter", "lang": "en"}).status_code == 200  # reading is not sending
        db.session.remove()


def test_a_form_without_its_csrf_token_gets_the_public_page_in_the_visitors_language(make_app, tmp_path):
    app = make_app(DIRECTORY_PUBLIC=True, WTF_CSRF_ENABLED=True)
    with app.app_context():
        load_public_sample(app, tmp_path)
        refused = app.test_client().post(SHARE, query_string={"q": "shelter", "lang": "fr"},
                                         data={"phone": "514 555 0199"})
        assert refused.status_code == 400
        page = refused.get_data(as_text=True)
        assert "Le formulaire a expiré" in page and 'class="public-page"' in page
        assert messages() == []
        db.session.remove()
