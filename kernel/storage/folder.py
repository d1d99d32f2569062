"""Files under the instance folder: folders 0700 and files 0600, as everything kept there."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import BinaryIO

from kernel.config import private_folder, private_opener
from kernel.storage import StoredFileMissing, checked_key

CHUNK = 1024 * 1024


class FolderStorage:
    def __init__(self, root: str | Path):
        self.root = Path(root)

    def path(self, key: str) -> Path:
        return self.root / checked_key(key)

    def save(self, key: str, data: bytes | BinaryIO) -> None:
        """Written beside, then renamed: a reader never sees half a file."""
        target = self.path(key)
        private_folder(target.parent)
        partial = target.with_name(target.name + ".partial")
        with open(partial, "wb", opener=private_opener) as handle:
            if isinstance(data, bytes | bytearray):
                handle.write(data)
            else:
                shutil.copyfileobj(data, handle, CHUNK)
        os.replace(partial, target)

    def open(self, key: str) -> BinaryIO:
        try:
            return self.path(key).open("rb")
        except (FileNotFoundError, IsADirectoryError) as error:
            raise StoredFileMissing(key) from error

    def read(self, key: str) -> bytes:
        with self.open(key) as handle:
            return handle.read()

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def size(self, key: str) -> int:
        try:
            return self.path(key).stat().st_size
        except FileNotFoundError as error:
            raise StoredFileMissing(key) from error

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)
