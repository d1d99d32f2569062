"""Dashlets (my open contacts, contacts waiting on my lines, today's figures), the closing
checklist's settings, and the contact centre's report declarations."""

import pytest
from sqlalchemy import select

from kernel.db import db
from kernel.reporting import ReportColumn, StandardReport
from plugins.contactcenter import workflow
from plugins.contactcenter.models import ChecklistSettings
from tests.contactcenter.helpers import make_contact, make_line, make_profile


def test_my_open_contacts_and_todays_figures(app, staff, make_user, login_as):
    line = make_line()
    mine = make_contact(staff, line=line, caller="867 979 1111")
    make_contact(staff, line=line, caller="867 979 2222")
    workflow.force_close(mine, staff, "test")
    staff.workspace = "contact_centre"  # an agent: their dashboard starts with their contacts
    db.session.commit()
    page = login_as(staff).get("/").get_data(as_text=True)
    assert "My open contacts" in page and "(867) 979-2222" in page
    supervisor = login_as(make_user("supervisor", email="sam@example.org", workspace="contact_centre"))
    figures = supervisor.get("/").get_data(as_text=True)
    assert "Today&#39;s contacts" in figures or "Today's contacts" in figures
    block = figures[figures.index("figures"):]
    assert "<dt>Contacts</dt><dd>2</dd>" in block and "<dt>Closed incomplete</dt><dd>1</dd>" in block
    assert "Main line: 2" in block


def test_the_checklist_settings_are_for_supervisors(app, staff, make_user, login_as):
    assert login_as(staff).get("/admin/contactcenter/checklist").status_code == 403
    client = login_as(make_user("supervisor", email="sam@example.org"))
    page = client.get("/admin/contactcenter/checklist").get_data(as_text=True)
    assert "Postal code" in page and "Preferred language" in page
    client.post("/admin/contactcenter/checklist", data={"require_tags": "1", "demographics": ["postal_code", "bogus"]})
    settings = db.session.scalar(select(ChecklistSettings))
    assert settings.require_tags is True and settings.required_demographics == ["postal_code"]


def test_a_contact_record_page_leads_to_the_contact_screen(app, staff, staff_client):
    contact = make_contact(staff, profile=make_profile(staff))
    page = staff_client.get(f"/helpline-contacts/{contact.id}").get_data(as_text=True)
    assert f'href="/contactcenter/contacts/{contact.id}"' in page


def test_report_columns_and_standard_reports_are_declared_on_existing_fields(app):
    from kernel.registry import entities, plugins

    columns = plugins().collect("passerelle_report_columns")
    reports = plugins().collect("passerelle_standard_reports")
    assert all(isinstance(column, ReportColumn) for column in columns)
    keys = {f"contactcenter.{column.name}" for column in columns}
    mine = [report for report in reports if isinstance(report, StandardReport) and report.key.startswith("contactcenter")]
    assert {report.key for report in mine} == {
        "contactcenter_contacts_by_line_and_channel", "contactcenter_top_needs", "contactcenter_service_gaps",
        "contactcenter_referrals_by_resource", "contactcenter_incomplete_contacts", "contactcenter_contacts_by_channel",
        "contactcenter_referrals_by_channel", "contactcenter_followups_by_resource", "contactcenter_followups_by_need_type"}
    for report in mine:
        entity = entities().get(report.entity)
        for name in report.group_by + report.columns:
            name = name.split(":")[0]
            assert name in entity.fields or name in keys or name == "created_at", (report.key, name)


def test_report_columns_run_in_one_query_on_this_database(app, staff, directory_with_referral):
    from kernel.registry import entities, plugins
    from kernel.reporting import Period

    for column in plugins().collect("passerelle_report_columns"):
        if not column.name.startswith(("primary_need", "needs", "referrals", "contacts_in_period")):
            continue
        model = entities().get(column.entity).model
        values = db.session.execute(select(model.id, column.expression(Period())).order_by(model.id)).all()
        assert values, column.name
    contact_model = entities().get("helpline_contact").model
    from plugins.contactcenter.reports import primary_need, referrals_of_contact

    row = db.session.execute(select(primary_need(Period()), referrals_of_contact(Period()))
                             .select_from(contact_model)).one()
    assert row == ("Food pantries", 1)



@pytest.fixture
def directory_with_referral(app, staff):
    from tests.contactcenter.helpers import make_resource, make_term

    food = make_term("BD-1800.2000", "Food pantries")
    resource = make_resource("Food bank", food)
    contact = make_contact(staff, profile=make_profile(staff))
    workflow.refer(contact, resource.id, staff)
    db.session.commit()
