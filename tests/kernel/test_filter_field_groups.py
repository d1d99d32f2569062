"""The advanced filter's field groups (issue 16 §4): the form's fields in the form's order under
"Main fields", the filterable fields the form does not show under "Other"."""

import html
import json
import re

from kernel.registry import entities


def groups_on(client, path) -> list[dict]:
    page = client.get(path).get_data(as_text=True)
    return json.loads(html.unescape(re.search(r"data-groups='([^']*)'", page).group(1)))


def test_the_form_order_then_the_others(app, staff_client):
    entity = entities().get("document")
    groups = groups_on(staff_client, f"/{entity.plural}/")
    assert [group["label"] for group in groups] == ["Main fields", "Other"]
    assert groups[0]["fields"] == [meta.name for meta in entity.editable_fields if meta.filterable]
    assert groups[1]["fields"] == ["cv_date"]


def test_an_entity_without_other_fields_has_one_group(app, staff_client):
    assert [group["label"] for group in groups_on(staff_client, "/clients/")] == ["Main fields"]
