"""A document whose file is no longer on disk (a restore without the uploads folder, a disk
cleaned by hand) answers 404, not a server error."""

from plugins.activities import documents
from tests.activities.test_trashed_document_files import uploaded


def test_a_file_missing_from_the_disk_is_a_404(app, staff_client):
    revision = uploaded(staff_client)
    (documents.upload_folder() / revision.stored_name).unlink()
    assert staff_client.get(f"/documents/files/{revision.id}").status_code == 404
