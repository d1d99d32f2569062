"""A document in the trash is gone: its files answer 404, a download link kept from before
included; an administrator (who may be about to restore it) still downloads them."""

from io import BytesIO

from sqlalchemy import select

from kernel.db import db
from plugins.activities.models import DocumentRevision

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def uploaded(client) -> DocumentRevision:
    response = client.post("/documents/upload", data={"name": "CV", "category": "cv", "link": "",
                                                      "file": (BytesIO(PDF), "cv.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    return db.session.scalar(select(DocumentRevision))


def trash(make_user, login_as, document_id: int) -> None:
    deleted = login_as(make_user("supervisor")).post(f"/documents/{document_id}/delete", data={"version": "1"})
    assert deleted.status_code == 302


def test_the_files_of_a_trashed_document_are_not_downloadable(staff_client, admin_client, make_user, login_as):
    revision = uploaded(staff_client)
    assert staff_client.get(f"/documents/files/{revision.id}").data == PDF
    trash(make_user, login_as, revision.document_id)
    assert staff_client.get(f"/documents/files/{revision.id}").status_code == 404
    by_admin = admin_client.get(f"/documents/files/{revision.id}")
    assert by_admin.status_code == 200 and by_admin.data == PDF


def test_restored_it_is_downloadable_again(staff_client, admin_client, make_user, login_as):
    revision = uploaded(staff_client)
    trash(make_user, login_as, revision.document_id)
    assert admin_client.post(f"/admin/trash/documents/{revision.document_id}/restore").status_code == 302
    assert staff_client.get(f"/documents/files/{revision.id}").data == PDF
