"""What the directory holds, by HSDS id (database ids left out), to compare two loads."""

from sqlalchemy import select

from kernel.db import db
from plugins.directory.models import (
    Agency,
    Resource,
    Site,
    TaxonomyTerm,
    languages,
    phones,
    schedules,
    service_areas,
    service_at_location,
    service_taxonomy,
    taxonomies,
)

INTERNAL = {"id", "created_at", "updated_at", "created_by_id", "updated_by_id", "version", "deleted_at",
            "search_text", "custom"}


def _records(model):
    hsds = {}
    for record in db.session.scalars(select(model)):
        hsds[record.id] = record.hsds_id
    return hsds


def snapshot() -> dict:
    ids = {"organization_id": _records(Agency), "service_id": _records(Resource), "location_id": _records(Site),
           "term_id": _records(TaxonomyTerm)}
    result = {}
    for model in (Agency, Resource, Site, TaxonomyTerm):
        rows = []
        for record in db.session.scalars(select(model)):
            values = {column.key: getattr(record, column.key) for column in model.__table__.columns
                      if column.key not in INTERNAL}
            if "organization_id" in values:
                values["organization_id"] = ids["organization_id"].get(values["organization_id"])
            rows.append(values)
        result[model.__tablename__] = sorted(rows, key=lambda row: row["hsds_id"])
    for table in (taxonomies, service_at_location, service_taxonomy, phones, schedules, service_areas, languages):
        rows = []
        for row in db.session.execute(select(table)):
            values = {key: value for key, value in row._mapping.items() if key != "id"}
            for column, mapping in ids.items():
                if column in values:
                    values[column] = mapping.get(values[column])
            rows.append(values)
        result[table.name] = sorted(rows, key=lambda row: row["hsds_id"])
    return result
