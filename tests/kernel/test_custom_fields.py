"""Custom fields: an administrator adds fields to any entity without code; they appear in forms,
the detail page, history, lists, filters, CSV export and the API, and can be deactivated without
losing their values."""

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from kernel.custom_fields import CustomField
from kernel.db import db
from kernel.registry import entities
from plugins.clients.models import Client

FIELDS = [
    {"key": "school", "kind": "text", "label_fr": "École fréquentée", "label_en": "School attended",
     "required": "1", "show_in_list": "1"},
    {"key": "children", "kind": "number", "label_fr": "Nombre d'enfants", "label_en": "Number of children",
     "show_in_list": "1"},
    {"key": "intake_date", "kind": "date", "label_fr": "Date d'accueil", "label_en": "Intake date"},
    {"key": "referral", "kind": "choice", "label_fr": "Source de référence", "label_en": "Referral source"},
    {"key": "consent", "kind": "checkbox", "label_fr": "Consentement donné", "label_en": "Consent given"},
]
REFERRAL_OPTIONS = {
    "new_value": ["community", "friend"],
    "new_label_fr": ["Organisme communautaire", "Ami ou famille"],
    "new_label_en": ["Community organisation", "Friend or family"],
}
VALID = {"last_name": "Tremblay", "school": "Cégep de Rimouski", "children": "3", "intake_date": "2024-05-01",
         "referral": "friend", "consent": "1"}


def add_field(client, entity="client", **values):
    return client.post(f"/admin/fields/{entity}/new", data={"active": "1", **values})


@pytest.fixture
def custom_fields(admin_client):
    """The five kinds of custom fields on clients, the choice with two options."""
    for values in FIELDS:
        response = add_field(admin_client, **values)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert admin_client.post("/admin/choices/custom:client:referral", data=REFERRAL_OPTIONS).status_code == 302
    return admin_client


def page_of(response) -> str:
    return unescape(response.get_data(as_text=True))


def created_client(client, **values) -> Client:
    """A client created through the form; ``consent=None`` leaves the checkbox unticked."""
    data = {key: value for key, value in {**VALID, **values}.items() if value is not None}
    response = client.post("/clients/new", data=data)
    assert response.status_code == 302, page_of(response)[:3000]
    db.session.rollback()  # a fresh look at the database
    return db.session.scalars(select(Client).order_by(Client.id.desc())).first()


# -- administration -----------------------------------------------------------------------------
def test_only_administrators_manage_custom_fields(staff_client, admin_client):
    for url in ("/admin/fields", "/admin/fields/client", "/admin/fields/client/new"):
        assert staff_client.get(url).status_code == 403
    assert add_field(staff_client, **FIELDS[0]).status_code == 403
    page = page_of(admin_client.get("/admin/fields"))
    assert "Clients" in page
    assert admin_client.get("/admin/fields/nosuch").status_code == 404


@pytest.mark.parametrize("key, message", [
    ("last_name", "This name is already used by the record"),
    ("custom", "This name is already used by the record"),
    ("page", "This name is already used by the record"),
    ("School Name", "Use lower-case letters"),
    ("", "This field is required."),
    ("x" * 65, "Use lower-case letters"),
])
def test_the_name_is_a_slug_that_clashes_with_nothing(admin_client, key, message):
    response = add_field(admin_client, key=key, kind="text", label_fr="Étiquette", label_en="Label")
    assert response.status_code == 422
    assert message in page_of(response)
    assert db.session.scalar(select(CustomField)) is None


def test_names_are_unique_per_entity_and_labels_are_limited(admin_client):
    assert add_field(admin_client, **FIELDS[0]).status_code == 302
    again = add_field(admin_client, **{**FIELDS[0], "label_en": "Other"})
    assert again.status_code == 422 and "Another field of this record already has this name." in page_of(again)
    long_label = add_field(admin_client, key="notes2", kind="text", label_fr="é" * 256, label_en="ok")
    assert long_label.status_code == 422 and "At most 255 characters." in page_of(long_label)


def test_a_new_choice_field_leads_to_its_options(admin_client):
    response = add_field(admin_client, **FIELDS[3])
    assert response.location.endswith("/admin/choices/custom:client:referral")
    page = page_of(admin_client.get(response.location))
    assert "Referral source" in page and 'name="new_value"' in page


def test_the_fields_of_an_entity_are_listed_and_edited(custom_fields):
    page = page_of(custom_fields.get("/admin/fields/client"))
    for values in FIELDS:
        assert values["label_en"] in page
    assert "/admin/choices/custom:client:referral" in page
    school = db.session.scalar(select(CustomField).where(CustomField.key == "school"))
    form = page_of(custom_fields.get(f"/admin/fields/client/{school.id}"))
    assert 'value="school" readonly' in form and 'value="École fréquentée"' in form
    response = custom_fields.post(f"/admin/fields/client/{school.id}", data={
        "key": "hacked", "kind": "number", "label_fr": "École", "label_en": "School", "position": "9",
        "active": "1", "required": "1"})
    assert response.status_code == 302
    db.session.rollback()
    school = db.session.get(CustomField, school.id)
    assert (school.key, school.kind, school.label_en, school.position) == ("school", "text", "School", 9)
    assert "School attended" not in page_of(custom_fields.get("/admin/choices"))
    assert "Clients · Referral source" in page_of(custom_fields.get("/admin/choices"))


# -- forms, validation, detail page, history ------------------------------------------------------
def test_custom_fields_are_in_the_create_form_and_validated(custom_fields, staff_client):
    form = page_of(staff_client.get("/clients/new"))
    for values in FIELDS:
        assert values["label_en"] in form and f'name="{values["key"]}"' in form
    assert '<option value="friend" >Friend or family</option>' in form
    response = staff_client.post("/clients/new", data={
        "last_name": "Tremblay", "school": "", "children": "three", "intake_date": "yesterday",
        "referral": "neighbour"})
    assert response.status_code == 422
    page = page_of(response)
    assert "This field is required." in page
    assert "Enter a number." in page
    assert "Enter a valid date." in page
    assert "Choose one of the options offered." in page
    assert 'value="three"' in page
    assert db.session.scalar(select(Client)) is None
    too_long = staff_client.post("/clients/new", data={**VALID, "school": "x" * 256})
    assert too_long.status_code == 422 and "At most 255 characters." in page_of(too_long)


def test_values_are_saved_shown_and_kept_in_history(custom_fields, staff_client):
    client = created_client(staff_client)
    assert client.custom == {"school": "Cégep de Rimouski", "children": 3, "intake_date": "2024-05-01",
                             "referral": "friend", "consent": True}
    detail = page_of(staff_client.get(f"/clients/{client.id}"))
    for text in ("School attended", "Cégep de Rimouski", "Number of children", "Intake date", "May 1, 2024",
                 "Referral source", "Friend or family", "Consent given"):
        assert text in detail
    edit_form = page_of(staff_client.get(f"/clients/{client.id}/edit"))
    assert 'value="Cégep de Rimouski"' in edit_form and 'value="2024-05-01"' in edit_form
    assert '<option value="friend" selected>' in edit_form
    unticked = {key: value for key, value in VALID.items() if key != "consent"}
    response = staff_client.post(f"/clients/{client.id}/edit", data={
        **unticked, "children": "4.5", "referral": "community", "version": str(client.version)})
    assert response.status_code == 302
    db.session.rollback()
    changed = db.session.get(Client, client.id)
    assert changed.custom["children"] == 4.5 and changed.custom["referral"] == "community"
    assert changed.custom["consent"] is False and changed.custom["school"] == "Cégep de Rimouski"
    history = page_of(staff_client.get(f"/clients/{client.id}"))
    assert "Number of children" in history and "4.5" in history
    assert "Friend or family" in history and "Community organisation" in history


def test_labels_follow_the_users_language(custom_fields, make_user, login_as):
    french = login_as(make_user("staff", language="fr"))
    form = page_of(french.get("/clients/new"))
    assert "École fréquentée" in form and "Ami ou famille" in form
    assert "School attended" not in form


# -- lists: columns, sorting, filters -----------------------------------------------------------
def test_custom_fields_are_columns_that_sort(custom_fields, staff_client):
    for name, children in (("Alpha", "10"), ("Bravo", "2"), ("Charlie", "")):
        created_client(staff_client, last_name=name, children=children)
    page = page_of(staff_client.get("/clients/"))
    assert "School attended" in page and "Number of children" in page  # shown in lists by default
    chooser = page.split('id="column-chooser"')[1].split("</details>")[0]
    assert "Intake date" in chooser and "Referral source" in chooser and "Consent given" in chooser
    ascending = page_of(staff_client.get("/clients/?sort=children&cols=last_name,children"))
    assert ascending.index(">Bravo<") < ascending.index(">Alpha<")
    descending = page_of(staff_client.get("/clients/?sort=-children&cols=last_name,children"))
    assert descending.index(">Alpha<") < descending.index(">Bravo<")
    assert 'aria-sort="ascending"' in ascending and 'aria-sort="descending"' in descending
    assert staff_client.get("/search?q=alpha").status_code == 200  # list columns summarise results


def names(client, query) -> set[str]:
    response = client.get(f"/clients/?{query}&cols=last_name,school")
    assert response.status_code == 200
    page = page_of(response)
    return {name for name in ("Alpha", "Bravo", "Charlie") if f">{name}<" in page}


def test_custom_fields_filter_with_the_operators_of_their_kind(custom_fields, staff_client):
    created_client(staff_client, last_name="Alpha", school="École Nanook", children="10", intake_date="2023-01-15",
                   referral="friend", consent="1")
    created_client(staff_client, last_name="Bravo", school="Cégep", children="2", intake_date="2024-06-01",
                   referral="community", consent=None)
    created_client(staff_client, last_name="Charlie", school="Nanook School", children="", intake_date="",
                   referral="", consent=None)
    assert names(staff_client, "school__contains=nanook") == {"Alpha", "Charlie"}
    assert names(staff_client, "school__starts=c%C3%A9g") == {"Bravo"}
    assert names(staff_client, "children__gt=5") == {"Alpha"}
    assert names(staff_client, "children__between=1&children__between=3") == {"Bravo"}
    assert names(staff_client, "children__empty=1") == {"Charlie"}
    assert names(staff_client, "intake_date__before=2024-01-01") == {"Alpha"}
    assert names(staff_client, "intake_date__after=2024-01-01") == {"Bravo"}
    assert names(staff_client, "referral__in=friend&referral__in=community") == {"Alpha", "Bravo"}
    assert names(staff_client, "consent__is=1") == {"Alpha"}
    assert names(staff_client, "consent__is=0") == {"Bravo", "Charlie"}
    bad = page_of(staff_client.get("/clients/?children__gt=many"))
    assert "Number of children" in bad and "Enter a number." in bad

    panel = page_of(staff_client.get("/clients/"))
    fields = json.loads(re.search(r"data-fields='([^']*)'", panel).group(1))
    assert fields["children"]["kind"] == "decimal" and "between" in dict(fields["children"]["operators"])
    assert fields["intake_date"]["label"] == "Intake date" and "before" in dict(fields["intake_date"]["operators"])
    assert fields["referral"]["options"] == [["community", "Community organisation"], ["friend", "Friend or family"]]
    assert dict(fields["consent"]["operators"]) == {"is": "is"}


def compiled(expression) -> dict[str, str]:
    return {
        name: str(expression.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        for name, dialect in (("sqlite", sqlite.dialect()), ("postgresql", postgresql.dialect()))
    }


def test_sql_expressions_compile_on_sqlite_and_postgresql(custom_fields, app):
    db.session.rollback()
    entity = entities().get("client")
    assert set(entity.custom_fields) == {"school", "children", "intake_date", "referral", "consent"}
    expected = {  # name: (on SQLite, on PostgreSQL)
        "school": (["JSON_EXTRACT(clients.custom, '$.\"school\"')"], ["clients.custom ->> 'school'"]),
        "referral": (["JSON_EXTRACT(clients.custom, '$.\"referral\"')"], ["clients.custom ->> 'referral'"]),
        "children": (["JSON_EXTRACT(clients.custom, '$.\"children\"')", "FLOAT"],
                     ["clients.custom ->> 'children'", "FLOAT"]),
        "intake_date": (["JSON_EXTRACT(clients.custom, '$.\"intake_date\"')"], ["clients.custom ->> 'intake_date'"]),
        "consent": (["JSON_EXTRACT(clients.custom, '$.\"consent\"')"], ["clients.custom ->> 'consent'", "BOOLEAN"]),
    }
    for name, (on_sqlite, on_postgresql) in expected.items():
        sql = compiled(entity.column(name))
        assert all(part in sql["sqlite"] for part in on_sqlite), sql
        assert all(part in sql["postgresql"] for part in on_postgresql), sql
    # Python values are compared as the JSON keeps them: a date as its ISO text, a number as a float
    sql = compiled(entity.column("intake_date") < date(2024, 1, 1))
    assert sql["postgresql"].endswith("< '2024-01-01'") and sql["sqlite"].endswith("< '2024-01-01'")
    sql = compiled(entity.column("children") > Decimal("2.5"))
    assert sql["postgresql"].endswith("> 2.5") and sql["sqlite"].endswith("> 2.5")


# -- export -------------------------------------------------------------------------------------
def test_export_has_the_custom_fields_with_labels_in_the_users_language(custom_fields, make_user, login_as):
    french = login_as(make_user("staff", language="fr"))
    created_client(french, consent="1")
    response = french.get("/clients/export.csv?cols=last_name,school,children,intake_date,referral,consent")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["Nom de famille", "École fréquentée", "Nombre d'enfants", "Date d'accueil",
                       "Source de référence", "Consentement donné"]
    assert rows[1] == ["Tremblay", "Cégep de Rimouski", "3", "2024-05-01", "Ami ou famille", "Oui"]


# -- API ----------------------------------------------------------------------------------------
def test_custom_fields_through_the_api(custom_fields, staff, token_for, app):
    headers = token_for(staff)
    api = app.test_client()
    created = api.post("/api/v1/clients", headers=headers, json={
        "last_name": "Api", "school": "Inukshuk", "children": "2", "intake_date": "2024-02-03",
        "referral": "community", "consent": True})
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["school"] == "Inukshuk" and body["children"] == "2" and body["intake_date"] == "2024-02-03"
    assert body["referral"] == "community" and body["consent"] is True
    invalid = api.post("/api/v1/clients", headers=headers, json={
        "last_name": "Api", "school": "X", "children": "lots", "referral": "nope"})
    assert invalid.status_code == 422
    assert set(invalid.get_json()["errors"]) == {"children", "referral"}
    missing = api.post("/api/v1/clients", headers=headers, json={"last_name": "Api"})
    assert missing.status_code == 422 and "school" in missing.get_json()["errors"]

    url = created.headers["Location"]
    patched = api.patch(url, headers={**headers, "If-Match": created.headers["ETag"]}, json={"children": 5})
    assert patched.status_code == 200, patched.get_json()
    assert patched.get_json()["children"] == "5"
    fetched = api.get(url, headers=headers).get_json()
    assert fetched["children"] == "5" and fetched["school"] == "Inukshuk"
    listed = api.get("/api/v1/clients?referral=community", headers=headers).get_json()
    assert [item["last_name"] for item in listed["items"]] == ["Api"]
    assert listed["items"][0] == fetched  # a page is dumped with one schema: each item as the record's own
    assert api.get("/api/v1/clients?referral=friend", headers=headers).get_json()["total"] == 0

    spec = api.get("/api/v1/openapi.json").get_json()
    properties = spec["components"]["schemas"]["Client"]["properties"]
    assert {"school", "children", "intake_date", "referral", "consent"} <= set(properties)
    assert properties["consent"]["type"] == "boolean"
    assert properties["intake_date"]["format"] == "date"
    assert "referral" in {parameter["name"] for parameter in spec["paths"]["/api/v1/clients"]["get"]["parameters"]}


def test_a_new_field_is_in_the_api_schema_at_once(admin_client, staff, token_for, app):
    headers = token_for(staff)
    api = app.test_client()
    assert "nickname" not in api.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["Client"][
        "properties"]
    refused = api.post("/api/v1/clients", headers=headers, json={"last_name": "Api", "nickname": "Bob"})
    assert refused.status_code == 422
    add_field(admin_client, key="nickname", kind="text", label_fr="Surnom", label_en="Nickname")
    accepted = api.post("/api/v1/clients", headers=headers, json={"last_name": "Api", "nickname": "Bob"})
    assert accepted.status_code == 201 and accepted.get_json()["nickname"] == "Bob"


# -- deactivation -------------------------------------------------------------------------------
def test_deactivating_a_field_hides_it_everywhere_and_keeps_its_data(custom_fields, staff_client, staff,
                                                                     token_for, app):
    client = created_client(staff_client)
    school = db.session.scalar(select(CustomField).where(CustomField.key == "school"))
    response = custom_fields.post(f"/admin/fields/client/{school.id}", data={
        "label_fr": school.label_fr, "label_en": school.label_en, "position": "1", "show_in_list": "1"})
    assert response.status_code == 302

    assert 'name="school"' not in page_of(staff_client.get("/clients/new"))
    assert "School attended" not in page_of(staff_client.get(f"/clients/{client.id}"))
    listing = page_of(staff_client.get("/clients/?cols=last_name,school"))
    assert "School attended" not in listing and "Cégep de Rimouski" not in listing
    assert "school" not in staff_client.get("/clients/export.csv?cols=last_name,school").get_data(as_text=True)
    headers = token_for(staff)
    assert "school" not in app.test_client().get(f"/api/v1/clients/{client.id}", headers=headers).get_json()

    # no longer required, and editing the record keeps the hidden value
    db.session.rollback()
    version = db.session.get(Client, client.id).version
    assert staff_client.post(f"/clients/{client.id}/edit", data={
        **{key: value for key, value in VALID.items() if key != "school"}, "children": "7",
        "version": str(version)}).status_code == 302
    db.session.rollback()
    assert db.session.get(Client, client.id).custom["school"] == "Cégep de Rimouski"

    custom_fields.post(f"/admin/fields/client/{school.id}", data={
        "label_fr": school.label_fr, "label_en": school.label_en, "position": "1", "active": "1"})
    assert "Cégep de Rimouski" in page_of(staff_client.get(f"/clients/{client.id}"))


def test_fields_can_be_added_to_any_entity(make_app, make_user):
    """The tiny test plugin's bookmarks get a custom field with no code of their own."""
    from kernel.db import Base
    from tests.conftest import login
    from tests.kernel import tiny_plugin

    app = make_app(extra_plugins={"tiny": tiny_plugin})
    with app.app_context():
        Base.metadata.create_all(db.engine, tables=[tiny_plugin.Bookmark.__table__])
        admin = login(app.test_client(), make_user("administrator"))
        assert add_field(admin, entity="bookmark", key="stars", kind="number", label_fr="Étoiles",
                         label_en="Stars", show_in_list="1").status_code == 302
        assert admin.post("/bookmarks/new", data={"name": "Open Referral", "stars": "5"}).status_code == 302
        page = page_of(admin.get("/bookmarks/?sort=-stars"))
        assert "Stars" in page and ">5<" in page
