"""Where the application keeps the files of its users (documents, CVs, imports' files): the
instance folder, or an S3 bucket when ``STORAGE_S3_BUCKET`` is set, so that several servers and
workers on several machines read the same files.

One small interface, the same for both backends; a file is named by a key such as
``uploads/3f2a…`` or ``imports/9c1e….csv`` (in the folder, the path under the instance folder):

- ``save(key, data)``: bytes or a binary stream, replacing any file of that key;
- ``open(key)``: a binary stream to read (and close), ``StoredFileMissing`` when there is none;
- ``read(key)``, ``exists(key)``, ``size(key)``, ``delete(key)`` (a missing file is not an error).

When the storage does not answer, ``StorageUnavailable`` is raised: the application answers 503
with a clear message, and nothing is saved.

Not here: CSV exports (streamed to the client, no file written), the SQLite import journal (SQLite
runs on one machine), the secret key and the config file (the instance folder of each machine).
"""

from __future__ import annotations

import re
import threading
from typing import BinaryIO, Protocol

from flask import current_app
from werkzeug.exceptions import ServiceUnavailable

from kernel.i18n import lazy_gettext as _l

EXTENSION = "passerelle.storage"
_MAKING = threading.Lock()  # one client per application, even when its first requests come together
KEY = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$")


class StoredFileMissing(FileNotFoundError):
    """No file is kept under this key."""


class StorageUnavailable(ServiceUnavailable, OSError):
    """The storage does not answer (a server down, refused credentials, a missing bucket).
    An HTTP 503 too, so that a request meeting it gets the themed error page, never a 500."""

    description = _l("The file storage does not answer. Try again in a moment: nothing was saved.")


class Storage(Protocol):
    def save(self, key: str, data: bytes | BinaryIO) -> None: ...
    def open(self, key: str) -> BinaryIO: ...
    def read(self, key: str) -> bytes: ...
    def exists(self, key: str) -> bool: ...
    def size(self, key: str) -> int: ...
    def delete(self, key: str) -> None: ...


def checked_key(key: str) -> str:
    """Keys are made by the application; one that could leave its folder is a bug, refused."""
    if not KEY.match(key) or ".." in key.split("/"):
        raise ValueError(f"not a storage key: {key!r}")
    return key


def make_storage(config, instance_path: str) -> Storage:
    if config.get("STORAGE_S3_BUCKET"):
        from kernel.storage.s3 import S3Storage

        return S3Storage.from_settings(config)
    from kernel.storage.folder import FolderStorage

    return FolderStorage(instance_path)


def storage() -> Storage:
    """The current application's storage (made once per application)."""
    app = current_app._get_current_object()
    found = app.extensions.get(EXTENSION)
    if found is None:
        with _MAKING:
            found = app.extensions.get(EXTENSION)
            if found is None:
                found = app.extensions[EXTENSION] = make_storage(app.config, app.instance_path)
    return found


def is_object_storage() -> bool:
    return bool(current_app.config.get("STORAGE_S3_BUCKET"))
