"""Two people creating records with the same unique value at the same moment (one case-file
number): the one who comes second gets the 422 of a sequential duplicate, never a 500.

The race is provoked deterministically: another request saves the same number between the
uniqueness check and the write. A test with real threads checks the same under load."""

import threading

import pytest
from flask import current_app
from sqlalchemy import func, select

from kernel import records
from kernel.db import db
from kernel.registry import entities
from plugins.sae.models import CaseFile

NUMBER = "SAE-2026-0007"


@pytest.fixture
def a_client(admin):
    record = records.create(entities().get("client"), {"last_name": "Noël"}, admin)
    db.session.commit()
    return record


def _case_file(a_client, number=NUMBER) -> dict:
    return {"file_number": number, "client_id": a_client.id, "status": "open", "intake_date": "2026-02-01"}


@pytest.fixture
def created_meanwhile(monkeypatch, admin, a_client):
    """Once the next save has checked its unique values, another request creates a case file
    with the same number (in its own thread, session and transaction)."""
    app = current_app._get_current_object()
    original = records.check_rules
    done = []

    def check_then_someone_creates(*args, **kwargs):
        original(*args, **kwargs)
        if not done:
            done.append(True)
            thread = threading.Thread(target=_create_in_another_request, args=(app, admin, a_client))
            thread.start()
            thread.join()

    monkeypatch.setattr(records, "check_rules", check_then_someone_creates)


def _count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(CaseFile))


def test_the_api_answers_422_like_a_sequential_duplicate(app, admin, token_for, a_client, created_meanwhile):
    response = app.test_client().post("/api/v1/case-files", json=_case_file(a_client), headers=token_for(admin))

    assert response.status_code == 422
    message = response.get_json()["errors"]["file_number"]
    assert len(message) == 1 and message[0].startswith(f"{NUMBER} is already used by another record")
    assert "the next free number is" in message[0]
    assert _count() == 1


def test_the_form_shows_the_number_as_taken(admin_client, a_client, created_meanwhile):
    response = admin_client.post("/case-files/new", data={**_case_file(a_client), "client_id": str(a_client.id)})

    assert response.status_code == 422
    assert f"{NUMBER} is already used by another record" in response.get_data(as_text=True)
    assert _count() == 1


def test_a_change_to_a_taken_number_is_refused(app, admin, token_for, a_client, monkeypatch):
    mine = records.create(entities().get("case_file"), _case_file(a_client, "SAE-2026-0001"), admin)
    db.session.commit()
    original = records.check_rules
    done = []

    def check_then_someone_takes_the_number(*args, **kwargs):
        original(*args, **kwargs)
        if not done:
            done.append(True)
            thread = threading.Thread(target=_create_in_another_request, args=(app, admin, a_client))
            thread.start()
            thread.join()

    monkeypatch.setattr(records, "check_rules", check_then_someone_takes_the_number)
    response = app.test_client().patch(f"/api/v1/case-files/{mine.id}", json={"file_number": NUMBER},
                                       headers=token_for(admin))

    assert response.status_code == 422
    assert response.get_json()["errors"]["file_number"][0].startswith(f"{NUMBER} is already used")
    db.session.expire_all()
    assert db.session.get(CaseFile, mine.id).file_number == "SAE-2026-0001"


def _create_in_another_request(app, admin, a_client):
    with app.app_context():
        records.create(entities().get("case_file"), _case_file(a_client), db.session.get(type(admin), admin.id))
        db.session.commit()
        db.session.remove()


def test_six_clients_creating_one_number_at_once_get_one_success_and_422s(app, admin, token_for, a_client):
    headers = token_for(admin)
    clients = [app.test_client() for _ in range(6)]
    statuses = []
    start = threading.Barrier(len(clients))

    def create(client):
        start.wait()
        statuses.append(client.post("/api/v1/case-files", json=_case_file(a_client), headers=headers).status_code)

    threads = [threading.Thread(target=create, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [201] + [422] * 5
    assert _count() == 1
