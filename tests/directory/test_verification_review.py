"""Issue 20, review: a resource manager sees a proposal side by side (current | proposed) and accepts
or rejects it field by field; the accepted values are saved through the normal save path (in the
record's history) and the record becomes verified."""

import pytest
from sqlalchemy import select

from kernel.db import db
from kernel.history import RecordChange
from plugins.directory.models import Resource
from plugins.directory.verification.models import VerificationProposal
from tests.directory.verification_helpers import agency_with_services, services_of


@pytest.fixture
def proposal(app):
    agency = agency_with_services()
    service = services_of(agency)[0]
    row = VerificationProposal(organization_id=agency.id, entity="resource", record_id=service.id,
                               changes={"fees_description": "5 $ per visit", "description": "Meals on weekdays"},
                               comment="New phone: 867-555-0100")
    db.session.add(row)
    db.session.commit()
    return row


def test_the_review_shows_current_and_proposed_values_side_by_side(staff_client, proposal):
    page = staff_client.get(f"/directory/maintenance/proposals/{proposal.id}").get_data(as_text=True)
    assert "Current value" in page and "Proposed value" in page
    assert page.index("Free") < page.index("5 $ per visit") and "Meals every day" in page
    assert "New phone: 867-555-0100" in page
    assert "Proposed changes to review" in staff_client.get("/directory/maintenance?which=proposals").get_data(
        as_text=True)


def test_accepted_fields_are_saved_in_the_history_rejected_ones_are_not(staff_client, staff, proposal):
    answer = staff_client.post(f"/directory/maintenance/proposals/{proposal.id}",
                               data={"decision-fees_description": "accepted", "decision-description": "rejected"})
    assert answer.status_code == 302
    db.session.expire_all()
    service = db.session.get(Resource, proposal.record_id)
    assert service.fees_description == "5 $ per visit" and service.description == "Meals every day"
    assert service.last_verified_at is not None and service.last_verified_by_id == staff.id
    fields = set(db.session.scalars(select(RecordChange.field).where(
        RecordChange.entity == "resource", RecordChange.record_id == service.id)))
    assert {"fees_description", "last_verified_at"} <= fields and "description" not in fields
    reviewed = db.session.get(VerificationProposal, proposal.id)
    assert reviewed.status == "reviewed" and reviewed.decisions == {
        "fees_description": "accepted", "description": "rejected"}
    assert staff_client.post(f"/directory/maintenance/proposals/{proposal.id}", data={
        "decision-fees_description": "accepted", "decision-description": "accepted"}).status_code == 409


def test_every_field_needs_a_decision(staff_client, proposal):
    answer = staff_client.post(f"/directory/maintenance/proposals/{proposal.id}",
                               data={"decision-fees_description": "accepted"})
    assert answer.status_code == 422 and "Accept or reject each proposed value." in answer.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(VerificationProposal, proposal.id).status == "pending"


def test_a_value_the_save_refuses_gives_422_and_changes_nothing(staff_client, proposal):
    proposal.changes = {"email": "not an address"}
    db.session.commit()
    answer = staff_client.post(f"/directory/maintenance/proposals/{proposal.id}", data={"decision-email": "accepted"})
    assert answer.status_code == 422
    db.session.expire_all()
    assert db.session.get(VerificationProposal, proposal.id).status == "pending"


def test_reviewing_needs_the_edit_permission(app, make_user, login_as, proposal, staff_client):
    reader = login_as(make_user("readonly", email="reader@example.org"))
    assert reader.get(f"/directory/maintenance/proposals/{proposal.id}").status_code == 403
    assert reader.post(f"/directory/maintenance/proposals/{proposal.id}").status_code == 403
    assert reader.get("/directory/maintenance").status_code == 403
    assert staff_client.get("/directory/maintenance/proposals/999999").status_code == 404
