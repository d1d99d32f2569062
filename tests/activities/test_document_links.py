"""A document is linked to one or more clients, contacts or partners with the kernel's type-ahead
"related to" picker, not by typing "client:42"; links can be added and removed."""

import re
from io import BytesIO

from sqlalchemy import select

from kernel.db import db
from plugins.activities.models import Document, DocumentLink
from tests.activities.helpers import create

PDF = b"%PDF-1.4\n%%EOF\n"


def links_of(document_id):
    return set(db.session.scalars(select(DocumentLink.related).where(DocumentLink.document_id == document_id)))


def test_the_upload_form_offers_a_multiple_type_ahead_picker(staff, staff_client):
    person = create("client", {"first_name": "Zoé", "last_name": "Kilabuk"}, staff)
    page = staff_client.get(f"/documents/upload?link=client:{person.id}").get_data(as_text=True)
    picker = re.search(r'<select id="link" name="link" multiple[^>]*>', page).group(0)
    assert "data-lookup=" in picker and "targets=client,contact,partner" in picker
    assert f'<option value="client:{person.id}" selected>' in page and "Zoé Kilabuk" in page
    assert 'placeholder="client:42"' not in page


def test_upload_linked_to_a_client_and_a_partner(staff, staff_client):
    person = create("client", {"last_name": "Kilabuk"}, staff)
    partner = create("partner", {"name": "Carrefour emploi"}, staff)
    response = staff_client.post("/documents/upload", data={
        "name": "Entente", "category": "contract", "file": (BytesIO(PDF), "entente.pdf"),
        "link": [f"client:{person.id}", f"partner:{partner.id}"]}, content_type="multipart/form-data")
    assert response.status_code == 302
    document = db.session.scalar(select(Document))
    assert links_of(document.id) == {f"client:{person.id}", f"partner:{partner.id}"}
    for path in (f"/clients/{person.id}", f"/partners/{partner.id}"):
        assert "Entente" in staff_client.get(path).get_data(as_text=True)


def test_a_refused_upload_keeps_the_chosen_links(staff, staff_client):
    person = create("client", {"first_name": "Zoé", "last_name": "Kilabuk"}, staff)
    response = staff_client.post("/documents/upload", data={
        "name": "Sans fichier", "link": [f"client:{person.id}"]}, content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'<option value="client:{person.id}" selected>' in page and 'value="Sans fichier"' in page


def test_add_several_links_then_remove_one(staff, staff_client):
    person = create("client", {"last_name": "Kilabuk"}, staff)
    contact = create("contact", {"first_name": "Anne", "last_name": "Roy"}, staff)
    staff_client.post("/documents/upload", data={"name": "Lettre", "file": (BytesIO(PDF), "l.pdf")},
                      content_type="multipart/form-data")
    document = db.session.scalar(select(Document))
    page = staff_client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert '<select id="document-link" name="link" multiple required' in page
    response = staff_client.post(f"/documents/{document.id}/links",
                                 data={"link": [f"client:{person.id}", f"contact:{contact.id}"]})
    assert response.status_code == 302
    assert links_of(document.id) == {f"client:{person.id}", f"contact:{contact.id}"}
    page = staff_client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "Kilabuk" in page and "Roy" in page
    staff_client.post(f"/documents/{document.id}/links/remove", data={"link": f"contact:{contact.id}"})
    assert links_of(document.id) == {f"client:{person.id}"}


def test_a_link_to_nothing_is_refused_and_nothing_is_linked(staff, staff_client):
    person = create("client", {"last_name": "Kilabuk"}, staff)
    staff_client.post("/documents/upload", data={"name": "Lettre", "file": (BytesIO(PDF), "l.pdf")},
                      content_type="multipart/form-data")
    document = db.session.scalar(select(Document))
    response = staff_client.post(f"/documents/{document.id}/links",
                                 data={"link": [f"client:{person.id}", "client:999999"]}, follow_redirects=True)
    assert "Choose an existing client, contact or partner." in response.get_data(as_text=True)
    assert links_of(document.id) == set()


def test_read_only_cannot_change_links(staff, staff_client, readonly, login_as):
    person = create("client", {"last_name": "Kilabuk"}, staff)
    staff_client.post("/documents/upload", data={"name": "Lettre", "file": (BytesIO(PDF), "l.pdf"),
                                                 "link": f"client:{person.id}"}, content_type="multipart/form-data")
    document = db.session.scalar(select(Document))
    reader = login_as(readonly)
    assert reader.post(f"/documents/{document.id}/links/remove",
                       data={"link": f"client:{person.id}"}).status_code == 403
    assert links_of(document.id) == {f"client:{person.id}"}


def test_the_sidebar_create_link_leads_to_the_upload_form(staff_client):
    page = staff_client.get("/documents/new").get_data(as_text=True)
    assert 'type="file"' in page and 'enctype="multipart/form-data"' in page
