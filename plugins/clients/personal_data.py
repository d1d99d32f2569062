"""What identifies a client, and what anonymising keeps for statistics (docs/privacy.md)."""

from __future__ import annotations

from kernel.toolkit import IdentifyingData, hookimpl
from kernel.toolkit import lazy_gettext as _l

__all__ = ["passerelle_identifying_data"]


def area(postal_code: str) -> str:
    return str(postal_code).replace(" ", "").upper()[:3]


def year_only(born):
    """A birth date reduced to the first of January of its year: ages by band stay right."""
    return born.replace(month=1, day=1)


@hookimpl
def passerelle_identifying_data():
    return [IdentifyingData(
        "client", fields=("first_name", "last_name", "phone", "mobile_phone", "email", "street", "description"),
        coarsen={"postal_code": area, "date_of_birth": year_only},
        keeps=_l("The city, province, area, year of birth, gender, countries, arrival date, statuses and "
                 "language: the counts of reports stay right."))]
