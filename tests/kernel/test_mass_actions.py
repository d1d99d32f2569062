"""Mass actions: select rows, or all rows matching the filter, and assign, change a choice field or
delete them in one action; each change is in the records' history."""

from sqlalchemy import select

from kernel import records
from kernel.db import db
from kernel.history import RecordChange
from kernel.registry import entities
from plugins.clients.models import Client


def _add(user, count=3, **values):
    entity = entities().get("client")
    created = [records.create(entity, {"last_name": f"Name{i}", **values}, user) for i in range(count)]
    db.session.commit()
    return [record.id for record in created]


def test_assign_selected_rows(staff_client, staff, make_user):
    other = make_user("staff", name="Other")
    ids = _add(staff)
    response = staff_client.post("/clients/mass", data={
        "action": "assign", "assigned_user_id": str(other.id), "ids": [str(ids[0]), str(ids[2])]})
    assert response.status_code == 302
    assigned = db.session.scalars(select(Client.id).where(Client.assigned_user_id == other.id)).all()
    assert sorted(assigned) == [ids[0], ids[2]]
    changes = db.session.scalars(select(RecordChange).where(RecordChange.field == "assigned_user_id")).all()
    assert len(changes) == 2


def test_change_a_choice_field_of_all_rows_matching_the_filter(staff_client, staff):
    _add(staff, 3, city="Iqaluit")
    _add(staff, 2, city="Ottawa")
    staff_client.post("/clients/mass", data={
        "action": "set", "field": "file_status", "value": "closed", "all": "1",
        "list_query": "city__equals=Iqaluit"})
    statuses = dict(db.session.execute(select(Client.city, Client.file_status).distinct()).all())
    assert statuses == {"Iqaluit": "closed", "Ottawa": None}


def test_a_bad_value_changes_nothing(staff_client, staff):
    ids = _add(staff, 1)
    staff_client.post("/clients/mass", data={"action": "set", "field": "file_status", "value": "nonsense",
                                             "ids": [str(ids[0])]})
    assert db.session.scalar(select(Client.file_status)) is None


def test_delete_needs_the_delete_permission(staff_client, staff, login_as, make_user):
    ids = _add(staff, 2)
    assert staff_client.post("/clients/mass", data={"action": "delete", "ids": [str(i) for i in ids]}).status_code == 403
    supervisor = login_as(make_user("supervisor"))
    supervisor.post("/clients/mass", data={"action": "delete", "ids": [str(i) for i in ids]})
    assert db.session.scalar(select(Client).where(Client.deleted_at.is_(None))) is None
