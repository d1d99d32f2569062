"""The guide's "New client" action, first on the dashboard of those who take in clients, and which
of the kernel's client dashlets are defaults: a caseworker's clients, the others' figures (for
those whose workspace is clients and partners)."""

from __future__ import annotations

from kernel.toolkit import ADMINISTRATOR, READONLY, STAFF, SUPERVISOR, Dashlet, DashletDefault
from kernel.toolkit import lazy_gettext as _l

WORKSPACE = ("clients",)


def client_dashlets() -> list[Dashlet | DashletDefault]:
    return [
        Dashlet("clients:new-client", _l("Clients"), render_new_client, "clients.create", (STAFF,), order=1,
                workspaces=WORKSPACE),
        DashletDefault("mine:client", (STAFF,), order=13, workspaces=WORKSPACE),
        DashletDefault("figures:client", (ADMINISTRATOR, SUPERVISOR, READONLY), order=30, workspaces=WORKSPACE),
    ]


def render_new_client(user):
    return "clients/dashlet_new_client.html", {}
