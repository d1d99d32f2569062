"""Programmes and services work for partners without the clients module, and the other way round."""

from kernel import records
from kernel.db import db
from kernel.registry import entities
from tests.conftest import login


def test_with_clients_disabled_participations_are_for_partners(make_app, make_user):
    app = make_app(PASSERELLE_PLUGINS="partners,programs")
    with app.app_context():
        user = make_user("staff")
        partner = records.create(entities().get("partner"), {"name": "Northmart"}, user)
        programme = records.create(entities().get("programme"), {"name_fr": "Mentorat"}, user)
        db.session.commit()
        client = login(app.test_client(), user)
        assert client.get("/clients/").status_code == 404
        ok = client.post("/participations/new", data={
            "related_to": f"partner:{partner.id}", "programme_id": str(programme.id), "start_date": "2025-01-01"})
        assert ok.status_code == 302
        refused = client.post("/participations/new", data={
            "related_to": "client:1", "programme_id": str(programme.id), "start_date": "2025-01-01"})
        assert refused.status_code == 422
        assert "Mentorat" in client.get(f"/partners/{partner.id}").get_data(as_text=True)


def test_with_partners_disabled_services_are_for_clients(make_app, make_user):
    app = make_app(PASSERELLE_PLUGINS="clients,programs")
    with app.app_context():
        user = make_user("staff")
        person = records.create(entities().get("client"), {"last_name": "Kilabuk"}, user)
        service = records.create(entities().get("service"), {"name_fr": "Interprétation"}, user)
        db.session.commit()
        client = login(app.test_client(), user)
        assert client.get("/partners/").status_code == 404
        ok = client.post("/service-records/new", data={
            "activity_number": "7", "related_to": f"client:{person.id}", "service_id": str(service.id),
            "start_date": "2025-01-01"})
        assert ok.status_code == 302
        assert "Interprétation" in client.get(f"/clients/{person.id}").get_data(as_text=True)
