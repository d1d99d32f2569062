"""The sample directory with some of it marked public, for the public directory's tests.

Public: the agency; the shelter, the food bank and social housing. Not public: housing help and the
community kitchen (services), and the food bank's location (the food bank is shown without it)."""

from __future__ import annotations

from sqlalchemy import update

from kernel.db import db
from plugins.directory.models import Agency, Resource, Site, service_at_location
from plugins.directory.public.cache import pages
from tests.directory.package import FOOD, SHELTER, SOCIAL_HOUSING, load_sample, service_id_of

PUBLIC_SERVICES = (SHELTER, FOOD, SOCIAL_HOUSING)


def load_public_sample(app, tmp_path) -> dict[str, int]:
    load_sample(app, tmp_path)
    ids = {hsds_id: service_id_of(hsds_id) for hsds_id in PUBLIC_SERVICES}
    db.session.execute(update(Agency).values(public=True))
    db.session.execute(update(Resource).where(Resource.id.in_(ids.values())).values(public=True))
    public_places = [ids[SHELTER], ids[SOCIAL_HOUSING]]
    db.session.execute(update(Site).where(Site.id.in_(
        service_at_location.select().with_only_columns(service_at_location.c.location_id)
        .where(service_at_location.c.service_id.in_(public_places)))).values(public=True))
    db.session.commit()
    pages.drop_all()
    return ids


def public_app(make_app, **settings):
    return make_app(DIRECTORY_PUBLIC=True, **settings)
