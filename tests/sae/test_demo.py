"""The demo data of a new installation: case files with action plans, a placement with its
follow-ups, one closed file, and the demo staff member on the SAE team and on duty."""

from sqlalchemy import func, select

from kernel.db import db
from kernel.setup import demo_password, first_start
from kernel.users import User
from plugins.activities.models import Task
from plugins.sae.models import ActionStep, CaseFile, FollowUp, Placement
from plugins.sae.settings import on_duty_users
from tests.conftest import login


def count(model, *conditions):
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


def test_demo_case_files(app):
    assert first_start(load_demo=True)
    assert count(CaseFile) >= 5 and count(CaseFile, CaseFile.status == "closed") == 1
    assert count(ActionStep) >= 10 and count(Placement) == 1
    assert count(FollowUp) == 3 and count(Task, Task.id.in_(select(FollowUp.task_id))) == 3
    staff = db.session.scalar(select(User).where(User.role == "staff"))
    assert staff.can("sae.view") and [user.id for user in on_duty_users()] == [staff.id]
    closed = db.session.scalar(select(CaseFile).where(CaseFile.status == "closed"))
    assert closed.closure_date is not None and closed.outcome == "employed"
    client = login(app.test_client(), staff, password=demo_password(staff.email))
    assert "Mes dossiers" in client.get("/").get_data(as_text=True)  # the demo users speak French
    assert "Ce dossier est fermé" in client.get(f"/case-files/{closed.id}").get_data(as_text=True)
