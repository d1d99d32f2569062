"""CSV import through the screens: upload, mapping guessed from French and English headers,
preview with errors, run (history, one transaction), duplicates, rejected rows, encodings,
permissions, and a run in the background polled until done."""

import csv
import io
import re
import threading
import time
from datetime import date

import pytest
from sqlalchemy import func, select

from kernel import importer, records
from kernel.db import db
from kernel.history import RecordChange
from kernel.importer import Import
from kernel.registry import entities
from plugins.clients.models import Client

HEADERS = "Nom de famille,First name,Courriel,Statut du dossier,CV à jour,Date de naissance,Pays d'origine,Notes\n"
ROWS = (
    "Noël,Émile,emile@example.org,Ouvert,oui,15/03/1980,France,à rappeler\n"
    ",Sans Nom,sans.nom@example.org,open,no,,,\n"
    "Smith,John,not-an-email,Closed,1,30/02/1980,Canada,\n"
    "Diallo,Awa,AWA@example.org,in_progress,non,1991-07-01,SN,\n"
)


@pytest.fixture
def app(make_app):
    app = make_app(IMPORT_IN_BACKGROUND=False)
    with app.app_context():
        yield app
        db.session.remove()


def upload(client, text, filename="clients.csv", encoding="utf-8"):
    data = text.encode(encoding) if isinstance(text, str) else text
    return client.post("/clients/import", data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def job_id_of(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    return int(re.search(r"/imports/(\d+)/mapping", response.headers["Location"]).group(1))


def job(job_id) -> Import:
    db.session.expire_all()
    return db.session.get(Import, job_id)


def confirm_mapping(client, job_id, mode="skip"):
    saved = job(job_id)
    form = {f"column-{index}": name or "" for index, name in enumerate(saved.mapping)}
    response = client.post(f"/imports/{job_id}/mapping", data={**form, "duplicates": mode})
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    return response


def import_file(client, text, mode="skip", **options) -> Import:
    job_id = job_id_of(upload(client, text, **options))
    confirm_mapping(client, job_id, mode)
    client.post(f"/imports/{job_id}/run")
    return job(job_id)


def clients() -> list[Client]:
    db.session.expire_all()
    return list(db.session.scalars(select(Client).order_by(Client.id)))


def test_upload_mapping_preview_and_run(staff_client, staff):
    job_id = job_id_of(upload(staff_client, HEADERS + ROWS))
    assert job(job_id).mapping == [
        "last_name", "first_name", "email", "file_status", "cv_up_to_date", "date_of_birth",
        "country_of_origin", None,
    ]
    page = staff_client.get(f"/imports/{job_id}/mapping").get_data(as_text=True)
    assert "Nom de famille" in page and "emile@example.org" in page  # headers and sample values
    assert '<option value="last_name" selected>' in page

    confirm_mapping(staff_client, job_id)
    preview = staff_client.get(f"/imports/{job_id}/preview").get_data(as_text=True)
    assert preview.count("<td>Create</td>") == 2
    assert "This field is required." in preview
    assert "Enter a valid e-mail address" in preview and "Enter a valid date." in preview
    assert clients() == []  # the preview writes nothing

    response = staff_client.post(f"/imports/{job_id}/run")
    assert response.headers["Location"].endswith(f"/imports/{job_id}")
    done = job(job_id)
    assert (done.status, done.total, done.processed) == ("done", 4, 4)
    assert (done.created, done.updated, done.skipped, done.rejected) == (2, 0, 0, 2)

    noel, diallo = clients()
    assert (noel.last_name, noel.first_name, noel.email) == ("Noël", "Émile", "emile@example.org")
    assert (noel.file_status, noel.cv_up_to_date, noel.date_of_birth) == ("open", True, date(1980, 3, 15))
    assert noel.country_of_origin == "FR" and noel.created_by_id == staff.id
    assert (diallo.file_status, diallo.cv_up_to_date, diallo.country_of_origin) == ("in_progress", False, "SN")
    history = db.session.scalars(select(RecordChange).where(RecordChange.record_id == noel.id)).all()
    assert [(change.action, change.user_id) for change in history] == [("created", staff.id)]

    summary = staff_client.get(f"/imports/{job_id}").get_data(as_text=True)
    assert "2 records created" in summary and "2 rows rejected" in summary
    assert f"/imports/{job_id}/rejected.csv" in summary and "/clients/" in summary


def test_rejected_rows_file_has_the_original_columns_and_the_reasons(staff_client):
    done = import_file(staff_client, HEADERS + ROWS)
    response = staff_client.get(f"/imports/{done.id}/rejected.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0] == HEADERS.strip().split(",") + ["Reason"]
    assert [row[:2] for row in rows[1:]] == [["", "Sans Nom"], ["Smith", "John"]]
    assert rows[1][-1] == "Last name: This field is required."
    assert "E-mail: Enter a valid e-mail address" in rows[2][-1] and "Date of birth: Enter a valid date." in rows[2][-1]


def test_reasons_are_in_the_importing_users_language(make_user, login_as):
    french = make_user("staff", language="fr")
    done = import_file(login_as(french), HEADERS + ROWS)
    text = login_as(french).get(f"/imports/{done.id}/rejected.csv").get_data().decode("utf-8-sig")
    assert "Nom de famille:" in text or "Nom de famille\u00a0:" in text


@pytest.fixture
def existing(staff):
    record = records.create(entities().get("client"), {
        "first_name": "Émile", "last_name": "Noël", "email": "emile@example.org", "phone": "867-979-1234",
    }, staff)
    db.session.commit()
    return record


DUPLICATES = (
    "last_name,first_name,email,phone\n"
    "NOEL,emile,,\n"                       # same folded full name
    "Autre,Personne,EMILE@Example.org,\n"  # same e-mail, whatever the case
    "Encore,Quelqu'un,,+1 (867) 979-1234\n"  # same phone digits
    "Neuve,Personne,neuve@example.org,\n"  # no match
    "Neuve,Personne,neuve@example.org,\n"  # the same row twice in the file
)


def test_duplicates_are_skipped(staff_client, existing):
    done = import_file(staff_client, DUPLICATES, mode="skip")
    assert (done.created, done.updated, done.skipped, done.rejected) == (1, 0, 4, 0)
    assert [record.last_name for record in clients()] == ["Noël", "Neuve"]


def test_duplicates_update_the_match(staff_client, staff, existing):
    done = import_file(staff_client, DUPLICATES, mode="update")
    assert (done.created, done.updated, done.skipped, done.rejected) == (1, 4, 0, 0)
    noel, neuve = clients()
    assert (noel.last_name, noel.first_name, noel.email) == ("Encore", "Quelqu'un", "EMILE@example.org")
    changes = db.session.scalars(select(RecordChange).where(
        RecordChange.record_id == noel.id, RecordChange.action == "updated")).all()
    assert {change.user_id for change in changes} == {staff.id}


def test_a_row_updates_the_record_an_earlier_row_of_the_same_file_created(staff_client):
    text = ("Last name,First name,E-mail,City\n"
            "Kilabuk,Zoé,zoe@example.org,Iqaluit\n"
            "Akavak,Jean,jean@example.org,Ottawa\n"
            "Kilabuk,Zoé,ZOE@example.org,Rankin Inlet\n")
    done = import_file(staff_client, text, mode="update")
    assert (done.created, done.updated, done.skipped, done.rejected) == (2, 1, 0, 0)
    assert [(record.last_name, record.city) for record in clients()] == [("Kilabuk", "Rankin Inlet"),
                                                                         ("Akavak", "Ottawa")]


def test_imported_records_each_have_their_creation_in_the_history(staff_client, staff):
    done = import_file(staff_client, "Last name\nUn\nDeux\nTrois\n")
    assert done.created == 3
    created = db.session.scalars(select(RecordChange).where(RecordChange.action == "created")).all()
    assert sorted(change.record_id for change in created) == [record.id for record in clients()]
    assert {change.user_id for change in created} == {staff.id}


def test_duplicates_created_anyway(staff_client, existing):
    done = import_file(staff_client, DUPLICATES, mode="create")
    assert (done.created, done.updated, done.skipped) == (5, 0, 0)
    assert len(clients()) == 6


def test_preview_says_what_happens_to_matches(staff_client, existing):
    job_id = job_id_of(upload(staff_client, DUPLICATES))
    confirm_mapping(staff_client, job_id, "update")
    preview = staff_client.get(f"/imports/{job_id}/preview").get_data(as_text=True)
    assert preview.count(f"Update #{existing.id}") == 3
    assert "Update line 5" in preview


def test_windows_1252_file_with_accents_and_semicolons(staff_client):
    text = "Nom de famille;Prénom;Téléphone\r\nNoël;Hélène;867 979 1234\r\nCôté;Zoé;\r\n"
    done = import_file(staff_client, text, encoding="cp1252")
    assert done.created == 2
    assert [(record.last_name, record.first_name) for record in clients()] == [("Noël", "Hélène"), ("Côté", "Zoé")]
    assert clients()[0].phone == "(867) 979-1234"


def test_utf8_with_bom_and_semicolons(staff_client):
    text = "\ufeffLast name;E-mail;Preferred language\nTremblay;a@example.org;Français\nRoy;b@example.org;en\n"
    done = import_file(staff_client, text)
    assert done.created == 2
    assert [(record.last_name, record.preferred_language) for record in clients()] == [("Tremblay", "fr"), ("Roy", "en")]


def test_a_failure_midway_keeps_nothing(staff_client, monkeypatch):
    real_create_many = records.create_many

    def failing_create_many(entity, validated, user):
        if any(values["last_name"] == "Trois" for values in validated):
            real_create_many(entity, validated, user)  # the rows are written, then the disk fails
            raise RuntimeError("disk I/O error")
        return real_create_many(entity, validated, user)

    monkeypatch.setattr(records, "create_many", failing_create_many)
    monkeypatch.setattr(importer, "BATCH_SIZE", 2)
    text = "last_name\nUn\nDeux\nTrois\nQuatre\nCinq\n"
    failed = import_file(staff_client, text)
    assert failed.status == "failed"
    assert "lines 4 to 5" in failed.error and "nothing was imported" in failed.error
    assert "disk I/O error" in failed.error
    assert (failed.created, failed.rejected) == (0, 0)
    assert clients() == []
    assert db.session.scalar(select(func.count()).select_from(RecordChange)) == 0
    page = staff_client.get(f"/imports/{failed.id}").get_data(as_text=True)
    assert "The import failed" in page and "disk I/O error" in page


@pytest.mark.parametrize("data, message", [
    (b"", "The file is empty."),
    (b"   \n\n", "The file is empty."),
    (b"PK\x03\x04\x14\x00\x06\x00binary", "This file is not a CSV file."),
    ("Noël,Émile,emile@example.org\n".encode(), "The first line of the file must give the names of the columns"),
    (b"last_name,first_name\n", "no rows to import"),
])
def test_files_that_cannot_be_imported(staff_client, data, message):
    response = upload(staff_client, data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Import)) == 0


def test_a_missing_file_and_a_too_large_file(staff_client, app):
    response = staff_client.post("/clients/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Choose a CSV file to import." in response.get_data(as_text=True)
    app.config["IMPORT_MAX_BYTES"] = 1024 * 1024
    response = upload(staff_client, "last_name\n" + "x" * (1024 * 1024) + "\n")
    assert response.status_code == 422 and "at most 1 MB" in response.get_data(as_text=True)


def test_mapping_refuses_a_field_twice_and_a_missing_required_field(staff_client):
    job_id = job_id_of(upload(staff_client, "Last name,Nom,E-mail\nA,B,c@example.org\n"))
    response = staff_client.post(f"/imports/{job_id}/mapping", data={
        "column-0": "first_name", "column-1": "first_name", "column-2": "email", "duplicates": "skip"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "is chosen for more than one column" in page and "Last name: it is required" in page


def test_readonly_users_cannot_import(readonly, login_as):
    client = login_as(readonly)
    assert client.get("/clients/import").status_code == 403
    assert upload(client, HEADERS + ROWS).status_code == 403
    assert "Import CSV" not in client.get("/clients/").get_data(as_text=True)


def test_only_the_importer_or_an_administrator_sees_an_import(staff_client, make_user, login_as, admin_client):
    done = import_file(staff_client, HEADERS + ROWS)
    assert "Import CSV" in staff_client.get("/clients/").get_data(as_text=True)
    other = login_as(make_user("staff"))
    for url in (f"/imports/{done.id}", f"/imports/{done.id}/progress", f"/imports/{done.id}/rejected.csv",
                f"/imports/{done.id}/mapping", f"/imports/{done.id}/preview"):
        assert other.get(url).status_code == 403, url
    assert other.post(f"/imports/{done.id}/run").status_code == 403
    assert admin_client.get(f"/imports/{done.id}").status_code == 200
    assert admin_client.get(f"/imports/{done.id}/rejected.csv").status_code == 200


def run_worker_pass(app):
    from kernel.importer.running import run_queued_imports

    with app.app_context():
        try:
            assert run_queued_imports() == 1
        finally:
            db.session.remove()


def test_an_import_in_the_background_is_polled_until_done(app, staff_client, staff):
    app.config["IMPORT_IN_BACKGROUND"] = True
    rows = "".join(f"Nom{index},Prénom{index},p{index}@example.org\n" for index in range(1200))
    job_id = job_id_of(upload(staff_client, "Nom de famille,Prénom,Courriel\n" + rows))
    confirm_mapping(staff_client, job_id)
    staff_client.post(f"/imports/{job_id}/run")
    page = staff_client.get(f"/imports/{job_id}").get_data(as_text=True)
    assert f'hx-get="/imports/{job_id}/progress"' in page and "Import waiting to start" in page
    worker = threading.Thread(target=run_worker_pass, args=(app,))  # `passerelle serve` runs a worker
    worker.start()
    deadline = time.monotonic() + 60
    while True:
        fragment = staff_client.get(f"/imports/{job_id}/progress").get_data(as_text=True)
        if "hx-trigger" not in fragment:
            break
        assert time.monotonic() < deadline, "the import did not finish in 60 s"
        time.sleep(0.5)
    worker.join()
    assert "The import is finished" in fragment and "1200 records created" in fragment
    done = job(job_id)
    assert (done.status, done.processed, done.created) == ("done", 1200, 1200)
    assert db.session.scalar(select(func.count()).select_from(Client)) == 1200
    assert db.session.scalar(select(Client.created_by_id).limit(1)) == staff.id


def test_the_progress_fragment_of_a_running_import(staff_client):
    from kernel.importer import Counters, ProgressBoard

    job_id = job_id_of(upload(staff_client, HEADERS + ROWS))
    running = job(job_id)
    running.status = "running"
    db.session.commit()
    ProgressBoard(running).publish(Counters(total=4, processed=2, created=1, rejected=1))
    fragment = staff_client.get(f"/imports/{job_id}/progress").get_data(as_text=True)
    assert 'hx-trigger="every 1s"' in fragment and '<progress max="4" value="2">' in fragment
    assert "2 of 4 rows read (50 %)" in fragment and "1 record created" in fragment


def test_cells_are_coerced_like_people_write_them(app):
    from kernel.importer import Coercer

    names = ["date_of_birth", "country", "country_of_origin", "preferred_language", "cv_up_to_date", "file_status"]
    coercer = Coercer(entities().get("client"), names)
    assert coercer.raw(["15/03/1980", "canada", "États-Unis", "Français", "OUI", "En cours"]) == {
        "date_of_birth": "1980-03-15", "country": "CA", "country_of_origin": "US", "preferred_language": "fr",
        "cv_up_to_date": True, "file_status": "in_progress",
    }
    assert coercer.raw(["1980-03-15", "ca", "Germany", "en", "false", "In progress"]) == {
        "date_of_birth": "1980-03-15", "country": "CA", "country_of_origin": "DE", "preferred_language": "en",
        "cv_up_to_date": False, "file_status": "in_progress",
    }
    assert coercer.raw(["31/02/1980", "", "Atlantide", "klingon", "peut-être", ""]) == {
        "date_of_birth": "31/02/1980", "country_of_origin": "Atlantide", "preferred_language": "klingon",
        "cv_up_to_date": "peut-être",
    }


def test_a_line_with_more_cells_than_columns_is_rejected(staff_client):
    done = import_file(staff_client, "last_name,first_name\nRoy,Anne\nCaron,Luc,surplus\nGirard,Léa,\n")
    assert (done.created, done.rejected) == (2, 1)
    rows = list(csv.reader(io.StringIO(
        staff_client.get(f"/imports/{done.id}/rejected.csv").get_data().decode("utf-8-sig"))))
    assert rows[1] == ["Caron", "Luc", "This line has more cells than the first line has columns."]
