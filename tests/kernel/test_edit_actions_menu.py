"""The edit screen's "Actions ▾" menu (issue 16 §4): delete, check for duplicates, merge and the
history, each only for a user who may, each going to the existing route."""

import re

from kernel import records
from kernel.db import db
from kernel.registry import entities


def new_client(user, **values):
    record = records.create(entities().get("client"), values, user)
    db.session.commit()
    return record


def menu_of(client, record_id) -> str:
    html = client.get(f"/clients/{record_id}/edit").get_data(as_text=True)
    found = re.search(r'<details class="actions-menu">.*?</details>', html, re.S)
    assert found, "no Actions menu on the edit screen"
    return found.group(0)


def test_an_administrator_gets_every_action(admin, admin_client):
    emile = new_client(admin, first_name="Émile", last_name="Noël")
    menu = menu_of(admin_client, emile.id)
    assert f'hx-get="/clients/duplicates?exclude_id={emile.id}"' in menu
    assert f'href="/admin/merge/clients/{emile.id}"' in menu
    assert f'href="/clients/{emile.id}#record-history"' in menu
    assert 'form="record-delete"' in menu
    html = admin_client.get(f"/clients/{emile.id}/edit").get_data(as_text=True)
    assert f'<form id="record-delete" method="post" action="/clients/{emile.id}/delete"' in html


def test_staff_get_only_what_they_may_do(staff, staff_client):
    emile = new_client(staff, first_name="Émile", last_name="Noël")
    menu = menu_of(staff_client, emile.id)
    assert "Check for duplicates" in menu and "View history" in menu
    assert "/admin/merge/" not in menu and 'form="record-delete"' not in menu
    assert 'id="record-delete"' not in staff_client.get(f"/clients/{emile.id}/edit").get_data(as_text=True)


def test_the_menu_is_in_french(make_user, login_as):
    user = make_user("administrator", email="fr@example.org", language="fr")
    emile = new_client(user, first_name="Émile", last_name="Noël")
    menu = menu_of(login_as(user), emile.id)
    for words in ("Actions", "Rechercher les doublons", "Fusionner avec…", "Voir l’historique", "Supprimer"):
        assert words in menu


def test_the_duplicate_check_leaves_out_the_record_itself(staff, staff_client):
    emile = new_client(staff, first_name="Émile", last_name="Noël", email="emile@example.org")
    query = {"exclude_id": emile.id, "first_name": "Émile", "last_name": "Noël", "email": "emile@example.org"}
    alone = staff_client.get("/clients/duplicates", query_string=query).get_data(as_text=True)
    assert "No likely duplicate found." in alone and "Create anyway" not in alone
    twin = new_client(staff, first_name="Emile", last_name="Noel", email="emile@example.org")
    found = staff_client.get("/clients/duplicates", query_string=query).get_data(as_text=True)
    assert f"/clients/{twin.id}" in found and f"/clients/{emile.id}\"" not in found
    assert "Likely duplicates" in found and "Create anyway" not in found
