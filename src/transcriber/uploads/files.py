"""The bytes of unfinished uploads: one folder per upload under the uploads folder.

`uploads/<upload id>/<file name>` holds the bytes received so far (named after the client's
file, cleaned, so the probe's messages name the person's file). A request that writes holds an
exclusive `flock` on it, so two requests never write the same upload at once, across threads and
processes of one machine (and on shared folders whose locks work).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from transcriber.kit.filenames import clean_filename, safe_suffix
from transcriber.uploads.tus import UploadLocked

# Longest file name written to disk (file systems allow 255 bytes).
_MAX_NAME_BYTES = 200


def disk_name(filename: str) -> str:
    name = clean_filename(filename)
    if len(name.encode()) > _MAX_NAME_BYTES:
        name = "media" + safe_suffix(name)
    return name


class PartialFiles:
    def __init__(self, root: Path) -> None:
        self.root = root

    def folder(self, upload_id: uuid.UUID) -> Path:
        return self.root / str(upload_id)

    def path(self, upload_id: uuid.UUID, filename: str) -> Path:
        return self.folder(upload_id) / disk_name(filename)

    def create(self, upload_id: uuid.UUID, filename: str) -> Path:
        path = self.path(upload_id, filename)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        return path

    def delete(self, upload_id: uuid.UUID) -> None:
        shutil.rmtree(self.folder(upload_id), ignore_errors=True)

    def known_ids(self) -> list[tuple[uuid.UUID, float]]:
        """Every upload folder on disk with its last change time (for the orphan sweep)."""
        if not self.root.is_dir():
            return []
        found: list[tuple[uuid.UUID, float]] = []
        for entry in self.root.iterdir():
            try:
                found.append((uuid.UUID(entry.name), entry.stat().st_mtime))
            except (ValueError, OSError):
                continue
        return found

    def open_locked(self, path: Path, wait_s: float) -> BinaryIO | None:
        """The file, open and locked for writing (closing it unlocks); None when it does not
        exist (any more). Blocks up to `wait_s`, then 423."""
        try:
            handle = path.open("r+b")
        except FileNotFoundError:
            return None
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                return handle
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.close()
                    raise UploadLocked(
                        "Another request is still writing to this upload (a dropped "
                        "connection the server has not noticed yet); try again shortly."
                    ) from None
                time.sleep(0.05)

    @contextlib.contextmanager
    def locked(self, path: Path, wait_s: float) -> Iterator[BinaryIO | None]:
        handle = self.open_locked(path, wait_s)
        try:
            yield handle
        finally:
            if handle is not None:
                handle.close()


def write_at(handle: BinaryIO, offset: int, data: bytes, hasher: object | None) -> None:
    handle.seek(offset)
    handle.write(data)
    if hasher is not None:
        hasher.update(data)  # type: ignore[attr-defined]


def settle(handle: BinaryIO, size: int) -> None:
    """Keep exactly `size` bytes, durably, before that offset is promised to the client."""
    handle.flush()
    handle.truncate(size)
    os.fdatasync(handle.fileno())
