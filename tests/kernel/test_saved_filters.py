"""Saved filters: mine or shared with everyone, applied in one click."""

from sqlalchemy import select

from kernel.db import db
from kernel.saved_views import SavedFilter


def test_save_apply_share_and_delete_a_filter(staff_client, make_user, login_as):
    response = staff_client.post("/clients/filters", data={
        "name": "Jodoin à Iqaluit", "list_query": "q=jodoin&city__equals=Iqaluit&sort=last_name&per_page=20",
    })
    assert response.status_code == 302
    saved = db.session.scalar(select(SavedFilter))
    assert saved.query == "q=jodoin&city__equals=Iqaluit" and saved.shared is False
    page = staff_client.get("/clients/").get_data(as_text=True)
    assert "Jodoin à Iqaluit" in page and "/clients/?q=jodoin&amp;city__equals=Iqaluit" in page

    colleague = login_as(make_user("staff", name="Colleague"))
    assert "Jodoin à Iqaluit" not in colleague.get("/clients/").get_data(as_text=True)
    staff_client.post("/clients/filters", data={"name": "Dossiers ouverts", "shared": "1",
                                                 "list_query": "file_status__in=open"})
    assert "Dossiers ouverts" in colleague.get("/clients/").get_data(as_text=True)
    shared = db.session.scalar(select(SavedFilter).where(SavedFilter.shared.is_(True)))
    assert colleague.post(f"/clients/filters/{shared.id}/delete").status_code == 403
    assert staff_client.post(f"/clients/filters/{shared.id}/delete").status_code == 302
    assert db.session.scalar(select(SavedFilter).where(SavedFilter.id == shared.id)) is None


def test_a_filter_needs_a_name(staff_client):
    staff_client.post("/clients/filters", data={"name": " ", "list_query": "q=x"})
    assert db.session.scalar(select(SavedFilter)) is None
