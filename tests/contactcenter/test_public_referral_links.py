"""The public referral page (/contactcenter/r/<token>, no login) links a resource's web site only
when it is an http(s) address; an address stored before addresses were checked shows as plain text.
A link sent before the page moved under the plugin's prefix (/r/<token>) leads to it."""

import re

import pytest
from sqlalchemy import select

from kernel.db import db
from kernel.outbox import OutboxMessage
from plugins.contactcenter.models import Referral
from tests.contactcenter.helpers import make_contact, make_profile, make_resource


def sent_link_path(staff, staff_client, resource) -> str:
    """The path of the link a referral's SMS carries."""
    contact = make_contact(staff, profile=make_profile(staff))
    staff_client.post(f"/contactcenter/contacts/{contact.id}/referrals", data={"resource_id": resource.id})
    referral = db.session.scalar(select(Referral))
    staff_client.post(f"/contactcenter/referrals/{referral.id}/sms")
    return re.search(r"https?://[^/\s]+(/\S+)", db.session.scalar(select(OutboxMessage.body))).group(1)


def public_page(app, staff, staff_client, resource) -> str:
    response = app.test_client().get(sent_link_path(staff, staff_client, resource))
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


def test_the_link_leads_to_the_page_under_the_contact_centres_prefix(app, staff, staff_client):
    path = sent_link_path(staff, staff_client, make_resource("Night shelter", None))
    assert re.fullmatch(r"/contactcenter/r/[\w-]{16}", path)


def test_a_link_sent_before_the_page_moved_still_leads_to_it(app, staff, staff_client):
    token = sent_link_path(staff, staff_client, make_resource("Night shelter", None)).rpartition("/")[2]
    anonymous = app.test_client()
    former = anonymous.get(f"/r/{token}")
    assert former.status_code == 308 and former.headers["Location"].endswith(f"/contactcenter/r/{token}")
    page = anonymous.get(f"/r/{token}", follow_redirects=True)
    assert page.status_code == 200 and "Night shelter" in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert anonymous.get("/r/made-up", follow_redirects=True).status_code == 410
