"""The bytes of unfinished uploads: one folder per upload under the uploads folder.

`uploads/<upload id>/<file name>` holds the bytes received so far (named after the client's
file, cleaned, so the probe's messages name the person's file). A request that writes holds an
exclusive `flock` on it, so two requests never write the same upload at once, across threads and
processes of one machine (and on shared folders whose locks work). A request waiting for that lock
waits in the event loop (non-blocking tries between short sleeps), never in a worker thread, and
only a few may wait per upload: the rest get 423 at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import anyio

from transcriber.kit.filenames import clean_filename, safe_suffix
from transcriber.uploads.tus import UploadLocked

# Longest file name written to disk (file systems allow 255 bytes).
_MAX_NAME_BYTES = 200
# Requests of this process that may wait for one upload's lock; more answer 423 at once.
MAX_WAITING = 4
# Pause between two non-blocking tries of the lock.
RETRY_S = 0.05

_waiting: dict[uuid.UUID, int] = {}
_waiting_guard = threading.Lock()


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

    def busy(self, upload_id: uuid.UUID, filename: str) -> bool:
        """Whether a request holds the upload's lock right now (one non-blocking try)."""
        try:
            with self.path(upload_id, filename).open("rb") as handle:
                return not _try_lock(handle)
        except FileNotFoundError:
            return False

    async def lock(self, upload_id: uuid.UUID, path: Path, wait_s: float) -> BinaryIO | None:
        """The file, open and locked for writing (closing it unlocks); None when it does not
        exist (any more). Waits up to `wait_s` in the event loop, then 423; 423 at once when
        `MAX_WAITING` requests already wait for this upload."""
        try:
            handle = path.open("r+b")
        except FileNotFoundError:
            return None
        try:
            if _try_lock(handle):
                return handle
            with _waiting_slot(upload_id):
                deadline = time.monotonic() + wait_s
                while time.monotonic() < deadline:
                    await anyio.sleep(RETRY_S)
                    if _try_lock(handle):
                        return handle
            raise _locked()
        except BaseException:
            handle.close()
            raise


def _try_lock(handle: BinaryIO) -> bool:
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _locked() -> UploadLocked:
    return UploadLocked(
        "Another request is still writing to this upload (a dropped connection the server "
        "has not noticed yet); try again shortly."
    )


@contextlib.contextmanager
def _waiting_slot(upload_id: uuid.UUID) -> Iterator[None]:
    with _waiting_guard:
        if _waiting.get(upload_id, 0) >= MAX_WAITING:
            raise _locked()
        _waiting[upload_id] = _waiting.get(upload_id, 0) + 1
    try:
        yield
    finally:
        with _waiting_guard:
            left = _waiting.pop(upload_id) - 1
            if left:
                _waiting[upload_id] = left


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
