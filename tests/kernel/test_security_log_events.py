"""The security log records exports and imports of personal data, merges and deletions: who, when,
from which address, what (the entity, the ids or counts, the filters used)."""

import io

import pytest
from sqlalchemy import select

from kernel import records
from kernel.db import db
from kernel.registry import entities
from kernel.security.models import SecurityEvent
from plugins.clients.models import Client
from tests.directory.package import load_sample, run_cli

ADDRESS = {"REMOTE_ADDR": "198.51.100.7"}


@pytest.fixture
def app(make_app):
    app = make_app(IMPORT_IN_BACKGROUND=False)
    with app.app_context():
        yield app
        db.session.remove()


def _events(kind: str) -> list[SecurityEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(SecurityEvent).where(SecurityEvent.event == kind).order_by(SecurityEvent.id)))


def _clients(user, *names: str) -> list[int]:
    created = [records.create(entities().get("client"), {"last_name": name, "city": "Iqaluit"}, user) for name in names]
    db.session.commit()
    return [record.id for record in created]


def test_a_list_export_names_the_entity_columns_and_filters(staff_client, staff):
    response = staff_client.get("/clients/export.csv?city__equals=Iqaluit", environ_base=ADDRESS)
    header = response.get_data(as_text=True).splitlines()[0]
    [event] = _events("data.exported")
    assert (event.user_email, event.address, event.target_type) == (staff.email, "198.51.100.7", "client")
    assert event.details["what"] == "list"
    assert event.details["filters"] == "city__equals=Iqaluit"
    assert len(event.details["columns"]) == header.count(",") + 1 and "last_name" in event.details["columns"]


def test_a_report_export_is_logged(staff_client, staff):
    response = staff_client.get("/reports/export.csv?entity=client&columns=last_name", environ_base=ADDRESS)
    assert response.status_code == 200 and response.get_data(as_text=True)
    [event] = _events("data.exported")
    assert (event.user_email, event.address, event.target_type) == (staff.email, "198.51.100.7", "client")
    assert event.details["what"] == "report"
    assert "columns=last_name" in event.details["query"]


def test_an_hsds_export_is_logged(app, tmp_path):
    load_sample(app, tmp_path)
    result = run_cli(app, "export-hsds", tmp_path / "export")
    if result.exit_code != 0 and "schema" in result.output.lower():
        pytest.skip("the HSDS 3 JSON Schemas are not on this machine")
    assert result.exit_code == 0, result.output
    [event] = _events("data.exported")
    assert event.details["what"] == "hsds" and event.details["via"] == "command line"
    assert event.details["counts"]["services"] == 5


def test_an_import_is_logged_when_it_starts_and_when_it_ends(staff_client, staff):
    upload = staff_client.post("/clients/import", data={"file": (io.BytesIO(b"Last name\nUn\nDeux\n"), "people.csv")},
                               content_type="multipart/form-data", environ_base=ADDRESS)
    job_id = int(upload.headers["Location"].split("/")[2])
    staff_client.post(f"/imports/{job_id}/mapping", data={"column-0": "last_name", "duplicates": "skip"})
    staff_client.post(f"/imports/{job_id}/run", environ_base=ADDRESS)
    started, finished = _events("data.imported")
    assert [started.details["phase"], finished.details["phase"]] == ["started", "finished"]
    for event in (started, finished):
        assert (event.user_email, event.address, event.target_type, event.target_id) == (
            staff.email, "198.51.100.7", "import", str(job_id))
        assert (event.details["entity"], event.details["filename"]) == ("client", "people.csv")
    assert finished.details["created"] == 2


def test_moving_a_record_to_the_trash_is_logged(make_user, login_as):
    manager = make_user("supervisor")
    [client_id] = _clients(manager, "Tremblay")
    version = db.session.get(Client, client_id).version
    response = login_as(manager).post(f"/clients/{client_id}/delete", data={"version": version}, environ_base=ADDRESS)
    assert response.status_code == 302
    [event] = _events("record.deleted")
    assert (event.user_email, event.address, event.target_type, event.target_id) == (
        manager.email, "198.51.100.7", "client", str(client_id))
    assert (event.details["how"], event.details["ids"], event.details["count"]) == ("trash", [client_id], 1)


def test_a_mass_deletion_is_one_event_with_the_ids_and_the_filter(make_user, login_as):
    manager = make_user("supervisor")
    ids = _clients(manager, "Un", "Deux", "Trois")
    response = login_as(manager).post("/clients/mass", data={
        "action": "delete", "all": "1", "list_query": "city__equals=Iqaluit"}, environ_base=ADDRESS)
    assert response.status_code == 302
    [event] = _events("record.deleted")
    assert (event.user_email, event.address, event.target_type) == (manager.email, "198.51.100.7", "client")
    assert (event.details["how"], sorted(event.details["ids"]), event.details["count"]) == ("mass", sorted(ids), 3)
    assert event.details["filters"] == "city__equals=Iqaluit"


def test_a_deletion_through_the_api_is_logged(app, make_user, token_for):
    manager = make_user("supervisor")
    [client_id] = _clients(manager, "Tremblay")
    response = app.test_client().delete(f"/api/v1/clients/{client_id}", headers=token_for(manager),
                                        environ_base=ADDRESS)
    assert response.status_code == 204
    [event] = _events("record.deleted")
    assert (event.user_email, event.address, event.target_id, event.details["how"]) == (
        manager.email, "198.51.100.7", str(client_id), "api")


def test_a_merge_is_logged(admin, admin_client):
    kept, removed = _clients(admin, "Tremblay", "Tremblai")
    versions = {f"version-{record_id}": db.session.get(Client, record_id).version for record_id in (kept, removed)}
    response = admin_client.post(f"/admin/merge/clients/{kept}/{removed}",
                                 data={"keep": kept, **versions, "field-last_name": removed}, environ_base=ADDRESS)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    [event] = _events("record.merged")
    assert (event.user_email, event.address, event.target_type, event.target_id) == (
        admin.email, "198.51.100.7", "client", str(kept))
    assert (event.details["removed_id"], event.details["fields"]) == (removed, ["last_name"])
    assert _events("record.deleted") == []  # the merged-away record's trip to the trash is part of the merge


def test_a_scheduled_report_sent_by_e_mail_is_logged(make_user):
    from datetime import datetime

    from plugins.reports.models import SavedReport
    from plugins.reports.schedule import send_due_reports

    owner = make_user("supervisor")
    db.session.add(SavedReport(name="Weekly", owner_id=owner.id, entity="client", query="entity=client&columns=last_name",
                               schedule="weekly", recipients="funder@example.org", next_run_at=datetime(2025, 3, 10, 6)))
    db.session.commit()
    assert send_due_reports(now=datetime(2025, 3, 10, 6)) == 1
    [event] = _events("data.exported")
    assert (event.user_email, event.address, event.target_type) == (owner.email, None, "client")
    assert (event.details["what"], event.details["recipients"]) == ("scheduled report", ["funder@example.org"])
