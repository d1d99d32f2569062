"""The assignee's follow-ups on their dashboard."""

from __future__ import annotations

from kernel.toolkit import STAFF, SUPERVISOR, Dashlet
from kernel.toolkit import lazy_gettext as _l
from plugins.contactcenter.followups import service

SHOWN = 8


def followup_dashlets() -> list[Dashlet]:
    return [Dashlet("contactcenter:my-followups", _l("My follow-ups"), render_my_followups, "contactcenter.view",
                    (STAFF, SUPERVISOR), order=8, workspaces=("contact_centre",))]


def render_my_followups(user):
    return "contactcenter/followups/dashlet.html", {"rows": service.queue(user, "mine", limit=SHOWN)}
