"""Two clients with data in several modules, for the export and erasure tests."""

from __future__ import annotations

from datetime import date, datetime

from kernel import records
from kernel.db import db
from kernel.registry import entities
from plugins.activities.models import Call
from plugins.sae.models import CaseFile


def a_client_with_data(user, first="Zoé", last="Tremblay", *, file_status="closed", language="fr",
                       email="zoe.tremblay@example.org", number="SAE-0001", phone="(514) 555-0101"):
    client = records.create(entities().get("client"), {
        "first_name": first, "last_name": last, "email": email, "phone": phone,
        "preferred_language": language, "city": "Montréal", "postal_code": "H2X 1Y4",
        "date_of_birth": "1990-05-17"}, user)
    db.session.flush()
    db.session.add(Call(subject=f"Call {first} {last} about the CV", start=datetime(2025, 4, 2, 10, 0),
                        duration_hours=0, duration_minutes=15, related_to=f"client:{client.id}",
                        description=f"{first} asked for a workshop."))
    db.session.add(CaseFile(file_number=number, client_id=client.id, status=file_status,
                            intake_date=date(2025, 1, 6), notes=f"{first} {last} wants to work as a welder.",
                            closure_date=date(2025, 6, 1) if file_status == "closed" else None,
                            outcome="employed" if file_status == "closed" else None))
    db.session.commit()
    return client


def a_document_about(client, text="Zoé Tremblay's CV", name="CV of Zoé Tremblay"):
    """A document linked to the client, with one file on disk."""
    import secrets

    from plugins.activities.documents import upload_folder
    from plugins.activities.models import Document, DocumentLink, DocumentRevision

    document = Document(name=name, category=None)
    db.session.add(document)
    db.session.flush()
    stored = secrets.token_hex(20)
    (upload_folder() / stored).write_bytes(text.encode())
    db.session.add(DocumentRevision(document_id=document.id, stored_name=stored, original_name="cv.txt",
                                    content_type="text/plain", size=len(text.encode())))
    db.session.add(DocumentLink(document_id=document.id, related=f"client:{client.id}"))
    db.session.commit()
    return document, upload_folder() / stored
