"""Report columns of the resource directory: a resource's places and service types, an agency's
resources."""

from sqlalchemy import func, select

from kernel.toolkit import ReportColumn, hookimpl, joined_text
from kernel.toolkit import lazy_gettext as _l


def location_count(_period):
    from plugins.directory.models import Resource, service_at_location

    return (select(func.count(service_at_location.c.id))
            .where(service_at_location.c.service_id == Resource.id).scalar_subquery())


def service_types(_period):
    from plugins.directory.models import Resource, TaxonomyTerm, service_taxonomy

    return (select(joined_text(TaxonomyTerm.name))
            .join(service_taxonomy, service_taxonomy.c.term_id == TaxonomyTerm.id)
            .where(service_taxonomy.c.service_id == Resource.id).scalar_subquery())


def resource_count(_period):
    from plugins.directory.models import Agency, Resource

    return (select(func.count(Resource.id))
            .where(Resource.organization_id == Agency.id, Resource.deleted_at.is_(None)).scalar_subquery())


@hookimpl
def passerelle_report_columns():
    return [
        ReportColumn("resource", "locations", _l("Number of places"), location_count),
        ReportColumn("resource", "service_types", _l("Service types"), service_types, kind="text"),
        ReportColumn("agency", "resources", _l("Number of resources"), resource_count),
    ]
