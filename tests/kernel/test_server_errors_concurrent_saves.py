"""Two people saving the same version of a record at the same moment: one wins, the other gets the
stale-save answer (412 from the API, the side-by-side conflict form on screen), never a 500.

The race is provoked deterministically: another connection saves the record between the version
check and the write. A test with real threads checks the same under load."""

import threading

import pytest
from sqlalchemy import update

from kernel import records
from kernel.db import db
from kernel.registry import entities
from plugins.clients.models import Client


@pytest.fixture
def a_client(staff):
    record = records.create(entities().get("client"), {"last_name": "Côté", "city": "Iqaluit"}, staff)
    db.session.commit()
    return record


@pytest.fixture
def saved_meanwhile(monkeypatch):
    """Once the next save has checked its version, another connection saves the record."""

    def arrange(record_id):
        original = records.check_rules
        done = []

        def check_then_someone_saves(*args, **kwargs):
            original(*args, **kwargs)
            if not done:
                done.append(True)
                with db.engine.begin() as other:
                    other.execute(update(Client).where(Client.id == record_id)
                                  .values(city="Rankin Inlet", version=Client.version + 1))

        monkeypatch.setattr(records, "check_rules", check_then_someone_saves)

    return arrange


def _city(record_id):
    db.session.expire_all()
    return db.session.get(Client, record_id).city


def test_the_api_answers_412_when_the_record_is_saved_during_the_save(app, staff, token_for, a_client,
                                                                      saved_meanwhile):
    saved_meanwhile(a_client.id)
    response = app.test_client().patch(f"/api/v1/clients/{a_client.id}", json={"city": "Cambridge Bay"},
                                       headers={**token_for(staff), "If-Match": '"1"'})
    assert response.status_code == 412
    assert response.get_json()["version"] == 2
    assert _city(a_client.id) == "Rankin Inlet"


def test_the_form_shows_the_conflict_when_the_record_is_saved_during_the_save(staff_client, a_client,
                                                                              saved_meanwhile):
    saved_meanwhile(a_client.id)
    response = staff_client.post(f"/clients/{a_client.id}/edit", data={
        "last_name": "Côté", "city": "Cambridge Bay", "version": "1"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Someone else saved this record" in page
    assert "Rankin Inlet" in page and 'value="Cambridge Bay"' in page
    assert _city(a_client.id) == "Rankin Inlet"


def test_an_inline_edit_shows_the_conflict_when_the_record_is_saved_during_the_save(staff_client, a_client,
                                                                                    saved_meanwhile):
    saved_meanwhile(a_client.id)
    response = staff_client.post(f"/clients/{a_client.id}/fields/city", data={
        "city": "Cambridge Bay", "version": "1"})
    assert response.status_code == 409
    assert _city(a_client.id) == "Rankin Inlet"


def test_ten_clients_saving_the_same_version_at_once_get_one_success_and_412s(app, staff, token_for, a_client):
    headers = {**token_for(staff), "If-Match": '"1"'}
    clients = [app.test_client() for _ in range(10)]
    statuses = []
    start = threading.Barrier(len(clients))

    def save(client, number):
        start.wait()
        response = client.patch(f"/api/v1/clients/{a_client.id}", json={"city": f"City {number}"},
                                headers=headers)
        statuses.append(response.status_code)

    threads = [threading.Thread(target=save, args=(client, number)) for number, client in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200] + [412] * 9
    db.session.expire_all()
    assert db.session.get(Client, a_client.id).version == 2
