"""Standard reports over clients (their fields are report columns without any declaration)."""

from kernel.toolkit import StandardReport, hookimpl
from kernel.toolkit import lazy_gettext as _l


@hookimpl
def passerelle_standard_reports():
    return [
        StandardReport(
            key="new_clients_by_country", entity="client", title=_l("New clients per month by country of origin"),
            description=_l("Clients created in the period, counted by month and country of origin."),
            group_by=["created_at:month", "country_of_origin"], aggregates=["count"],
            period="last_12_months", period_field="created_at", chart="bar",
        ),
        StandardReport(
            key="new_clients_by_status", entity="client", title=_l("New clients per month by immigration status"),
            description=_l("Clients created in the period, counted by month and immigration status."),
            group_by=["created_at:month", "immigration_status"], aggregates=["count"],
            period="last_12_months", period_field="created_at", chart="bar",
        ),
    ]
