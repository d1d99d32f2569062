"""Issue 20, a directory that stays current: "Mark as verified" (in the record's history), the stale
flag on result cards and resource pages, the period (DIRECTORY_VERIFY_MONTHS) and the permissions."""

from datetime import datetime, timedelta

from sqlalchemy import select

from kernel.db import db
from kernel.history import RecordChange
from plugins.directory import index
from plugins.directory.models import Agency, Resource
from plugins.directory.verification.service import months_before
from tests.directory.helpers import search
from tests.directory.verification_helpers import agency_with_services, services_of


def test_marking_a_resource_verified_records_who_and_when_in_its_history(app, staff_client, staff):
    service = services_of(agency_with_services())[0]
    answer = staff_client.post(f"/directory/records/resource/{service.id}/verified")
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/resources/{service.id}/full")
    db.session.expire_all()
    service = db.session.get(Resource, service.id)
    assert service.last_verified_at is not None and service.last_verified_by_id == staff.id
    assert service.last_verified_via == "user"
    change = db.session.scalar(select(RecordChange).where(RecordChange.entity == "resource",
                                                          RecordChange.record_id == service.id,
                                                          RecordChange.field == "last_verified_at"))
    assert change is not None and change.user_id == staff.id
    page = staff_client.get(f"/resources/{service.id}/full").get_data(as_text=True)
    assert "Not verified since" not in page and staff.name in page


def test_an_agency_is_marked_verified_from_its_record_page(app, staff_client):
    agency = agency_with_services(services=0)
    page = staff_client.get(f"/agencies/{agency.id}").get_data(as_text=True)
    assert "Mark as verified" in page and "Not verified since" in page
    assert staff_client.post(f"/directory/records/agency/{agency.id}/verified").status_code == 302
    db.session.expire_all()
    assert db.session.get(Agency, agency.id).last_verified_at is not None


def test_a_stale_record_is_flagged_on_its_card_and_its_page(app, staff_client):
    stale = services_of(agency_with_services("Old Shelter"))[0]
    fresh = services_of(agency_with_services("New Shelter", age=timedelta(days=10)))[0]
    index.rebuild([stale.id, fresh.id])
    db.session.commit()
    cards = search(staff_client, q="shelter").split('<article class="resource-card">')[1:]
    flagged = {card.split("</a></h2>")[0].rsplit(">", 1)[1]: "Not verified since" in card for card in cards}
    assert flagged == {"Old Shelter service 1": True, "New Shelter service 1": False}
    assert all("Flag as wrong" in card for card in cards)
    page = staff_client.get(f"/resources/{stale.id}/full").get_data(as_text=True)
    assert "Not verified since" in page and "Flag as wrong" in page
    assert "Not verified since" not in staff_client.get(f"/resources/{fresh.id}/full").get_data(as_text=True)


def test_the_period_is_a_setting(app):
    app.config["DIRECTORY_VERIFY_MONTHS"] = 1
    from plugins.directory.verification.service import verify_months

    with app.app_context():
        assert verify_months() == 1
    app.config["DIRECTORY_VERIFY_MONTHS"] = "nonsense"
    with app.app_context():
        assert verify_months() == 12


def test_months_before_keeps_the_day_or_the_months_last():
    assert months_before(datetime(2026, 3, 31, 9), 1) == datetime(2026, 2, 28, 9)
    assert months_before(datetime(2026, 12, 4), 12) == datetime(2025, 12, 4)


def test_marking_needs_the_edit_permission_and_a_real_record(app, make_user, login_as, staff_client):
    service = services_of(agency_with_services())[0]
    reader = login_as(make_user("readonly", email="reader@example.org"))
    assert reader.post(f"/directory/records/resource/{service.id}/verified").status_code == 403
    assert "Mark as verified" not in reader.get(f"/resources/{service.id}/full").get_data(as_text=True)
    assert staff_client.post("/directory/records/resource/999999/verified").status_code == 404
    assert staff_client.post(f"/directory/records/site/{service.id}/verified").status_code == 404
