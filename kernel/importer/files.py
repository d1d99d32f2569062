"""The files of an import. The upload and the rejected rows (with their reason) are kept in the
storage (``kernel.storage``: the instance folder, or object storage so that a worker on another
machine reads the upload and any server offers the rejected rows); the SQLite journal and the
progress of older versions stay in ``instance/imports/``, readable by the owner only (SQLite runs
on one machine)."""

from __future__ import annotations

import secrets
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from flask import current_app

from kernel.config import private_folder
from kernel.export import csv_writer
from kernel.i18n import gettext as _
from kernel.storage import StoredFileMissing, storage

if TYPE_CHECKING:
    from kernel.importer.jobs import Import


FOLDER = "imports"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


class ImportFileError(ValueError):
    """The file cannot be imported at all; ``message`` says why, for people."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def instance_folder() -> Path:
    return private_folder(Path(current_app.instance_path) / FOLDER)


def absolute_path(relative: str) -> Path:
    """A file of the import on this machine (the journal), its folder made if needed."""
    instance_folder()
    return Path(current_app.instance_path) / relative


def store_file(data: bytes) -> str:
    """Keep the uploaded bytes in the storage; returns their key (``imports/<random>.csv``)."""
    key = f"{FOLDER}/{secrets.token_hex(16)}.csv"
    storage().save(key, data)
    return key


def read_stored(key: str) -> bytes:
    """The uploaded bytes (``StoredFileMissing``, an ``OSError``, when they are gone)."""
    return storage().read(key)


def rejected_key(job: Import) -> str:
    return job.path.removesuffix(".csv") + ".rejected.csv"


def has_rejected(job: Import) -> bool:
    return storage().exists(rejected_key(job))


def open_rejected(job: Import) -> BinaryIO | None:
    """The rejected rows file to read (and close), or None when there is none."""
    try:
        return storage().open(rejected_key(job))
    except StoredFileMissing:
        return None


def delete_rejected(job: Import) -> None:
    storage().delete(rejected_key(job))


def progress_path(relative: str) -> Path:
    return absolute_path(relative).with_suffix(".progress.json")


def max_bytes() -> int:
    return int(current_app.config.get("IMPORT_MAX_BYTES") or DEFAULT_MAX_BYTES)


def journal_path(job: Import) -> Path:
    return absolute_path(job.path).with_suffix(".journal")


def copy_rejected(job: Import, destination: Path) -> bool:
    """Copy the rejected rows file (if any) to ``destination``."""
    source = open_rejected(job)
    if source is None:
        return False
    with source, destination.open("wb") as copy:
        shutil.copyfileobj(source, copy)
    return True


class RejectedRows:
    """The rejected rows with their reason, written as they come (UTF-8 with BOM for Excel) to a
    private temporary file, then kept in the storage under ``key`` when the import is done."""

    def __init__(self, key: str, headers: list[str], delimiter: str):
        self.key = key
        self.handle = tempfile.TemporaryFile("w+", encoding="utf-8-sig", newline="")  # noqa: SIM115 - 0600
        self.writer = csv_writer(self.handle, delimiter=delimiter)  # opened in a spreadsheet: no formulas
        self.writer.writerow([*headers, _("Reason")])
        self.width = len(headers)
        self.count = 0

    def add(self, cells: list[str], reason: str) -> None:
        """The row's cells under their columns (cells beyond the last column are left out), then the reason."""
        padded = list(cells[:self.width]) + [""] * (self.width - len(cells))
        self.writer.writerow([*padded, reason])
        self.count += 1

    def close(self, *, keep: bool) -> None:
        try:
            if keep and self.count:
                self.handle.flush()
                self.handle.buffer.seek(0)
                storage().save(self.key, self.handle.buffer)
        finally:
            self.handle.close()
