"""A contact's channel everywhere: the five channels, the contact list's filter and column, the CSV
export, the REST API, the contact screen, and reports by channel (standard reports and the report
builder's column)."""

import pytest
from sqlalchemy import inspect

from kernel.db import db
from plugins.contactcenter import workflow
from plugins.contactcenter.models import CHANNELS, Contact
from tests.conftest import login
from tests.contactcenter.helpers import make_line, make_profile, make_resource, make_term
from tests.reports.helpers import cells


def seed(user):
    line = make_line()
    food = make_term("BD-1800.2000", "Food pantries")
    resource = make_resource("Food bank", food)
    profile = make_profile(user)
    for channel in ("phone", "phone", "sms", "walk_in"):
        contact = workflow.start_contact(user, channel=channel, line=line, caller_number="867 979 1234", agent=user)
        workflow.choose_profile(contact, profile, user)
        workflow.refer(contact, resource.id, user)
    db.session.commit()


def test_the_five_channels_are_offered():
    assert [value for value, _label in CHANNELS.items()] == ["phone", "chat", "sms", "email", "walk_in"]


def test_the_channel_is_indexed(app):
    indexed = [index["column_names"] for index in inspect(db.engine).get_indexes("contactcenter_contacts")]
    assert ["channel"] in indexed


def test_the_list_filters_and_shows_the_channel_and_so_do_the_export_and_the_api(app, admin, login_as, token_for):
    seed(admin)
    headers = token_for(admin)
    browser = login_as(admin)
    page = browser.get("/helpline-contacts/?channel__in=sms").get_data(as_text=True)
    rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert rows.count("<tr>") == 1 and ">SMS</a></td>" in rows
    export = browser.get("/helpline-contacts/export.csv?channel__in=walk_in").get_data(as_text=True)
    assert export.count("\n") == 2 and "Walk-in" in export
    api = browser.get("/api/v1/helpline-contacts", headers=headers).get_json()
    assert sorted(item["channel"] for item in api["items"]) == ["phone", "phone", "sms", "walk_in"]


def test_the_contact_screen_names_the_channel(app, admin, login_as):
    seed(admin)
    contact_id = db.session.query(Contact.id).filter(Contact.channel == "walk_in").scalar()
    assert "Walk-in" in login_as(admin).get(f"/contactcenter/contacts/{contact_id}").get_data(as_text=True)


@pytest.mark.parametrize("language, sms, phone", [("en", "SMS", "Phone"), ("fr", "SMS", "Téléphone")])
def test_reports_break_down_by_channel(make_app, make_user, language, sms, phone):
    app = make_app()
    with app.app_context():
        manager = make_user("supervisor", language=language)
        seed(manager)
        browser = login(app.test_client(), manager)
        for key in ("contactcenter_contacts_by_channel", "contactcenter_referrals_by_channel"):
            response = browser.get(f"/reports/standard/{key}", follow_redirects=True)
            assert response.status_code == 200, key
            rows = {row[0]: row[-1] for row in cells(response.get_data(as_text=True))}
            assert (rows.get(phone), rows.get(sms)) == ("2", "1"), (key, rows)
        built = browser.get("/reports/build?entity=service_need&columns=contactcenter.contact_channel")
        assert built.status_code == 200 and sms in built.get_data(as_text=True)
