"""The files of an import, under ``instance/imports/`` and readable by the owner only: the upload,
the rejected rows (with their reason), the progress and the SQLite journal next to it."""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app

from kernel.config import private_folder, private_opener, write_private
from kernel.export import csv_writer
from kernel.i18n import gettext as _

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
    return Path(current_app.instance_path) / relative


def store_file(data: bytes) -> str:
    """Keep the uploaded bytes under ``instance/imports/``; returns the path relative to the instance."""
    name = f"{secrets.token_hex(16)}.csv"
    write_private(instance_folder() / name, data)
    return f"{FOLDER}/{name}"


def rejected_path(job: Import) -> Path:
    return absolute_path(job.path).with_suffix(".rejected.csv")


def progress_path(relative: str) -> Path:
    return absolute_path(relative).with_suffix(".progress.json")


def max_bytes() -> int:
    return int(current_app.config.get("IMPORT_MAX_BYTES") or DEFAULT_MAX_BYTES)


def journal_path(job: Import) -> Path:
    return absolute_path(job.path).with_suffix(".journal")


def copy_rejected(job: Import, destination: Path) -> bool:
    """Copy the rejected rows file (if any) to ``destination``."""
    source = rejected_path(job)
    if not source.exists():
        return False
    shutil.copyfile(source, destination)
    return True


class RejectedRows:
    """The rejected rows with their reason, written as they come (UTF-8 with BOM for Excel)."""

    def __init__(self, path: Path, headers: list[str], delimiter: str):
        self.path = path
        self.handle = open(path, "w", encoding="utf-8-sig", newline="", opener=private_opener)  # noqa: SIM115
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
        self.handle.close()
        if not keep or not self.count:
            self.path.unlink(missing_ok=True)
