"""Default dashboards per role and workspace (issue 16 §5): a few dashlets each. A caseworker's
starts with the guide's "New client", then their overdue and upcoming work, then their clients;
an agent's (the contact centre as workspace) with the contacts waiting on their lines; supervisors,
administrators and readers get their own short lists. The kernel's entity dashlets are no
one's default unless a plugin says so."""

import re

import pytest

from kernel.db import db

CASEWORKER = ["clients:new-client", "activities:overdue-tasks", "activities:upcoming", "activities:open-tasks",
              "mine:client"]
AGENT = ["contactcenter:waiting", "contactcenter:my-open", "contactcenter:my-followups", "activities:overdue-tasks", "activities:upcoming",
         "activities:open-tasks"]


def shown_keys(client) -> list[str]:
    html = client.get("/").get_data(as_text=True)
    return re.findall(r'<section class="card dashlet" id="dashlet-([^"]+)"', html)


def user_with(make_user, role, workspace=None):
    user = make_user(role, email=f"{role}-{workspace}@example.org")
    user.workspace = workspace
    db.session.commit()
    return user


@pytest.mark.parametrize("role, workspace, expected", [
    ("staff", None, CASEWORKER),
    ("staff", "contact_centre", AGENT),
    ("supervisor", None, ["activities:overdue-tasks", "activities:upcoming", "sae:caseload", "figures:client"]),
    ("supervisor", "contact_centre", ["contactcenter:waiting", "contactcenter:my-open", "contactcenter:today",
                                      "contactcenter:my-followups",
                                      "activities:overdue-tasks", "activities:upcoming"]),
    ("administrator", None, ["figures:client"]),
    ("readonly", None, ["figures:client"]),
    ("readonly", "contact_centre", ["contactcenter:today"]),
])
def test_each_role_and_workspace_has_a_short_default(make_user, login_as, role, workspace, expected):
    user = user_with(make_user, role, workspace)
    assert shown_keys(login_as(user)) == expected


def test_another_workspace_keeps_the_work_of_everyone(make_user, login_as):
    user = user_with(make_user, "staff", "reports")
    assert shown_keys(login_as(user)) == ["activities:overdue-tasks", "activities:upcoming", "activities:open-tasks"]


def test_a_workspace_without_any_default_gets_the_roles(make_user, login_as):
    user = user_with(make_user, "readonly", "reports")
    assert shown_keys(login_as(user)) == ["contactcenter:today", "figures:client"]


def test_the_counsellors_caseload_follows_their_clients(make_user, login_as, monkeypatch):
    user = user_with(make_user, "staff")
    monkeypatch.setattr(type(user), "can", lambda self, permission: True)  # as a member of the SAE team
    assert shown_keys(login_as(user)) == CASEWORKER + ["sae:caseload"]
