"""Erasure on request: a preview of what will go, a reason, then the person is anonymised (or
deleted) in every module with their traces; a legal hold or an open case file blocks it with a
clear message, and nothing changes."""

from sqlalchemy import func, select

from kernel.access_log import RecordRead
from kernel.db import db
from plugins.activities.models import Call
from plugins.clients.models import Client
from plugins.privacy.retention.models import LegalHold, RetentionRun
from plugins.sae.models import CaseFile
from tests.privacy.person_helpers import a_client_with_data
from tests.privacy.retention_helpers import traces_of

ZOE_TRACES = ("tremblay", "zoe.tremblay", "5145550101", "555-0101")


def test_the_preview_shows_what_will_go_in_every_module(app, staff, admin_client):
    zoe = a_client_with_data(staff)
    page = admin_client.get(f"/privacy/people/clients/{zoe.id}/erase")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="erasure-preview"' in html and "Clients" in html and "Calls" in html and "Case files" in html
    assert 'name="reason"' in html and "csrf_token" in html


def test_an_erasure_anonymises_the_person_everywhere_and_is_recorded(app, staff, admin, admin_client):
    zoe = a_client_with_data(staff)
    zoe_id = zoe.id
    a_client_with_data(staff, "Marc", "Roy", email="marc.roy@example.org", number="SAE-0002",
                       phone="(514) 555-0202")
    done = admin_client.post(f"/privacy/people/clients/{zoe_id}/erase",
                             data={"action": "anonymise", "reason": "Request received 2026-11-30"})
    assert done.status_code == 303
    db.session.expire_all()
    assert traces_of(ZOE_TRACES) == []
    client = db.session.get(Client, zoe_id)
    assert (client.last_name, client.city, client.postal_code, str(client.date_of_birth)) == (
        "—", "Montréal", "H2X", "1990-01-01")
    assert db.session.scalar(select(func.count()).select_from(Client).where(Client.last_name == "Roy")) == 1
    assert db.session.scalar(select(Call.subject).where(Call.related_to == f"client:{zoe_id}")) == "—"
    run = db.session.scalar(select(RetentionRun))
    assert (run.kind, run.subject, run.reason, run.user_id) == ("erasure", f"client:{zoe_id}",
                                                                "Request received 2026-11-30", admin.id)
    assert run.counts["client"]["anonymised"] == 1 and run.counts["case_file"]["anonymised"] == 1
    assert db.session.scalar(select(RecordRead.via).where(RecordRead.record_id == zoe_id,
                                                          RecordRead.via == "erasure")) == "erasure"


def test_an_erasure_may_delete_instead(app, staff, admin_client):
    zoe = a_client_with_data(staff)
    zoe_id = zoe.id
    done = admin_client.post(f"/privacy/people/clients/{zoe_id}/erase",
                             data={"action": "delete", "reason": "Request received 2026-11-30"})
    assert done.status_code == 303
    db.session.expire_all()
    assert db.session.scalar(select(Client.id).where(Client.id == zoe_id)) is None
    assert db.session.scalar(select(func.count()).select_from(CaseFile)) == 0
    assert traces_of(ZOE_TRACES) == []


def test_an_open_case_file_blocks_the_erasure_with_a_message(app, staff, admin_client):
    zoe = a_client_with_data(staff, file_status="active")
    page = admin_client.get(f"/privacy/people/clients/{zoe.id}/erase").get_data(as_text=True)
    assert "Case file SAE-0001 is open" in page and 'name="reason"' not in page
    refused = admin_client.post(f"/privacy/people/clients/{zoe.id}/erase",
                                data={"action": "anonymise", "reason": "Request"})
    assert refused.status_code == 409 and "Case file SAE-0001 is open" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Client, zoe.id).last_name == "Tremblay"
    assert db.session.scalar(select(func.count()).select_from(RetentionRun)) == 0


def test_a_legal_hold_blocks_the_erasure(app, staff, admin_client):
    zoe = a_client_with_data(staff)
    db.session.add(LegalHold(entity_name="client", record_id=zoe.id, reason="Claim before the tribunal"))
    db.session.commit()
    refused = admin_client.post(f"/privacy/people/clients/{zoe.id}/erase",
                                data={"action": "anonymise", "reason": "Request"})
    assert refused.status_code == 409 and "legal hold" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Client, zoe.id).last_name == "Tremblay"


def test_a_reason_is_required_and_bad_input_changes_nothing(app, staff, admin_client):
    zoe = a_client_with_data(staff)
    refused = admin_client.post(f"/privacy/people/clients/{zoe.id}/erase", data={"action": "anonymise", "reason": " "})
    assert refused.status_code == 422 and "Say why" in refused.get_data(as_text=True)
    refused = admin_client.post(f"/privacy/people/clients/{zoe.id}/erase", data={"action": "anonymise",
                                                                                 "reason": "x" * 5000})
    assert refused.status_code == 422
    odd = admin_client.post(f"/privacy/people/clients/{zoe.id}/erase", data={"action": "explode", "reason": "Request"})
    assert odd.status_code in (303, 422)
    db.session.expire_all()


def test_only_administrators_erase(app, staff, staff_client):
    zoe = a_client_with_data(staff)
    assert staff_client.get(f"/privacy/people/clients/{zoe.id}/erase").status_code == 403
    assert staff_client.post(f"/privacy/people/clients/{zoe.id}/erase",
                             data={"action": "anonymise", "reason": "Request"}).status_code in (400, 403)
    db.session.expire_all()
    assert db.session.get(Client, zoe.id).last_name == "Tremblay"


def test_the_documents_linked_to_the_person_lose_their_name_and_their_files(app, staff, admin_client):
    from plugins.activities.models import Document, DocumentRevision
    from tests.privacy.person_helpers import a_document_about

    zoe = a_client_with_data(staff)
    document, path = a_document_about(zoe)
    document_id = document.id
    done = admin_client.post(f"/privacy/people/clients/{zoe.id}/erase",
                             data={"action": "anonymise", "reason": "Request received 2026-11-30"})
    assert done.status_code == 303
    db.session.expire_all()
    assert db.session.get(Document, document_id).name == "—"
    assert db.session.scalar(select(func.count()).select_from(DocumentRevision)) == 0
    assert not path.exists()
    run = db.session.scalar(select(RetentionRun))
    assert run.counts["document"]["anonymised"] == 1
