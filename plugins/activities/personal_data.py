"""What identifies a person in calls, meetings, tasks, notes and documents linked to them
(docs/privacy.md)."""

from __future__ import annotations

from kernel.toolkit import IdentifyingData, hookimpl
from kernel.toolkit import lazy_gettext as _l

__all__ = ["passerelle_identifying_data"]

KEEPS = _l("When, its kind and status: activity counts stay right.")


@hookimpl
def passerelle_identifying_data():
    return [
        IdentifyingData("call", fields=("subject", "description"), keeps=KEEPS),
        IdentifyingData("meeting", fields=("subject", "location", "description"), keeps=KEEPS),
        IdentifyingData("task", fields=("subject", "description"), keeps=KEEPS),
        IdentifyingData("note", fields=("subject", "text"), keeps=KEEPS),
    ]
