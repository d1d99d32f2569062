"""Issue 20, "flag as wrong": an agent says what is wrong from a result card; a maintenance item for
the resource managers (notified), listed on the dashboard, resolved with a note."""

from sqlalchemy import select

from kernel.db import db
from kernel.notifications import Notification
from plugins.directory.verification.models import WrongReport
from tests.directory.verification_helpers import agency_with_services, services_of


def test_an_agent_flags_a_resource_and_the_managers_are_told(app, make_user, login_as, staff):
    service = services_of(agency_with_services())[0]
    agent = login_as(make_user("readonly", email="agent@example.org", name="Agent Annie"))
    form = agent.get(f"/resources/{service.id}/wrong").get_data(as_text=True)
    assert "What is wrong?" in form and "The phone number is wrong or out of service" in form
    answer = agent.post(f"/resources/{service.id}/wrong", data={"reason": "phone", "details": "Out of service"})
    assert answer.status_code == 302
    report = db.session.scalar(select(WrongReport))
    assert (report.service_id, report.reason, report.details, report.status) == (
        service.id, "phone", "Out of service", "open")
    notice = db.session.scalar(select(Notification).where(Notification.user_id == staff.id))
    assert notice is not None and "Agent Annie" in notice.text and service.name in notice.text


def test_the_report_is_listed_and_resolved_with_a_note(app, staff_client, staff):
    service = services_of(agency_with_services())[0]
    staff_client.post(f"/resources/{service.id}/wrong", data={"reason": "hours", "details": "Closed on Mondays"})
    page = staff_client.get("/directory/maintenance?which=reports").get_data(as_text=True)
    assert "Closed on Mondays" in page and service.name in page
    report = db.session.scalar(select(WrongReport))
    assert staff_client.post(f"/directory/maintenance/reports/{report.id}/resolved",
                             data={"note": "Hours corrected"}).status_code == 302
    db.session.expire_all()
    report = db.session.get(WrongReport, report.id)
    assert (report.status, report.resolution_note, report.resolved_by_id) == ("resolved", "Hours corrected", staff.id)
    assert "Closed on Mondays" not in staff_client.get("/directory/maintenance?which=reports").get_data(as_text=True)


def test_bad_input_is_refused_with_a_message(app, staff_client):
    service = services_of(agency_with_services())[0]
    answer = staff_client.post(f"/resources/{service.id}/wrong", data={"reason": "nonsense"})
    assert answer.status_code == 422 and "Say what is wrong." in answer.get_data(as_text=True)
    answer = staff_client.post(f"/resources/{service.id}/wrong", data={"reason": "other", "details": "x" * 2001})
    assert answer.status_code == 422
    assert db.session.scalar(select(WrongReport)) is None
    assert staff_client.get("/resources/999999/wrong").status_code == 404
    assert staff_client.post("/directory/maintenance/reports/999999/resolved").status_code == 404


def test_the_dashboard_lists_stale_and_never_verified_records_with_paging(app, staff_client):
    agency_with_services(services=55)
    page = staff_client.get("/directory/maintenance?which=stale&kind=resource").get_data(as_text=True)
    assert page.count("Mark as verified") == 50 and "Next page" in page
    page2 = staff_client.get("/directory/maintenance?which=stale&kind=resource&page=2").get_data(as_text=True)
    assert page2.count("Mark as verified") == 5 and "Previous page" in page2
    assert "Food Bank North" in staff_client.get("/directory/maintenance?which=never&kind=agency").get_data(
        as_text=True)
    for query in ("which=bogus&kind=bogus&page=-3", "page=abc", "page=20000"):
        assert staff_client.get(f"/directory/maintenance?{query}").status_code == 200
    assert staff_client.get("/directory/maintenance?page=99999999999").status_code == 400  # the kernel's guard


def test_flagging_needs_an_account_with_the_directory(app, make_user, login_as):
    service = services_of(agency_with_services())[0]
    assert app.test_client().get(f"/resources/{service.id}/wrong").status_code in (302, 401)
