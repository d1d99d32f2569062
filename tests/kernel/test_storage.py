"""The storage's interface, the same on both backends: the instance folder (files 0600, folders
0700) and an S3 bucket on a real local S3 server (moto's server mode)."""

import io
import stat

import pytest

from kernel.storage import StorageUnavailable, StoredFileMissing, checked_key
from kernel.storage.folder import FolderStorage
from kernel.storage.s3 import S3Storage


@pytest.fixture(params=["folder", "s3"])
def store(request, tmp_path):
    if request.param == "folder":
        return FolderStorage(tmp_path)
    return S3Storage.from_settings(request.getfixturevalue("s3_server").settings)


def test_bytes_and_streams_saved_read_back(store):
    store.save("uploads/one", b"first")
    store.save("imports/two.csv", io.BytesIO(b"a,b\n" * 1000))
    assert store.read("uploads/one") == b"first"
    with store.open("imports/two.csv") as stream:
        assert stream.read() == b"a,b\n" * 1000
    assert store.size("imports/two.csv") == 4000
    assert store.exists("uploads/one")


def test_saving_again_replaces_the_file(store):
    store.save("uploads/again", b"old")
    store.save("uploads/again", b"new")
    assert store.read("uploads/again") == b"new"


def test_deleted_is_gone_and_deleting_twice_is_not_an_error(store):
    store.save("uploads/gone", b"x")
    store.delete("uploads/gone")
    store.delete("uploads/gone")
    assert not store.exists("uploads/gone")


def test_a_missing_file_is_told_apart(store):
    for read in (store.open, store.read, store.size):
        with pytest.raises(StoredFileMissing):
            read("uploads/never-saved")
    assert not store.exists("uploads/never-saved")


@pytest.mark.parametrize("key", ["../secret_key", "/etc/passwd", "uploads/../../x", "", "uploads//x", "a b"])
def test_a_key_that_could_leave_the_storage_is_refused(key):
    with pytest.raises(ValueError):
        checked_key(key)


def test_the_folder_keeps_files_for_the_owner_only(tmp_path):
    FolderStorage(tmp_path).save("uploads/private", b"x")
    assert stat.S_IMODE((tmp_path / "uploads").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "uploads" / "private").stat().st_mode) == 0o600
    assert not list((tmp_path / "uploads").glob("*.partial"))


def test_s3_keys_carry_the_prefix(s3_server):
    S3Storage.from_settings(s3_server.settings).save("uploads/prefixed", b"x")
    assert f"{s3_server.prefix}uploads/prefixed" in s3_server.keys()


def test_a_stopped_s3_server_is_unavailable_not_missing(s3_server):
    store = S3Storage.from_settings(s3_server.settings)
    store.save("uploads/kept", b"x")
    with s3_server.stopped():
        for call in (lambda: store.read("uploads/kept"), lambda: store.save("uploads/new", b"y"),
                     lambda: store.exists("uploads/kept")):
            with pytest.raises(StorageUnavailable):
                call()
    assert store.read("uploads/kept") == b"x"


def test_a_missing_bucket_is_unavailable(s3_server):
    store = S3Storage.from_settings({**s3_server.settings, "STORAGE_S3_BUCKET": "no-such-bucket"})
    with pytest.raises(StorageUnavailable):
        store.save("uploads/x", b"x")
