"""CSV export of the current filtered list: chosen columns and order, headers in the user's
language, labels instead of codes, optional byte-order mark for Excel."""

import csv
import io

from kernel import records
from kernel.db import db
from kernel.registry import entities


def _add(user):
    entity = entities().get("client")
    records.create(entity, {"first_name": "Émile", "last_name": "Noël", "file_status": "open",
                            "country_of_origin": "FR", "cv_up_to_date": True}, user)
    records.create(entity, {"first_name": "John", "last_name": "Smith", "file_status": "closed"}, user)
    db.session.commit()


def test_export_follows_the_list(staff_client, staff):
    _add(staff)
    response = staff_client.get(
        "/clients/export.csv?file_status__in=open&cols=last_name,first_name,file_status,country_of_origin,"
        "cv_up_to_date,assigned_user_id")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["Last name", "First name", "File status", "Country of origin", "CV up to date", "Assigned to"]
    assert rows[1:] == [["Noël", "Émile", "Open", "France", "Yes", "Patrick Staff"]]


def test_headers_and_labels_in_french_with_bom(make_user, login_as):
    user = make_user("staff", language="fr", name="Patrick")
    _add(user)
    response = login_as(user).get("/clients/export.csv?cols=last_name,file_status&sort=last_name&bom=1")
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["Nom de famille", "Statut du dossier"]
    assert rows[1] == ["Noël", "Ouvert"]


def test_saved_columns_are_exported_in_their_order(staff_client, staff):
    _add(staff)
    staff_client.post("/clients/columns", data={"columns": ["email", "last_name"], "list_query": ""})
    rows = list(csv.reader(io.StringIO(staff_client.get("/clients/export.csv").get_data(as_text=True))))
    assert rows[0] == ["E-mail", "Last name"]
    assert len(rows) == 3
