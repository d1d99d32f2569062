"""What identifies a person in employment-assistance case files; an open case file stops its
client's erasure (docs/privacy.md)."""

from __future__ import annotations

from sqlalchemy import DateTime, case, cast

from kernel.toolkit import IdentifyingData, RetentionEvent, hookimpl
from kernel.toolkit import lazy_gettext as _l

__all__ = ["passerelle_identifying_data"]


def area(postal_code: str) -> str:
    return str(postal_code).replace(" ", "").upper()[:3]


def still_open(record):
    if record.status != "closed":
        return _l("Case file %(number)s is open: close it before the person's data is erased.",
                  number=record.file_number)
    return None


def case_file_closed(model):
    return case((model.status == "closed", cast(model.closure_date, DateTime)), else_=None)


@hookimpl
def passerelle_identifying_data():
    return [
        IdentifyingData("case_file", fields=("employment_goal", "notes"), blocks=still_open,
                        keeps=_l("The number, status, dates, referral source and outcome."),
                        events=(RetentionEvent("closed", _l("Closing of the case file"), case_file_closed),)),
        IdentifyingData("barrier", fields=("details",), keeps=_l("The kind of barrier.")),
        IdentifyingData("action_step", fields=("description",), keeps=_l("The status and dates of the step.")),
        IdentifyingData("placement", keeps=_l("The job's employer, dates, hours, wage and outcome.")),
        IdentifyingData("visit", fields=("details", "phone", "email"), coarsen={"postal_code": area},
                        keeps=_l("When, why, and the area.")),
    ]
