"""The public referral page (/r/<token>, no login) links a resource's web site only when it is an
http(s) address; an address stored before addresses were checked shows as plain text."""

import re

import pytest
from sqlalchemy import select

from kernel.db import db
from kernel.outbox import OutboxMessage
from plugins.contactcenter.models import Referral
from tests.contactcenter.helpers import make_contact, make_profile, make_resource


def public_page(app, staff, staff_client, resource) -> str:
    contact = make_contact(staff, profile=make_profile(staff))
    staff_client.post(f"/contactcenter/contacts/{contact.id}/referrals", data={"resource_id": resource.id})
    referral = db.session.scalar(select(Referral))
    staff_client.post(f"/contactcenter/referrals/{referral.id}/sms")
    token = re.search(r"/r/(\S+)", db.session.scalar(select(OutboxMessage.body))).group(1)
    response = app.test_client().get(f"/r/{token}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("stored", ["javascript:alert(document.cookie)", " javascript:alert(1)",
                                   "data:text/html,<script>alert(1)</script>"])
def test_a_hostile_address_already_stored_is_shown_as_text_not_as_a_link(app, staff, staff_client, stored):
    page = public_page(app, staff, staff_client, make_resource("Night shelter", None, url=stored))
    assert "alert(" in page  # the text is there, escaped
    assert not re.search(r'<a [^>]*href="[^"]*(javascript|data:)', page, re.IGNORECASE)


def test_an_http_address_is_a_link(app, staff, staff_client):
    page = public_page(app, staff, staff_client, make_resource("Night shelter", None, url="https://shelter.example.org"))
    assert '<a href="https://shelter.example.org"' in page
