"""The public flag (issue 20): agencies, resources and locations are off the public directory until
someone with the directory permission marks them public through the ordinary edit screen."""

from kernel.db import db
from plugins.directory.models import Agency, Resource, Site
from tests.directory.package import SHELTER, load_sample, service_id_of


def test_nothing_is_public_by_default(app, tmp_path):
    load_sample(app, tmp_path)
    for model in (Agency, Resource, Site):
        assert db.session.query(model).count() > 0
        assert db.session.query(model).filter(model.public.is_(True)).count() == 0


def test_staff_mark_a_resource_public(app, tmp_path, staff_client):
    load_sample(app, tmp_path)
    record_id = service_id_of(SHELTER)
    resource = db.session.get(Resource, record_id)
    response = staff_client.post(f"/resources/{record_id}/edit", data={
        "name": resource.name, "organization_id": str(resource.organization_id), "public": "y",
        "version": str(resource.version)}, follow_redirects=False)
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
    db.session.expire_all()
    assert db.session.get(Resource, record_id).public is True
