"""Placements with an employer (a partner whose page shows them) and their 30/60/90-day
follow-ups: tasks for the counsellor through the activities plugin when it is enabled, and
nothing (no error) when it is not."""

from datetime import date

import pytest
from sqlalchemy import select

from kernel import records
from kernel.db import db
from kernel.registry import entities
from plugins.activities.models import Task
from plugins.sae.models import Placement
from plugins.sae.settings import save_members
from tests.conftest import login

PLACEMENT = {"position": "Commis d'épicerie", "start_date": "2026-03-02", "hours_per_week": "35",
             "hourly_wage": "19.50", "outcome": "ongoing"}


def test_a_placement_shows_on_the_employer_page_and_creates_three_follow_ups(
        app, counsellor, supervisor, case_file, employer, login_as):
    client = login_as(supervisor)
    response = client.post("/placements/new", data={**PLACEMENT, "case_file_id": str(case_file.id),
                                                     "employer_id": str(employer.id)})
    assert response.status_code == 302
    tasks = db.session.scalars(select(Task).order_by(Task.due_date)).all()
    assert [task.due_date for task in tasks] == [date(2026, 4, 1), date(2026, 5, 1), date(2026, 5, 31)]
    assert {task.assigned_user_id for task in tasks} == {counsellor.id}
    assert {task.related_to for task in tasks} == {f"client:{case_file.client_id}"}
    assert tasks[0].subject == "Follow-up at 30 days"  # the file's details: in a panel for the SAE team
    partner_page = login_as(counsellor).get(f"/partners/{employer.id}").get_data(as_text=True)
    assert "Placements" in partner_page and "Commis d&#39;épicerie" in partner_page
    placement = db.session.scalar(select(Placement))
    placement_page = login_as(counsellor).get(f"/placements/{placement.id}").get_data(as_text=True)
    assert "Follow-ups" in placement_page and "90 days" in placement_page


def test_hours_and_wage_are_checked(counsellor, case_file, employer, login_as):
    response = login_as(counsellor).post("/placements/new", data={
        **PLACEMENT, "hours_per_week": "200", "hourly_wage": "-3", "case_file_id": str(case_file.id),
        "employer_id": str(employer.id)})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "between 0 and 168" in page and "zero or more" in page
    assert db.session.scalar(select(Placement)) is None


@pytest.fixture
def app_without_activities(make_app):
    return make_app(PASSERELLE_PLUGINS="clients,partners,sae")


def test_without_activities_a_placement_is_saved_with_no_follow_up(app_without_activities, make_user):
    with app_without_activities.app_context():
        user = make_user("supervisor")
        save_members({user.id}, set())
        person = records.create(entities().get("client"), {"last_name": "Kilabuk"}, user)
        partner = records.create(entities().get("partner"), {"name": "Agnico Eagle"}, user)
        case_file = records.create(entities().get("case_file"), {
            "file_number": "SAE-1", "client_id": person.id, "status": "open", "intake_date": "2026-01-05"}, user)
        db.session.commit()
        client = login(app_without_activities.test_client(), user)
        response = client.post("/placements/new", data={**PLACEMENT, "case_file_id": str(case_file.id),
                                                         "employer_id": str(partner.id)})
        assert response.status_code == 302
        assert db.session.scalar(select(Placement)).position == "Commis d'épicerie"
        assert db.session.scalars(select(Task)).all() == []
        placement_page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "Follow-up tasks are created when the activities module is enabled." in placement_page
