"""The declarations of what identifies a person are checked when the application starts, and the
kernel's defaults cover a person entity no plugin declared."""

import types

import pytest

from kernel import hookimpl
from kernel.plugins import PluginError
from kernel.toolkit import IdentifyingData, entities, personal_data


def test_a_declaration_naming_a_field_the_entity_lacks_stops_the_start(make_app):
    @hookimpl
    def passerelle_identifying_data():
        return [IdentifyingData("client", fields=("last_name", "nick_name"))]

    typo = types.ModuleType("typo")
    typo.passerelle_identifying_data = passerelle_identifying_data
    with pytest.raises(PluginError, match="nick_name"):
        make_app(extra_plugins={"typo": typo}, plugins=["clients", "typo"])


def test_a_declaration_for_a_disabled_module_is_ignored(make_app):
    @hookimpl
    def passerelle_identifying_data():
        return [IdentifyingData("unicorn", fields=("horn",))]

    ahead = types.ModuleType("ahead")
    ahead.passerelle_identifying_data = passerelle_identifying_data
    assert make_app(extra_plugins={"ahead": ahead}, plugins=["clients", "ahead"])


def test_a_person_entity_without_a_declaration_has_the_kernels_defaults(app):
    contact = entities().get("contact")
    assert contact.person
    declared = personal_data.declaration_of(contact)
    kinds = {contact.declared_fields[name].kind for name in declared.fields}
    assert declared.fields and kinds <= {"text", "longtext", "email", "phone", "url", "date"}
    assert set(personal_data.events_of(contact)) == {"created", "last_change"}
    assert "closed" in personal_data.events_of(entities().get("helpline_contact"))
