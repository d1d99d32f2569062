"""Deleting moves a record to the trash; an administrator restores it."""

from sqlalchemy import select

from kernel.db import db
from plugins.clients.models import Client


def test_delete_then_restore(admin_client, login_as, make_user):
    supervisor = login_as(make_user("supervisor"))
    supervisor.post("/clients/new", data={"last_name": "Lévesque"})
    record = db.session.scalar(select(Client))
    assert supervisor.post(f"/clients/{record.id}/delete", data={"version": "1"}).status_code == 302
    assert supervisor.get(f"/clients/{record.id}").status_code == 404
    assert "Lévesque" not in supervisor.get("/clients/").get_data(as_text=True)
    assert supervisor.get("/admin/trash").status_code == 403

    trash = admin_client.get("/admin/trash").get_data(as_text=True)
    assert "Lévesque" in trash
    assert admin_client.post(f"/admin/trash/clients/{record.id}/restore").status_code == 302
    assert "Lévesque" in supervisor.get("/clients/").get_data(as_text=True)
    history = admin_client.get(f"/clients/{record.id}").get_data(as_text=True)
    assert "Moved to the trash" in history and "Restored from the trash" in history
