"""Where media bytes live. Local folder by default; the interface is what other backends fill."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Protocol

from transcriber.kit.errors import PayloadTooLarge

CHUNK_BYTES = 1024 * 1024


class Readable(Protocol):
    """What `save` reads from: an open file, an upload, a download in progress."""

    def read(self, size: int = -1, /) -> bytes: ...


class Storage(Protocol):
    def save(self, key: str, source: Readable, *, max_bytes: int) -> int: ...
    def local_path(self, key: str) -> Path: ...
    def size(self, key: str) -> int: ...
    def delete(self, key: str) -> None: ...
    def exists(self, key: str) -> bool: ...
    def delete_prefix(self, prefix: str) -> None: ...


class LocalStorage:
    """Files under one folder; keys are relative paths made by the service, never by clients."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root):
            raise ValueError(f"storage key escapes the storage root: {key!r}")
        return path

    def save(self, key: str, source: Readable, *, max_bytes: int) -> int:
        """Stream `source` to `key` in chunks; refuse (and keep nothing) past `max_bytes`."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".part")
        written = 0
        try:
            with partial.open("wb") as out:
                while chunk := source.read(CHUNK_BYTES):
                    written += len(chunk)
                    if written > max_bytes:
                        raise PayloadTooLarge(
                            f"The file is larger than the limit of {max_bytes:,} bytes."
                        )
                    out.write(chunk)
            partial.replace(path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return written

    def local_path(self, key: str) -> Path:
        return self._path(key)

    def size(self, key: str) -> int:
        return self._path(key).stat().st_size

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete_prefix(self, prefix: str) -> None:
        """Remove everything under a folder-like prefix (a user's or a job's media)."""
        path = self._path(prefix)
        if path != self.root and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)

    def delete(self, key: str) -> None:
        path = self._path(key)
        path.unlink(missing_ok=True)
        parent = path.parent
        # Remove the job's now-empty folder, never the root itself.
        if parent != self.root and parent.is_dir() and not any(parent.iterdir()):
            shutil.rmtree(parent, ignore_errors=True)
