"""Reporting on the caseload: the "My caseload" dashlet, report columns computed in one query,
and the standard reports "SAE caseload", "placements" and "outcomes"."""

from datetime import date, timedelta

from sqlalchemy import select

from kernel import records
from kernel.db import db
from kernel.registry import entities
from kernel.reporting import Period
from plugins.clients.models import Client
from plugins.sae.models import CaseFile
from plugins.sae.reports import report_columns, standard_reports


def _columns():
    return {column.name: column for column in report_columns() if column.entity in ("client", "case_file")}


def test_my_caseload_counts_my_files_and_shows_steps_due(counsellor, case_file, login_as):
    steps = entities().get("action_step")
    records.create(steps, {"case_file_id": case_file.id, "description": "Appeler l'employeur",
                           "target_date": (date.today() - timedelta(days=1)).isoformat(), "status": "planned"},
                   counsellor)
    records.create(steps, {"case_file_id": case_file.id, "description": "Much later",
                           "target_date": (date.today() + timedelta(days=60)).isoformat(), "status": "planned"},
                   counsellor)
    db.session.commit()
    page = login_as(counsellor).get("/").get_data(as_text=True)
    assert "My caseload" in page and "1 open case file" in page and "Active: 1" in page
    assert "Appeler l&#39;employeur" in page and "overdue" in page
    assert "Much later" not in page


def test_report_columns_on_clients_and_case_files(counsellor, case_file, employer, a_client):
    records.create(entities().get("placement"), {
        "case_file_id": case_file.id, "employer_id": employer.id, "position": "Caissière",
        "start_date": "2026-03-02"}, counsellor)
    db.session.commit()
    columns = _columns()
    everything, march = Period(), Period(date(2026, 3, 1), date(2026, 3, 31))
    row = db.session.execute(select(
        columns["case_file_status"].expression(everything), columns["counsellor"].expression(everything),
        columns["placements"].expression(everything), columns["placements"].expression(Period(end=date(2026, 2, 1))),
    ).where(Client.id == a_client.id)).one()
    assert tuple(row) == ("active", counsellor.id, 1, 0)
    file_columns = {column.name: column for column in report_columns() if column.entity == "case_file"}
    count = db.session.scalar(select(file_columns["placements"].expression(march)).where(CaseFile.id == case_file.id))
    assert count == 1


def test_standard_reports_name_existing_fields(app):
    found = {report.key: report for report in standard_reports()}
    assert set(found) == {"sae_caseload", "sae_placements", "sae_outcomes"}
    for report in found.values():
        entity = entities().get(report.entity)
        named = [name.split(":")[0] for name in report.columns + report.group_by]
        if report.period_field:
            named.append(report.period_field)
        assert all(name in entity.fields for name in named), report.key
