""""Assigned to" lists offer only users who may edit: a read-only user is not offered on the
create form, in the list's mass assignment nor in the field edited in place; a record already
assigned to one keeps its assignee when the form is shown again (nothing reassigned silently)."""

import re

import pytest

from kernel import records
from kernel.db import db
from kernel.registry import entities


@pytest.fixture
def team(make_user):
    make_user("staff", email="writer@example.org", name="Wanda Writer")
    return make_user("readonly", email="reader@example.org", name="Roger Reader")


def assignee_options(html: str, select_id: str) -> list[str]:
    select = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r"<option[^>]*>([^<]+)</option>", select)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_create_form_offers_no_read_only_user(make_user, login_as, team, language):
    browser = login_as(make_user("staff", email=f"me-{language}@example.org", name="Mia Me", language=language))
    options = assignee_options(browser.get("/clients/new").get_data(as_text=True), "field-assigned_user_id")
    assert "Wanda Writer" in options and "Mia Me" in options
    assert "Roger Reader" not in options


def test_the_mass_assignment_offers_no_read_only_user(staff_client, staff, team):
    records.create(entities().get("client"), {"last_name": "Noël"}, staff)
    db.session.commit()
    options = assignee_options(staff_client.get("/clients/").get_data(as_text=True), "mass-user")
    assert "Wanda Writer" in options and "Roger Reader" not in options


def test_a_read_only_assignee_stays_on_the_forms_of_their_records(staff_client, staff, team):
    client = records.create(entities().get("client"), {"last_name": "Noël", "assigned_user_id": team.id}, staff)
    db.session.commit()
    html = staff_client.get(f"/clients/{client.id}/edit").get_data(as_text=True)
    assert re.search(rf'<option value="{team.id}" selected>Roger Reader</option>', html)
    inline = staff_client.get(f"/clients/{client.id}/fields/assigned_user_id/edit").get_data(as_text=True)
    assert "Roger Reader" in inline


def test_the_field_edited_in_place_offers_no_read_only_user(staff_client, staff, team):
    client = records.create(entities().get("client"), {"last_name": "Noël"}, staff)
    db.session.commit()
    inline = staff_client.get(f"/clients/{client.id}/fields/assigned_user_id/edit").get_data(as_text=True)
    assert "Wanda Writer" in inline and "Roger Reader" not in inline
