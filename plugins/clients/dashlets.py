"""The guide's "New client" action, first on the dashboard of those who take in clients."""

from __future__ import annotations

from kernel.dashboard import Dashlet
from kernel.i18n import lazy_gettext as _l
from kernel.permissions import STAFF


def client_dashlets() -> list[Dashlet]:
    return [Dashlet("clients:new-client", _l("Clients"), render_new_client, "clients.create", (STAFF,),
                    order=1)]


def render_new_client(user):
    return "clients/dashlet_new_client.html", {}
