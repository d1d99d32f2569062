"""Staff with the directory permission edit resources through the generic screens, and the search
sees their changes; read-only users search but cannot edit; only administrators run the search
administration."""

import pytest

from kernel.db import db
from plugins.directory.models import Resource
from tests.directory.helpers import names_in, search
from tests.directory.package import SHELTER, load_sample, service_id_of


@pytest.mark.usefixtures("no_synonym_groups")  # "refuge" is a starter synonym of "logement"
def test_staff_edit_a_resource_and_the_search_follows(app, tmp_path, staff_client):
    load_sample(app, tmp_path)
    record_id = service_id_of(SHELTER)
    agency_id = db.session.get(Resource, record_id).organization_id
    page = staff_client.get(f"/resources/{record_id}/edit")
    assert page.status_code == 200
    response = staff_client.post(f"/resources/{record_id}/edit", data={
        "name": "Night refuge", "organization_id": str(agency_id), "version": "1"}, follow_redirects=False)
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
    assert names_in(search(staff_client, q="refuge")) == ["Night refuge"]


def test_a_reader_searches_but_cannot_edit(app, tmp_path, readonly, login_as):
    load_sample(app, tmp_path)
    client = login_as(readonly)
    assert "Emergency shelter" in names_in(search(client, q="shelter"))
    record_id = service_id_of(SHELTER)
    assert client.get(f"/resources/{record_id}/edit").status_code == 403
    assert client.post(f"/resources/{record_id}/edit", data={"name": "Changed"}).status_code == 403
    assert client.get("/admin/directory/synonyms").status_code == 403


def test_staff_cannot_administer_the_search(staff_client):
    assert staff_client.get("/admin/directory/synonyms").status_code == 403
    assert staff_client.get("/admin/directory/postal-codes").status_code == 403
