"""Every change of a record is in its history: who, when, which field, old and new value."""

from sqlalchemy import select

from kernel.db import db
from kernel.history import RecordChange
from plugins.clients.models import Client


def _create(client, **data):
    response = client.post("/clients/new", data={"last_name": "Tremblay", **data})
    assert response.status_code == 302
    return db.session.scalar(select(Client).order_by(Client.id.desc()))


def test_changes_are_listed_with_author_old_and_new_values(staff_client, staff):
    record = _create(staff_client, file_status="open", city="Iqaluit")
    response = staff_client.post(f"/clients/{record.id}/edit", data={
        "last_name": "Tremblay", "file_status": "closed", "city": "Iqaluit", "version": "1",
    })
    assert response.status_code == 302
    rows = db.session.scalars(select(RecordChange).where(RecordChange.field == "file_status")).all()
    assert [(row.old_value, row.new_value, row.user_id) for row in rows] == [("open", "closed", staff.id)]
    page = staff_client.get(f"/clients/{record.id}").get_data(as_text=True)
    assert "History" in page and "File status" in page and "Open" in page and "Closed" in page
    assert "Patrick Staff" in page


def test_saving_without_changes_writes_no_history(staff_client):
    record = _create(staff_client)
    staff_client.post(f"/clients/{record.id}/edit", data={"last_name": "Tremblay", "version": "1"})
    actions = db.session.scalars(select(RecordChange.action)).all()
    assert actions == ["created"]
    assert db.session.get(Client, record.id).version == 1
