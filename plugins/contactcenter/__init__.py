"""Contact centre: a directory of community resources (HSDS 3), searched by keyword, place,
service type, language and opening hours, with HSDS import and export."""

from kernel import hookimpl
from kernel.i18n import lazy_gettext as _l
from kernel.permissions import Permission, record_permissions

LABEL = _l("Resource directory")
ORDER = 60
REQUIRES = ()


@hookimpl
def passerelle_entities():
    from plugins.contactcenter.models import Agency, Resource, Site, TaxonomyTerm

    return [Agency, Resource, Site, TaxonomyTerm]


@hookimpl
def passerelle_permissions():
    return [*record_permissions("contactcenter", _l("the resource directory")),
            Permission("contactcenter.admin", _l("Administer the resource search (synonyms, postal codes)"),
                       ("administrator",))]


@hookimpl
def passerelle_blueprints():
    from plugins.contactcenter.views import blueprint

    return [blueprint]


@hookimpl
def passerelle_cli_commands():
    from plugins.contactcenter.cli import contactcenter

    return [contactcenter]


@hookimpl
def passerelle_menu_items():
    from plugins.contactcenter.views import menu_items

    return menu_items()


@hookimpl
def passerelle_demo_data(session, users):
    from plugins.contactcenter.demo import load_demo

    load_demo(session)


@hookimpl
def passerelle_record_saved(entity, record, created, changes, user):
    from plugins.contactcenter.index import refresh_after_save

    refresh_after_save(entity, record)
from plugins.contactcenter.reports import passerelle_report_columns  # noqa: E402, F401  report hooks (docs/reports.md)
