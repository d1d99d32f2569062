"""A third party's plugin, for the tests: a report column on clients that only administrators may
see, and a standard report using it."""

from sqlalchemy import func

from kernel import hookimpl
from kernel.permissions import Permission
from kernel.reporting import ReportColumn, StandardReport

LABEL = "Secret"


def name_length(_period):
    from plugins.clients.models import Client

    return func.length(Client.last_name)


@hookimpl
def passerelle_permissions():
    return [Permission("secret.view", "See secret scores", ("administrator",))]


@hookimpl
def passerelle_report_columns():
    return [ReportColumn("client", "score", "Secret score", name_length, permission="secret.view")]


@hookimpl
def passerelle_standard_reports():
    return [StandardReport(key="secret_scores", title="Secret scores by country", entity="client",
                           group_by=["country_of_origin"], aggregates=["count", "sum:secret.score"])]
