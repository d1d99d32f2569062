"""``passerelle import ENTITY FILE``: the same import from the shell, with its summary and the
rejected rows written next to the file."""

import csv
import json

from sqlalchemy import select

from kernel import records
from kernel.cli import main
from kernel.db import db
from kernel.history import RecordChange
from kernel.importer import Import
from kernel.registry import entities
from plugins.clients.models import Client

CSV = (
    "Nom de famille;Prénom;Courriel;Statut du dossier;Remarque\n"
    "Noël;Émile;emile@example.org;Ouvert;à rappeler\n"
    ";Sans Nom;sans.nom@example.org;open;\n"
    "Tremblay;Marie;marie@example.org;Fermé;\n"
)


def run(app, *args):
    return app.test_cli_runner().invoke(main, ["import", *map(str, args)])


def clients():
    db.session.expire_all()
    return list(db.session.scalars(select(Client).order_by(Client.id)))


def test_import_prints_a_summary_and_writes_the_rejected_rows(app, staff, tmp_path):
    path = tmp_path / "clients.csv"
    path.write_text(CSV, encoding="utf-8")
    result = run(app, "clients", path, "--user", staff.email)
    assert result.exit_code == 0, result.output
    assert "Columns not imported (no matching field): Remarque" in result.output
    assert "3 rows read: 2 created, 0 updated, 0 skipped, 1 rejected." in result.output

    noel, tremblay = clients()
    assert (noel.last_name, noel.file_status, noel.created_by_id) == ("Noël", "open", staff.id)
    assert tremblay.file_status == "closed"
    history = db.session.scalars(select(RecordChange).where(RecordChange.record_id == noel.id)).all()
    assert [(change.action, change.user_id) for change in history] == [("created", staff.id)]

    rejected = tmp_path / "clients.csv.rejected.csv"
    assert str(rejected) in result.output
    rows = list(csv.reader(rejected.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0] == ["Nom de famille", "Prénom", "Courriel", "Statut du dossier", "Remarque", "Reason"]
    assert rows[1][:2] == ["", "Sans Nom"] and rows[1][-1] == "Last name: This field is required."

    job = db.session.scalar(select(Import))
    assert (job.status, job.user_id, job.filename, job.created, job.rejected) == ("done", staff.id, "clients.csv", 2, 1)


def test_duplicates_option_and_entity_by_name(app, staff, tmp_path):
    records.create(entities().get("client"), {"last_name": "Noël", "first_name": "Émile",
                                              "email": "EMILE@example.org"}, staff)
    db.session.commit()
    path = tmp_path / "again.csv"
    path.write_text("last_name,first_name,email,city\nNoel,Emile,emile@example.org,Iqaluit\n", encoding="utf-8")
    result = run(app, "client", path, "--duplicates", "update")
    assert result.exit_code == 0, result.output
    assert "1 rows read: 0 created, 1 updated, 0 skipped, 0 rejected." in result.output
    assert not (tmp_path / "again.csv.rejected.csv").exists()
    (only,) = clients()
    assert (only.last_name, only.city) == ("Noel", "Iqaluit")

    result = run(app, "clients", path, "--duplicates", "skip")
    assert "0 created, 0 updated, 1 skipped" in result.output


def test_a_mapping_file(app, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("Famille,Courriel perso\nRoy,roy@example.org\n", encoding="utf-8")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"Famille": "last_name", "Courriel perso": "email"}))
    result = run(app, "clients", path, "--mapping", mapping)
    assert result.exit_code == 0, result.output
    assert [(record.last_name, record.email) for record in clients()] == [("Roy", "roy@example.org")]


def test_errors_are_clear(app, staff, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("Prénom\nÉmile\n", encoding="utf-8")
    result = run(app, "clients", path, "--user", staff.email)  # messages in the user's language
    assert result.exit_code != 0 and "Last name: it is required" in result.output
    assert run(app, "nothing", path).exit_code != 0
    assert "no user with the e-mail" in run(app, "clients", path, "--user", "nobody@example.org").output
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "The file is empty." in run(app, "clients", empty, "--user", staff.email).output
    assert clients() == []
