"""Contact centre: a directory of community resources (HSDS 3), searched by keyword, place,
service type, language and opening hours, with HSDS import and export."""

from kernel.toolkit import MenuItem, MenuSection, ModulePlacement, Permission, hookimpl, record_permissions
from kernel.toolkit import lazy_gettext as _l

LABEL = _l("Resource directory")
ORDER = 60
REQUIRES = ()
FORMERLY = ("contactcenter",)  # its name until the contact centre took it (issue 17)


@hookimpl
def passerelle_entities():
    from plugins.directory.models import Agency, Resource, Site, TaxonomyTerm

    return [Agency, Resource, Site, TaxonomyTerm]


@hookimpl
def passerelle_permissions():
    return [*record_permissions("directory", _l("the resource directory")),
            Permission("directory.admin", _l("Administer the resource search (synonyms, postal codes)"),
                       ("administrator",))]


@hookimpl
def passerelle_blueprints():
    from plugins.directory.capacity import views as _capacity_views  # noqa: F401  its routes on the blueprint
    from plugins.directory.hsds_api.views import blueprint as hsds_api_blueprint
    from plugins.directory.public.views import blueprint as public_blueprint
    from plugins.directory.views import blueprint

    return [blueprint, public_blueprint, hsds_api_blueprint]


@hookimpl
def passerelle_cli_commands():
    from plugins.directory.cli import directory

    return [directory]


@hookimpl
def passerelle_menu_items():
    return [
        MenuItem(_l("Search resources"), "directory.search_page", "directory.view", "search", "resource"),
        MenuItem(_l("Search synonyms"), "directory.synonyms", "directory.admin", "repeat", "resource",
                 settings=True),
        MenuItem(_l("Postal codes"), "directory.postal_code_table", "directory.admin", "mailbox", "resource",
                 settings=True),
    ]


@hookimpl
def passerelle_demo_data(session, users):
    from plugins.directory.demo import load_demo

    load_demo(session)


@hookimpl
def passerelle_record_saved(entity, record, created, changes, user):
    from plugins.directory.index import refresh_after_save

    refresh_after_save(entity, record)
from plugins.directory.reports import passerelle_report_columns  # noqa: E402, F401  report hooks (docs/reports.md)


@hookimpl
def passerelle_form_sections(entity, record, user):
    """A resource's phones, hours, areas, service types, languages and locations, in its form."""
    if entity.name != "resource":
        return None
    from plugins.directory.resource_form import sections_for_resource

    return sections_for_resource(record)


@hookimpl
def passerelle_menu_sections():
    return [MenuSection("directory", _l("Resource directory"), 60, "compass")]


@hookimpl
def passerelle_menu_placements():
    return [
        ModulePlacement("resource", "directory", "compass"),
        ModulePlacement("agency", "directory", "building"),
        ModulePlacement("resource_location", "directory", "map-pin"),
        ModulePlacement("taxonomy_term", "directory", "tags", settings=True),
    ]


@hookimpl
def passerelle_template_context():
    from plugins.directory.capacity.service import capacity_of, updated_by_label

    return {"directory_capacity_of": capacity_of, "directory_capacity_updated_by": updated_by_label}


from plugins.directory.verification.hooks import *  # noqa: E402, F401, F403  the verification cycle (verification/)
