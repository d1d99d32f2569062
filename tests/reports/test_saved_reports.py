"""Saved reports: private, or shared with everyone or a role by a manager; renamed, redefined and
deleted by their owner."""

from kernel.db import db
from plugins.reports.models import SavedReport
from tests.reports.helpers import cells, seed_clients

QUERY = "entity=client&group=country_of_origin&agg=count&chart=bar"


def save(client, **form):
    return client.post("/reports/saved", data={"query": QUERY, **form})


def only_report() -> SavedReport:
    db.session.expire_all()
    return db.session.query(SavedReport).one()


def test_a_private_report_is_seen_by_its_owner_only(app, staff, make_user, login_as, staff_client):
    seed_clients(staff)
    response = save(staff_client, name="Clients by country")
    report = only_report()
    assert response.headers["Location"].endswith(f"/reports/saved/{report.id}")
    html = staff_client.get(f"/reports/saved/{report.id}").get_data(as_text=True)
    assert "Clients by country" in html and ["Haiti", "3"] in cells(html) and "data-chart=" in html
    assert "Clients by country" in staff_client.get("/reports/").get_data(as_text=True)
    colleague = login_as(make_user("staff"))
    assert colleague.get(f"/reports/saved/{report.id}").status_code == 404
    assert "Clients by country" not in colleague.get("/reports/").get_data(as_text=True)


def test_staff_may_not_share_but_a_supervisor_shares_with_a_role(app, staff, make_user, login_as, staff_client):
    refused = save(staff_client, name="Shared", sharing="everyone")
    assert refused.status_code == 302 and db.session.query(SavedReport).count() == 0
    supervisor = login_as(make_user("supervisor"))
    save(supervisor, name="For staff", sharing="role", shared_role="staff")
    report = only_report()
    assert (report.sharing, report.shared_role) == ("role", "staff")
    assert staff_client.get(f"/reports/saved/{report.id}").status_code == 200
    reader = login_as(make_user("readonly"))
    assert reader.get(f"/reports/saved/{report.id}").status_code == 404
    # staff see it but may not change it
    assert staff_client.post(f"/reports/saved/{report.id}", data={"name": "Mine now"}).status_code == 403
    assert staff_client.post(f"/reports/saved/{report.id}/delete").status_code == 403
    supervisor.post(f"/reports/saved/{report.id}", data={"name": "For everyone", "sharing": "everyone"})
    assert reader.get(f"/reports/saved/{report.id}").status_code == 200


def test_the_owner_renames_redefines_and_deletes(app, staff, staff_client):
    seed_clients(staff)
    save(staff_client, name="Draft")
    report = only_report()
    new_query = "entity=client&columns=last_name&columns=activities.client_calls&sort=last_name"
    staff_client.post(f"/reports/saved/{report.id}", data={"name": "Calls per client", "query": new_query})
    report = only_report()
    assert report.name == "Calls per client" and "columns=activities.client_calls" in report.query
    assert report.column_labels["activities.client_calls"] == "Calls in the period"
    html = staff_client.get(f"/reports/saved/{report.id}?sort=-last_name").get_data(as_text=True)
    assert [row[0] for row in cells(html)][:2] == ["Tremblay", "Noël"]
    bad = staff_client.post(f"/reports/saved/{report.id}", data={"name": ""}, follow_redirects=True)
    assert "Give the report a name" in bad.get_data(as_text=True) and only_report().name == "Calls per client"
    staff_client.post(f"/reports/saved/{report.id}/delete")
    assert db.session.query(SavedReport).count() == 0


def test_a_report_is_saved_only_once_built(app, staff, staff_client):
    response = staff_client.post("/reports/saved", data={"name": "Empty", "query": "entity=client"},
                                 follow_redirects=True)
    assert "Build the report before saving it." in response.get_data(as_text=True)
    assert db.session.query(SavedReport).count() == 0


def test_a_saved_report_is_edited_in_the_builder_then_saved_over(app, staff, staff_client):
    seed_clients(staff)
    save(staff_client, name="By country")
    report = only_report()
    edited = f"entity=client&group=immigration_status&agg=count&saved={report.id}"
    html = staff_client.get("/reports/build?" + edited).get_data(as_text=True)
    assert "Report settings" in html and f'name="saved" value="{report.id}"' in html
    assert ["Permanent resident", "2"] in cells(html)
    assert f"saved={report.id}" in html.split('class="records report-table"')[1].split("</thead>")[0]
    query = html.split('name="query" value="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    staff_client.post(f"/reports/saved/{report.id}", data={"name": "By status", "query": query})
    report = only_report()
    assert report.name == "By status" and "group=immigration_status" in report.query
    assert staff_client.get("/reports/build?entity=client&group=gender&saved=999").status_code == 404
