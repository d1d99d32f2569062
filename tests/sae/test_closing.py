"""Closing a case file asks for the closure date and the outcome and makes the file (and its
action plan, barriers and placements) read-only until a supervisor reopens it."""

from kernel.db import db
from plugins.sae.models import CaseFile


def _saved(record_id):
    db.session.expire_all()
    return db.session.get(CaseFile, record_id)


def test_closing_needs_a_date_and_an_outcome(counsellor, case_file, login_as):
    client = login_as(counsellor)
    form = client.get(f"/sae/case-files/{case_file.id}/close").get_data(as_text=True)
    assert "Closure date" in form and "Lost contact" in form
    refused = client.post(f"/sae/case-files/{case_file.id}/close",
                          data={"closure_date": "", "outcome": "", "version": str(case_file.version)})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Enter the closure date to close the file." in page and "Choose the outcome to close the file." in page
    assert _saved(case_file.id).status == "active"


def test_a_closed_file_is_read_only_until_a_supervisor_reopens_it(counsellor, supervisor, case_file, login_as):
    client = login_as(counsellor)
    closed = client.post(f"/sae/case-files/{case_file.id}/close",
                         data={"closure_date": "2026-03-01", "outcome": "employed", "version": str(case_file.version)})
    assert closed.status_code == 302
    saved = _saved(case_file.id)
    assert (saved.status, str(saved.closure_date), saved.outcome) == ("closed", "2026-03-01", "employed")
    page = client.get(f"/case-files/{case_file.id}").get_data(as_text=True)
    assert "This case file is closed. A supervisor can reopen it." in page
    assert f"/case-files/{case_file.id}/edit" not in page and "/reopen" not in page
    assert "Close the file" not in page
    client.post(f"/case-files/{case_file.id}/edit", data={
        "file_number": "CHANGED", "client_id": str(case_file.client_id), "status": "active",
        "intake_date": "2026-01-12", "version": str(saved.version)})
    assert _saved(case_file.id).file_number == "SAE-2026-0001"
    step = client.post("/action-steps/new", data={"case_file_id": str(case_file.id), "description": "Encore",
                                                  "status": "planned"})
    assert step.status_code == 422 and "This case file is closed." in step.get_data(as_text=True)
    assert client.post(f"/case-files/{case_file.id}/reopen", data={"version": str(saved.version)}).status_code == 403

    boss = login_as(supervisor)
    assert f"/case-files/{case_file.id}/reopen" in boss.get(f"/case-files/{case_file.id}").get_data(as_text=True)
    assert boss.post(f"/case-files/{case_file.id}/reopen", data={"version": str(saved.version)}).status_code == 302
    reopened = _saved(case_file.id)
    assert (reopened.status, reopened.closure_date, reopened.outcome) == ("active", None, None)


def test_the_api_can_close_only_with_date_and_outcome(counsellor, case_file, token_for, app):
    api = app.test_client()
    headers = token_for(counsellor)
    refused = api.patch(f"/api/v1/case-files/{case_file.id}", json={"status": "closed"}, headers=headers)
    assert refused.status_code == 422 and "closure_date" in refused.get_json()["errors"]
    ok = api.patch(f"/api/v1/case-files/{case_file.id}",
                   json={"status": "closed", "closure_date": "2026-03-02", "outcome": "moved"}, headers=headers)
    assert ok.status_code == 200
    assert api.patch(f"/api/v1/case-files/{case_file.id}", json={"notes": "x"}, headers=headers).status_code == 409
