"""A backup holds everyone's personal data and the instance's secret key: the archive is readable by
its owner only from its first byte (not made so once written), its members unpack owner-only, and a
restore puts the instance files back owner-only, whatever the umask."""

import tarfile
from pathlib import Path

import pytest

from kernel import backup
from tests.kernel.test_backup_restore import cli, other_database
from tests.kernel.test_file_permissions import mode, usual_umask  # noqa: F401 - the fixture

pytestmark = pytest.mark.usefixtures("usual_umask")  # the common 022: files readable by all by default


@pytest.fixture
def a_document_readable_by_all(app):
    folder = Path(app.instance_path) / "documents"
    folder.mkdir(exist_ok=True)
    document = folder / "cv.txt"
    document.write_text("Curriculum")
    document.chmod(0o644)
    return document


def test_the_archive_is_private_while_it_is_written_and_after(app, tmp_path, monkeypatch, a_document_readable_by_all):
    seen_while_writing = []
    add_instance_folder = backup.add_instance_folder

    def watching(archive, skip):
        seen_while_writing.extend(mode(path) for path in tmp_path.glob("nightly*.partial"))
        add_instance_folder(archive, skip)

    monkeypatch.setattr(backup, "add_instance_folder", watching)
    result = cli(app, "backup", tmp_path / "nightly")
    assert result.exit_code == 0, result.output
    assert seen_while_writing == [0o600]
    archive_path = tmp_path / "nightly.tar.gz"
    assert mode(archive_path) == 0o600
    with tarfile.open(archive_path) as archive:
        members = archive.getmembers()
    assert "instance/documents/cv.txt" in {member.name for member in members}
    assert {member.mode for member in members} == {0o600}


def test_restored_instance_files_are_private(app, settings, tmp_path, a_document_readable_by_all):
    assert cli(app, "backup", tmp_path / "nightly").exit_code == 0
    with other_database(app, settings, tmp_path) as restored_app:
        result = cli(restored_app, "restore", tmp_path / "nightly.tar.gz")
        assert result.exit_code == 0, result.output
    restored = tmp_path / "restored"
    assert (restored / "documents" / "cv.txt").read_text() == "Curriculum"
    assert mode(restored / "documents" / "cv.txt") == 0o600
    assert mode(restored / "documents") == 0o700
    if settings["DATABASE_URL"].startswith("sqlite"):
        assert mode(restored / "passerelle.db") == 0o600
