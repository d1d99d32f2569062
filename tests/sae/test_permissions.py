"""Only the SAE team (and supervisors and administrators) see case files: a staff member who is
not on the team gets nothing through the UI, the API, export, global search, the client's page,
dashlets or report columns."""

import pytest

from kernel.db import db
from kernel.registry import entities, plugins
from plugins.sae.reports import report_columns, standard_reports
from plugins.sae.settings import save_members
from tests.conftest import login
from tests.statements import statements_sent

SAE_PATHS = ["/case-files/", "/case-files/new", "/action-steps/", "/placements/", "/barriers/",
             "/case-files/export.csv"]


def test_the_ui_and_export_refuse_a_staff_member_off_the_team(outsider, case_file, login_as):
    client = login_as(outsider)
    for path in [*SAE_PATHS, f"/case-files/{case_file.id}", f"/sae/case-files/{case_file.id}/close"]:
        assert client.get(path).status_code == 403, path
    assert client.post("/case-files/new", data={"file_number": "X", "client_id": str(case_file.client_id),
                                                "status": "open", "intake_date": "2026-01-01"}).status_code == 403
    sidebar = client.get("/").get_data(as_text=True)
    assert "Case files" not in sidebar and "/case-files/" not in sidebar


def test_the_api_refuses_a_staff_member_off_the_team(outsider, case_file, token_for, app):
    api = app.test_client()
    headers = token_for(outsider)
    assert api.get("/api/v1/case-files", headers=headers).status_code == 403
    assert api.get(f"/api/v1/case-files/{case_file.id}", headers=headers).status_code == 403
    assert api.post("/api/v1/case-files", json={"file_number": "X"}, headers=headers).status_code == 403


def test_global_search_and_the_client_page_show_nothing_of_sae(outsider, counsellor, case_file, login_as):
    assert "SAE-2026-0001" in login_as(counsellor).get("/search?q=SAE-2026").get_data(as_text=True)
    client = login_as(outsider)
    assert "SAE-2026-0001" not in client.get("/search?q=SAE-2026").get_data(as_text=True)
    page = client.get(f"/clients/{case_file.client_id}").get_data(as_text=True)
    assert "Noël" in page
    assert "SAE-2026-0001" not in page and "Case files" not in page


def test_dashlets_are_not_offered_off_the_team(outsider, counsellor, case_file, login_as):
    assert "My caseload" in login_as(counsellor).get("/").get_data(as_text=True)
    dashboard = login_as(outsider).get("/").get_data(as_text=True)
    assert "My caseload" not in dashboard and "My case files" not in dashboard


def test_report_columns_and_standard_reports_need_the_sae_view_permission(outsider, counsellor, app):
    columns = report_columns()
    assert columns and all(column.permission == "sae.view" for column in columns)
    assert {report.entity for report in standard_reports()} <= {"case_file", "placement"}
    assert all(entities().get(report.entity).permission == "sae" for report in standard_reports())
    assert not outsider.can("sae.view") and counsellor.can("sae.view")


def test_joining_and_leaving_the_team_gives_and_takes_the_permissions(app, outsider, case_file):
    client = login(app.test_client(), outsider)
    assert client.get("/case-files/").status_code == 403
    save_members({outsider.id}, set())
    db.session.commit()
    assert client.get("/case-files/").status_code == 200
    save_members(set(), set())
    db.session.commit()
    assert client.get("/case-files/").status_code == 403


def test_the_team_is_read_with_the_session_not_by_a_statement_of_its_own(counsellor, outsider, login_as, case_file):
    for user, status in ((counsellor, 200), (outsider, 403)):
        client = login_as(user)
        with statements_sent() as sent:
            assert client.get("/case-files/").status_code == status
        assert not [statement for statement in sent if statement.lstrip().startswith("SELECT sae_members")]
        assert "sae_members" in sent[0] and "user_sessions" in sent[0]


def test_through_the_api_the_team_is_read_on_its_own(counsellor, outsider, case_file, token_for, app):
    api = app.test_client()
    assert api.get(f"/api/v1/case-files/{case_file.id}", headers=token_for(counsellor)).status_code == 200
    assert api.get(f"/api/v1/case-files/{case_file.id}", headers=token_for(outsider)).status_code == 403


@pytest.mark.parametrize("role, expected", [("supervisor", 200), ("administrator", 200), ("readonly", 403)])
def test_roles(make_user, login_as, case_file, role, expected):
    assert login_as(make_user(role)).get(f"/case-files/{case_file.id}").status_code == expected


def test_only_supervisors_hold_the_reopen_permission(counsellor, supervisor):
    assert supervisor.can("sae.reopen") and not counsellor.can("sae.reopen")
    assert plugins().get("sae") is not None


def test_joining_and_leaving_the_team_is_in_the_security_log(app, admin, outsider, login_as):
    from sqlalchemy import select

    from kernel.security.models import SecurityEvent

    client = login_as(admin)
    client.post("/sae/settings", data={"file_number_format": "SAE-{year}-{seq:04d}", "team": [str(outsider.id)]})
    client.post("/sae/settings", data={"file_number_format": "SAE-{year}-{seq:04d}"})
    rows = db.session.execute(select(SecurityEvent.event, SecurityEvent.user_id, SecurityEvent.target_id,
                                     SecurityEvent.details).order_by(SecurityEvent.id)).all()
    changes = [row for row in rows if row.event == "user.permissions_changed"]
    assert [(row.user_id, row.target_id, row.details["sae_team"]) for row in changes] == [
        (admin.id, str(outsider.id), True), (admin.id, str(outsider.id), False)]
