"""Purposes are a choice list administrators extend, on the choice lists screen; an added purpose
is offered on every person's Consents panel and enforced like the others."""

from kernel import customisation as custom
from kernel import records
from kernel.consent import PURPOSES
from kernel.db import db
from kernel.registry import entities


def test_the_purposes_are_on_the_choice_lists_screen_and_an_added_one_is_offered(admin, admin_client, staff,
                                                                               staff_client):
    page = admin_client.get("/admin/choices").get_data(as_text=True)
    assert "Consents · Purpose" in page
    assert "Research and funder statistics" in admin_client.get("/admin/choices/consent_purpose").get_data(as_text=True)
    rows = custom.option_rows(PURPOSES)
    custom.save_options("consent_purpose", rows, [custom.OptionRow("photos", "Photos in our annual report",
                                                                   "Photos dans notre rapport annuel", "")])
    db.session.commit()
    client = records.create(entities().get("client"), {"last_name": "Tremblay"}, staff)
    db.session.commit()
    assert "Photos in our annual report" in staff_client.get(f"/clients/{client.id}").get_data(as_text=True)
    recorded = staff_client.post(f"/privacy/consents/clients/{client.id}",
                                 data={"purpose": "photos", "given": "1", "channel": "form"})
    assert recorded.status_code == 302
