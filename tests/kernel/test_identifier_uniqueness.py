"""Identifier fields (``field(identifier=True)``: activity numbers, case-file numbers, line codes)
are unique whatever the case and spacing: ``act-100 `` is refused next to ``ACT-100`` on the form,
in the API and in the kernel's save; the value is kept as typed once its spaces are tidied."""

from datetime import date

import pytest
from marshmallow import ValidationError
from sqlalchemy import select

from kernel import records
from kernel.db import db
from kernel.registry import entities
from plugins.programs.models import ServiceRecord


@pytest.fixture
def catalogue(staff):
    service = records.create(entities().get("service"), {"name_fr": "Rédaction de CV", "name_en": "CV writing"},
                             staff)
    client = records.create(entities().get("client"), {"first_name": "Émile", "last_name": "Noël"}, staff)
    records.create(entities().get("service_record"), {
        "activity_number": "ACT-100", "related_to": f"client:{client.id}", "service_id": service.id,
        "start_date": date(2025, 1, 6)}, staff)
    db.session.commit()
    return service, client


def form(service, client, number):
    return {"activity_number": number, "related_to": f"client:{client.id}", "service_id": str(service.id),
            "start_date": "2025-02-01"}


def numbers():
    return sorted(db.session.scalars(select(ServiceRecord.activity_number)))


def test_an_activity_number_differing_in_case_and_spaces_is_refused_on_the_form(staff_client, catalogue):
    response = staff_client.post("/service-records/new", data=form(*catalogue, "act-100 "))
    assert response.status_code == 422
    assert "act-100 is already used by another record; the next free number is ACT-101." in response.get_data(
        as_text=True)
    assert numbers() == ["ACT-100"]


def test_the_message_is_in_french_for_a_french_user(make_user, login_as, catalogue):
    french = login_as(make_user("staff", email="fr@example.org", language="fr"))
    response = french.post("/service-records/new", data=form(*catalogue, "  Act-100"))
    assert response.status_code == 422
    assert "Act-100 est déjà utilisé par une autre fiche" in response.get_data(as_text=True)
    assert numbers() == ["ACT-100"]


def test_the_api_refuses_it_too(app, staff, token_for, catalogue):
    service, customer = catalogue
    response = app.test_client().post("/api/v1/service-records", json={
        "activity_number": "Act-100", "related_to": f"client:{customer.id}", "service_id": service.id,
        "start_date": "2025-02-01"}, headers=token_for(staff))
    assert response.status_code == 422
    assert "activity_number" in response.get_json()["errors"]
    assert numbers() == ["ACT-100"]


def test_the_spaces_are_tidied_when_saved(staff_client, catalogue):
    response = staff_client.post("/service-records/new", data=form(*catalogue, "  ACT   200 "))
    assert response.status_code == 302
    assert numbers() == ["ACT 200", "ACT-100"]


def test_changing_only_the_case_of_its_own_number_is_allowed(staff, catalogue):
    record = db.session.scalar(select(ServiceRecord))
    records.update(entities().get("service_record"), record, {"activity_number": "act-100"}, staff)
    db.session.commit()
    assert numbers() == ["act-100"]


def test_a_case_file_number_is_an_identifier_too(staff, catalogue):
    _service, client = catalogue
    entity = entities().get("case_file")
    records.create(entity, {"file_number": "SAE-2026-0001", "client_id": client.id, "status": "active",
                            "intake_date": "2026-01-12"}, staff)
    db.session.flush()
    with pytest.raises(ValidationError) as refused:
        records.create(entity, {"file_number": "sae-2026-0001 ", "client_id": client.id, "status": "active",
                                "intake_date": "2026-01-12"}, staff)
    assert list(refused.value.messages) == ["file_number"]
