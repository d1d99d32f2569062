"""Issue 20: an agency's correspondence language (French or English, the application's languages),
edited on its form and shown on its page; the verification e-mail goes out in it, else in the
organisation's default language."""

import re

import pytest
from sqlalchemy import select

from kernel.db import db
from kernel.outbox import OutboxMessage
from plugins.directory.models import Agency
from plugins.directory.verification import job
from plugins.directory.verification.models import VerificationRequest
from tests.directory.verification_helpers import agency_with_services


def last_email():
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()


@pytest.mark.parametrize("language, default, subject, lang_attribute", [
    ("fr", "en", "Merci de vérifier", 'lang="fr"'),
    ("en", "fr", "Please check your listing", 'lang="en"'),
    (None, "fr", "Merci de vérifier", 'lang="fr"'),
    (None, "en", "Please check your listing", 'lang="en"'),
])
def test_the_verification_email_is_in_the_agencys_language_else_the_default(app, language, default, subject,
                                                                            lang_attribute):
    app.config["DEFAULT_LANGUAGE"] = default
    agency_with_services(language=language)
    assert job.run()["sent"] == 1
    message = last_email()
    assert message.subject.startswith(subject) or subject in message.subject, message.subject
    assert db.session.scalar(select(VerificationRequest)).language == (language or default)
    path = re.search(r"http://[^\s]+(/directory/verification/[^\s]+)", message.body).group(1)
    assert lang_attribute in app.test_client().get(path).get_data(as_text=True)


def test_the_language_is_edited_on_the_agency_form_and_shown_on_its_page(app, staff_client):
    agency = agency_with_services(services=0)
    form = staff_client.get(f"/agencies/{agency.id}/edit").get_data(as_text=True)
    assert "Correspondence language" in form and 'name="language"' in form
    answer = staff_client.post(f"/agencies/{agency.id}/edit", data={
        "name": agency.name, "email": agency.email, "language": "en", "version": str(agency.version)})
    assert answer.status_code in (302, 303), answer.get_data(as_text=True)[:800]
    db.session.expire_all()
    assert db.session.get(Agency, agency.id).language == "en"
    page = staff_client.get(f"/agencies/{agency.id}").get_data(as_text=True)
    assert "Correspondence language" in page and "English" in page
    refused = staff_client.post(f"/agencies/{agency.id}/edit", data={
        "name": agency.name, "language": "xx", "version": str(db.session.get(Agency, agency.id).version)})
    assert refused.status_code == 422
    db.session.expire_all()
    assert db.session.get(Agency, agency.id).language == "en"


def test_the_language_is_in_the_api_schema(app):
    from kernel.openapi import entity_schema
    from kernel.registry import entities

    with app.test_request_context():
        schema = entity_schema(entities().get("agency"))["properties"]["language"]
    assert schema["enum"] == ["fr", "en", None] and schema["title"] in ("Correspondence language", "Langue de correspondance")
