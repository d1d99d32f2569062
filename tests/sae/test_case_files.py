"""A counsellor opens a case file for a client, with a unique, editable number generated from the
administrator's format, and follows its action plan."""

from datetime import date

from sqlalchemy import func, select

from kernel.db import db
from plugins.sae.models import ActionStep, CaseFile
from tests.conftest import login


def test_the_create_form_offers_the_next_number_of_the_format(app, counsellor, a_client, case_file):
    client = login(app.test_client(), counsellor)
    page = client.get("/case-files/new").get_data(as_text=True)
    year = date.today().year
    expected = f"SAE-{year}-0002" if year == 2026 else f"SAE-{year}-0001"
    assert f'value="{expected}"' in page


def test_a_counsellor_opens_a_case_file_for_a_client(app, counsellor, a_client):
    client = login(app.test_client(), counsellor)
    response = client.post("/case-files/new", data={
        "file_number": "SAE-2026-0100", "client_id": str(a_client.id), "assigned_user_id": str(counsellor.id),
        "status": "open", "intake_date": "2026-02-01", "referral_source": "partner",
        "employment_goal": "Préposé aux bénéficiaires", "notes": "Première rencontre."})
    assert response.status_code == 302
    saved = db.session.scalar(select(CaseFile).where(CaseFile.file_number == "SAE-2026-0100"))
    assert (saved.client_id, saved.assigned_user_id, saved.status) == (a_client.id, counsellor.id, "open")
    client_page = client.get(f"/clients/{a_client.id}").get_data(as_text=True)
    assert "SAE-2026-0100" in client_page and "Case files" in client_page


def test_a_duplicate_number_is_refused_with_the_next_free_one(app, counsellor, a_client, case_file):
    client = login(app.test_client(), counsellor)
    response = client.post("/case-files/new", data={
        "file_number": "SAE-2026-0001", "client_id": str(a_client.id), "status": "open",
        "intake_date": "2026-02-01"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "SAE-2026-0001 is already used by another record" in page
    assert db.session.scalar(select(func.count()).select_from(CaseFile)) == 1


def test_the_number_stays_editable(app, counsellor, case_file):
    client = login(app.test_client(), counsellor)
    response = client.post(f"/case-files/{case_file.id}/edit", data={
        "file_number": "SAE-2026-0042", "client_id": str(case_file.client_id), "status": "active",
        "intake_date": "2026-01-12", "version": str(case_file.version)})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(CaseFile, case_file.id).file_number == "SAE-2026-0042"


def test_the_administrator_sets_the_format(app, admin_client, counsellor, case_file):
    bad = admin_client.post("/sae/settings", data={"file_number_format": "DOSSIER-{year}"})
    assert bad.status_code == 422 and "{seq}" in bad.get_data(as_text=True)
    unknown = admin_client.post("/sae/settings", data={"file_number_format": "D-{month}-{seq}"})
    assert unknown.status_code == 422
    assert admin_client.post("/sae/settings", data={
        "file_number_format": "EMP{seq:05d}/{year}", "team": str(counsellor.id)}).status_code == 302
    client = login(app.test_client(), counsellor)
    page = client.get("/case-files/new").get_data(as_text=True)
    assert f'value="EMP00001/{date.today().year}"' in page


def test_the_settings_are_for_administrators_only(counsellor, supervisor, login_as):
    assert login_as(counsellor).get("/sae/settings").status_code == 403
    assert login_as(supervisor).post("/sae/settings", data={"file_number_format": "X{seq}"}).status_code == 403


def test_the_action_plan_is_followed_step_by_step(app, counsellor, case_file):
    client = login(app.test_client(), counsellor)
    created = client.post("/action-steps/new", data={
        "case_file_id": str(case_file.id), "description": "Mettre le CV à jour", "target_date": "2026-02-15",
        "status": "planned"})
    assert created.status_code == 302
    step = db.session.scalar(select(ActionStep))
    not_dated = client.post(f"/action-steps/{step.id}/edit", data={
        "case_file_id": str(case_file.id), "description": "Mettre le CV à jour", "target_date": "2026-02-15",
        "status": "done", "version": str(step.version)})
    assert not_dated.status_code == 422 and "Enter the date the step was completed." in not_dated.get_data(as_text=True)
    done = client.post(f"/action-steps/{step.id}/edit", data={
        "case_file_id": str(case_file.id), "description": "Mettre le CV à jour", "target_date": "2026-02-15",
        "status": "done", "completed_on": "2026-02-10", "version": str(step.version)})
    assert done.status_code == 302
    page = client.get(f"/case-files/{case_file.id}").get_data(as_text=True)
    assert "Action plan" in page and "Mettre le CV à jour" in page and "Done" in page


def test_barriers_come_from_a_list_the_organisation_edits(app, admin_client, counsellor, case_file):
    response = admin_client.post("/admin/choices/sae_barrier", data={
        "values": ["language"], "label_en:language": "Language", "label_fr:language": "Langue",
        "position:language": "1", "new_value": "driving", "new_label_en": "No driving licence",
        "new_label_fr": "Pas de permis"})
    assert response.status_code == 302
    client = login(app.test_client(), counsellor)
    assert "No driving licence" in client.get("/barriers/new").get_data(as_text=True)


def test_numbers_follow_the_format_per_year_after_the_greatest(app, counsellor, a_client):
    from kernel import records
    from kernel.registry import entities
    from plugins.sae.numbering import next_file_number
    from plugins.sae.settings import save_file_number_format

    files = entities().get("case_file")
    for number in ("SAE-2025-0120", "SAE-2026-0009", "SAE-2026-0010-bis", "AUTRE-7"):
        records.create(files, {"file_number": number, "client_id": a_client.id, "status": "open",
                               "intake_date": "2026-01-05"}, counsellor)
    assert next_file_number(files, "file_number", today=date(2026, 5, 1)) == "SAE-2026-0010"
    assert next_file_number(files, "file_number", today=date(2027, 1, 2)) == "SAE-2027-0001"
    save_file_number_format("{year}/{seq:03d}-E")
    assert next_file_number(files, "file_number", today=date(2026, 5, 1)) == "2026/001-E"
