"""Issue 18: a list page works out an entity's fields (declared and custom) once per request,
whatever the number of times it asks for them, and sees a custom field an administrator adds or
changes, on any server, from the next request on. Counted, never timed."""

from html import unescape

import pytest
from sqlalchemy import update

from kernel import custom_fields as custom_fields_module
from kernel.custom_fields import CustomField
from kernel.db import db
from kernel.registry import entities


@pytest.fixture
def counted(monkeypatch):
    """Counts the readings of the custom fields' definitions and the merges of an entity's fields."""
    counts = {"read": 0, "merge": 0}
    read = custom_fields_module._read_active_metas

    def counting_read():
        counts["read"] += 1
        return read()

    monkeypatch.setattr(custom_fields_module, "_read_active_metas", counting_read)
    keep = custom_fields_module.keep_definitions_read

    def counting_keep(found):  # read with the page's other reads (kernel.onepass)
        counts["read"] += custom_fields_module.READ_KEY in found
        keep(found)

    monkeypatch.setattr(custom_fields_module, "keep_definitions_read", counting_keep)
    entity = entities().get("client")
    declared = entity.declared_fields

    class CountingDict(dict):
        """``{**declared, **custom}`` asks a dict subclass whose iteration is its own for its keys."""

        def __iter__(self):
            return super().__iter__()

        def keys(self):
            counts["merge"] += 1
            return super().keys()

    monkeypatch.setattr(entity, "declared_fields", CountingDict(declared))
    entity.__dict__.pop("_merged_fields", None)
    yield counts
    entity.__dict__.pop("_merged_fields", None)


def _add_field(key: str, *, show_in_list: bool = True, label_en: str = "School attended",
               label_fr: str = "École fréquentée") -> CustomField:
    """As another server process would: a row written straight into ``custom_fields``."""
    definition = CustomField(entity="client", key=key, kind="text", label_en=label_en, label_fr=label_fr,
                             show_in_list=show_in_list, position=1, active=True)
    db.session.add(definition)
    db.session.commit()
    return definition


def _change(definition_id: int, **values) -> None:
    """As another server process would: an UPDATE, nothing forgotten in this process."""
    db.session.execute(update(CustomField).where(CustomField.id == definition_id).values(**values))
    db.session.commit()


def test_a_list_page_reads_the_custom_fields_and_merges_the_fields_once(staff_client, counted):
    _add_field("school")
    staff_client.get("/clients/")
    counted.update(read=0, merge=0)
    response = staff_client.get("/clients/?sort=last_name")
    assert response.status_code == 200
    assert counted["read"] == 1
    assert counted["merge"] <= 1  # the page asks for the fields some 26 times


def test_the_fields_of_one_request_are_the_same_object(app, staff):
    _add_field("school")
    entity = entities().get("client")
    with app.test_request_context("/clients/"):
        assert entity.fields is entity.fields
        assert "school" in entity.fields and "school" in entity.custom_fields
        assert list(entity.fields)[: len(entity.declared_fields)] == list(entity.declared_fields)


def test_a_custom_field_added_or_changed_elsewhere_shows_on_the_next_request(staff_client):
    before = unescape(staff_client.get("/clients/").get_data(as_text=True))
    assert 'data-name="school"' not in before
    definition = _add_field("school", label_en="School attended", label_fr="École fréquentée")
    after = unescape(staff_client.get("/clients/").get_data(as_text=True))
    assert 'data-name="school"' in after
    assert "École fréquentée" in after or "School attended" in after

    _change(definition.id, label_fr="Établissement", label_en="Institution")
    renamed = unescape(staff_client.get("/clients/").get_data(as_text=True))
    assert "Établissement" in renamed or "Institution" in renamed
    assert "École fréquentée" not in renamed and "School attended" not in renamed

    _change(definition.id, active=False)
    gone = unescape(staff_client.get("/clients/").get_data(as_text=True))
    assert 'data-name="school"' not in gone


def test_the_column_chooser_escapes_labels_and_translates_its_buttons(staff_client):
    _add_field("motto", label_en='<b>"Motto"</b>', label_fr='<b>"Devise"</b>')
    page = staff_client.get("/clients/").get_data(as_text=True)
    assert "<b>" not in page.split('id="column-chooser"')[1].split("</details>")[0]
    assert "&lt;b&gt;" in page
    assert 'data-move="up"' in page and 'data-move="add"' in page
