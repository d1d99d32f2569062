"""Programmes and services: participations and services obtained, related to a client or a
partner, shown on their pages; end never before start; distinct activity numbers."""

from datetime import date

from sqlalchemy import select

from kernel import records
from kernel.db import db
from kernel.registry import entities
from plugins.programs.models import Participation, ServiceRecord


def _catalogue(user):
    programme = records.create(entities().get("programme"), {"name_fr": "Francisation", "name_en": "French courses"},
                               user)
    service = records.create(entities().get("service"), {"name_fr": "Rédaction de CV", "name_en": "CV writing"}, user)
    client = records.create(entities().get("client"), {"first_name": "Émile", "last_name": "Noël"}, user)
    db.session.commit()
    return programme, service, client


def test_a_participation_of_a_client_shows_on_the_client_page(staff_client, staff):
    programme, _service, client = _catalogue(staff)
    page = staff_client.get(f"/clients/{client.id}").get_data(as_text=True)
    assert "Programme participations" in page and f"/participations/new?related_to=client:{client.id}" in page
    response = staff_client.post("/participations/new", data={
        "related_to": f"client:{client.id}", "programme_id": str(programme.id), "start_date": "2025-09-01",
        "end_date": "2025-12-15", "status": "in_progress"})
    assert response.status_code == 302
    page = staff_client.get(f"/clients/{client.id}").get_data(as_text=True)
    assert "French courses" in page
    detail = staff_client.get(response.location).get_data(as_text=True)
    assert "Client — Émile Noël" in detail


def test_the_programme_name_follows_the_language(make_user, login_as, staff):
    programme, _service, _client = _catalogue(staff)
    french = login_as(make_user("staff", language="fr"))
    assert "Francisation" in french.get("/programmes/").get_data(as_text=True)


def test_the_end_is_never_before_the_start(staff_client, staff):
    programme, service, client = _catalogue(staff)
    response = staff_client.post("/participations/new", data={
        "related_to": f"client:{client.id}", "programme_id": str(programme.id), "start_date": "2025-09-01",
        "end_date": "2025-08-01"})
    assert response.status_code == 422
    assert "The end cannot be before the start." in response.get_data(as_text=True)
    assert db.session.scalar(select(Participation)) is None


def test_activity_numbers_are_distinct_and_the_next_one_is_offered(staff_client, staff):
    _programme, service, client = _catalogue(staff)
    entity = entities().get("service_record")
    records.create(entity, {"activity_number": "1041", "related_to": f"client:{client.id}",
                            "service_id": service.id, "start_date": date(2025, 1, 6)}, staff)
    db.session.commit()
    form = staff_client.get("/service-records/new").get_data(as_text=True)
    assert 'value="1042"' in form
    response = staff_client.post("/service-records/new", data={
        "activity_number": "1041", "related_to": f"client:{client.id}", "service_id": str(service.id),
        "start_date": "2025-02-01"})
    assert response.status_code == 422
    assert "1041 is already used by another record; the next free number is 1042." in response.get_data(as_text=True)
    assert len(db.session.scalars(select(ServiceRecord)).all()) == 1


def test_related_to_refuses_other_modules_and_missing_records(staff_client, staff):
    programme, _service, client = _catalogue(staff)
    for value in ("programme:1", f"client:{client.id + 1000}", "nonsense"):
        response = staff_client.post("/participations/new", data={
            "related_to": value, "programme_id": str(programme.id), "start_date": "2025-09-01"})
        assert response.status_code == 422, value


def test_the_related_picker_searches_clients_and_partners(staff_client, staff):
    _catalogue(staff)
    records.create(entities().get("partner"), {"name": "Émile Construction"}, staff)
    db.session.commit()
    found = staff_client.get("/related-lookup?targets=client,partner&q=emile").get_json()
    assert {item["title"] for item in found} == {"Client — Émile Noël", "Partner — Émile Construction"}


def test_lists_filter_and_export_services_obtained(staff_client, staff):
    _programme, service, client = _catalogue(staff)
    entity = entities().get("service_record")
    for number, day in (("1001", 5), ("1002", 20)):
        records.create(entity, {"activity_number": number, "related_to": f"client:{client.id}",
                                "service_id": service.id, "start_date": date(2025, 3, day)}, staff)
    db.session.commit()
    page = staff_client.get("/service-records/?start_date__after=2025-03-10").get_data(as_text=True)
    assert "1002" in page and ">1001<" not in page
    csv_text = staff_client.get(
        "/service-records/export.csv?cols=activity_number,related_to,service_id&sort=activity_number").get_data(
        as_text=True)
    assert csv_text.splitlines()[1] == "1001,Client — Émile Noël,CV writing"
