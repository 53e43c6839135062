"""Where media bytes live: a local folder (the default, or a shared mount for several machines)
or an S3-compatible bucket (docs/decisions/0095-storage-backends.md).

Keys are relative, `/`-separated paths made by the services (`<owner>/<job>/original.wav`),
never by clients; a key that would leave the storage root is refused with `ValueError`.
A missing object is `FileNotFoundError`; storage that does not answer is
`kit.errors.StorageUnavailable` (503 in the API, a transient fault in the worker).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, BinaryIO, NoReturn, Protocol

from transcriber.kit.errors import PayloadTooLarge, StorageUnavailable

if TYPE_CHECKING:
    from transcriber.config import Settings

log = logging.getLogger(__name__)

CHUNK_BYTES = 1024 * 1024
# Temporary copies older than this are left over from a killed process and are removed.
STALE_COPY_S = 2 * 24 * 3600.0


class Readable(Protocol):
    """What `save` reads from: an open file, an upload, a download in progress."""

    def read(self, size: int = -1, /) -> bytes: ...


class Storage(Protocol):
    def save(self, key: str, source: Readable, *, max_bytes: int) -> int:
        """Stream `source` to `key`; past `max_bytes` raise PayloadTooLarge and keep nothing."""
        ...

    def save_file(self, key: str, path: Path) -> int:
        """Store a finished file of this machine as `key`, leaving the file where it is: a
        hard link where it can be one (no byte copied), else a streamed copy. Its size."""
        ...

    def local_path(self, key: str) -> Path:
        """A file on this machine with the object's bytes. Prefer `open_local`, which cleans
        up after itself: on object storage this is a cached copy kept until `delete`."""
        ...

    def open_local(self, key: str) -> contextlib.AbstractContextManager[Path]:
        """A file on this machine with the object's bytes, for as long as the block runs
        (object storage: a temporary download, removed at the end)."""
        ...

    def on_disk(self, key: str) -> Path | None:
        """The stored file itself when it lives on this machine's file system, else None."""
        ...

    def read_range(self, key: str, start: int, end: int) -> Iterator[bytes]:
        """Bytes `start` up to (not including) `end`, in chunks, streamed."""
        ...

    def size(self, key: str) -> int: ...
    def delete(self, key: str) -> None: ...
    def exists(self, key: str) -> bool: ...
    def delete_prefix(self, prefix: str) -> None: ...

    def check(self) -> None:
        """Raise when the storage cannot be written (readiness)."""
        ...


def _copy_limited(source: Readable, out: BinaryIO, max_bytes: int) -> int:
    written = 0
    while chunk := source.read(CHUNK_BYTES):
        written += len(chunk)
        if written > max_bytes:
            raise _too_large(max_bytes)
        out.write(chunk)
    return written


def _too_large(max_bytes: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"The file is larger than the limit of {max_bytes:,} bytes.")


class LocalStorage:
    """Files under one folder; keys are relative paths made by the service, never by clients.
    The folder may be a shared mount (NFS, SMB) that every API and worker machine sees."""

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
        try:
            with partial.open("wb") as out:
                written = _copy_limited(source, out, max_bytes)
            partial.replace(path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return written

    def save_file(self, key: str, path: Path) -> int:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        size = path.stat().st_size
        try:
            target.unlink(missing_ok=True)
            os.link(path, target)  # same file system: no byte is copied
        except OSError:  # another file system (a shared mount) or no hard links: copy
            with path.open("rb") as source:
                self.save(key, source, max_bytes=size)
        return size

    def local_path(self, key: str) -> Path:
        return self._path(key)

    @contextlib.contextmanager
    def open_local(self, key: str) -> Iterator[Path]:
        path = self._path(key)
        if not path.is_file():
            raise FileNotFoundError(f"no stored object {key!r}")
        yield path

    def on_disk(self, key: str) -> Path | None:
        return self._path(key)

    def read_range(self, key: str, start: int, end: int) -> Iterator[bytes]:
        with self._path(key).open("rb") as file:
            file.seek(start)
            left = end - start
            while left > 0 and (chunk := file.read(min(CHUNK_BYTES, left))):
                left -= len(chunk)
                yield chunk

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

    def check(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=self.root, prefix=".ready-") as marker:
            marker.write(b"ok")
            marker.flush()


def _object_key(key: str) -> str:
    """A key as it may appear in a bucket: relative, no `.`/`..`/empty segments, no NUL."""
    parts = key.split("/")
    if (
        not key
        or key.startswith("/")
        or "\\" in key
        or "\x00" in key
        or any(part in ("", ".", "..") for part in parts)
    ):
        raise ValueError(f"storage key escapes the storage root: {key!r}")
    return key


class S3Storage:
    """Objects in an S3-compatible bucket under an optional prefix.

    Uploads are multipart with one part in memory at a time (`part_bytes`); a file past
    `max_bytes` aborts the multipart upload, so nothing is kept. Workers read media through
    `open_local`, a streamed download to `cache_dir` removed when the job ends.
    """

    def __init__(
        self,
        client: Any,
        bucket: str,
        *,
        prefix: str = "",
        cache_dir: Path,
        part_bytes: int = 8 * 1024**2,
    ) -> None:
        self.client = client
        self.bucket = bucket
        cleaned = prefix.strip("/")
        self.prefix = f"{_object_key(cleaned)}/" if cleaned else ""
        self.cache_dir = cache_dir.resolve()
        self.part_bytes = part_bytes
        self._sweep_stale_copies()

    @classmethod
    def from_settings(cls, settings: Settings) -> S3Storage:
        import boto3
        from botocore.config import Config

        conf = settings.storage
        secret = conf.s3_secret_access_key
        session = boto3.session.Session(
            aws_access_key_id=conf.s3_access_key_id,
            aws_secret_access_key=secret.get_secret_value() if secret else None,
            region_name=conf.s3_region,
        )
        client = session.client(
            "s3",
            endpoint_url=conf.s3_endpoint_url,
            config=Config(
                s3={"addressing_style": conf.s3_addressing_style},
                retries={"max_attempts": 3, "mode": "standard"},
                connect_timeout=10,
                read_timeout=60,
            ),
        )
        assert conf.s3_bucket is not None  # the settings refuse `s3` without a bucket
        return cls(
            client,
            conf.s3_bucket,
            prefix=conf.s3_prefix,
            cache_dir=settings.media_cache_dir,
            part_bytes=conf.s3_part_bytes,
        )

    # -- keys and errors --------------------------------------------------------------------

    def _full(self, key: str) -> str:
        return self.prefix + _object_key(key)

    @contextlib.contextmanager
    def _errors(self, key: str) -> Iterator[None]:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            yield
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in ("404", "NoSuchKey", "NotFound"):
                raise FileNotFoundError(f"no stored object {key!r}") from exc
            self._unavailable(f"refused the request ({code or 'error'})", exc)
        except BotoCoreError as exc:
            self._unavailable(f"did not answer ({type(exc).__name__})", exc)

    def _unavailable(self, what: str, exc: Exception) -> NoReturn:
        log.warning("S3 bucket %s %s: %s", self.bucket, what, exc)
        raise StorageUnavailable(
            f"The media storage {what}; try again in a moment, or ask an admin to check the "
            "storage settings."
        ) from exc

    # -- the interface ----------------------------------------------------------------------

    def save(self, key: str, source: Readable, *, max_bytes: int) -> int:
        full = self._full(key)
        first = _read_full(source, self.part_bytes)
        if len(first) > max_bytes:
            raise _too_large(max_bytes)
        if len(first) < self.part_bytes:
            with self._errors(key):
                self.client.put_object(Bucket=self.bucket, Key=full, Body=first)
            return len(first)
        with self._errors(key):
            upload_id = self.client.create_multipart_upload(Bucket=self.bucket, Key=full)[
                "UploadId"
            ]
        try:
            parts: list[dict[str, Any]] = []
            written = 0
            part = first
            while part:
                written += len(part)
                if written > max_bytes:
                    raise _too_large(max_bytes)
                with self._errors(key):
                    answer = self.client.upload_part(
                        Bucket=self.bucket,
                        Key=full,
                        UploadId=upload_id,
                        PartNumber=len(parts) + 1,
                        Body=part,
                    )
                parts.append({"PartNumber": len(parts) + 1, "ETag": answer["ETag"]})
                part = b""  # let the part go before reading the next one
                part = _read_full(source, self.part_bytes)
            with self._errors(key):
                self.client.complete_multipart_upload(
                    Bucket=self.bucket,
                    Key=full,
                    UploadId=upload_id,
                    MultipartUpload={"Parts": parts},
                )
        except BaseException:
            with contextlib.suppress(Exception):
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=full, UploadId=upload_id)
            raise
        return written

    def _download(self, key: str, out: BinaryIO) -> None:
        with self._errors(key):
            body = self.client.get_object(Bucket=self.bucket, Key=self._full(key))["Body"]
            try:
                for chunk in body.iter_chunks(CHUNK_BYTES):
                    out.write(chunk)
            finally:
                body.close()

    def save_file(self, key: str, path: Path) -> int:
        with path.open("rb") as source:
            return self.save(key, source, max_bytes=path.stat().st_size)

    def local_path(self, key: str) -> Path:
        """A cached copy under `cache_dir/objects/`, fetched once and kept until `delete`."""
        path = self.cache_dir / "objects" / _object_key(key)
        if path.is_file() and path.stat().st_size == self.size(key):
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".part", delete=False) as tmp:
            partial = Path(tmp.name)
        try:
            with partial.open("wb") as out:
                self._download(key, out)
            partial.replace(path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return path

    @contextlib.contextmanager
    def open_local(self, key: str) -> Iterator[Path]:
        folder = self.cache_dir / "jobs"
        folder.mkdir(parents=True, exist_ok=True)
        suffix = PurePosixPath(_object_key(key)).suffix
        with tempfile.NamedTemporaryFile(dir=folder, suffix=suffix, delete=False) as tmp:
            path = Path(tmp.name)
        try:
            with path.open("wb") as out:
                self._download(key, out)
            yield path
        finally:
            path.unlink(missing_ok=True)

    def on_disk(self, key: str) -> Path | None:
        return None

    def read_range(self, key: str, start: int, end: int) -> Iterator[bytes]:
        if end <= start:
            return
        with self._errors(key):
            body = self.client.get_object(
                Bucket=self.bucket, Key=self._full(key), Range=f"bytes={start}-{end - 1}"
            )["Body"]
        try:
            with self._errors(key):
                yield from body.iter_chunks(CHUNK_BYTES)
        finally:
            body.close()

    def size(self, key: str) -> int:
        with self._errors(key):
            head = self.client.head_object(Bucket=self.bucket, Key=self._full(key))
        return int(head["ContentLength"])

    def exists(self, key: str) -> bool:
        try:
            self.size(key)
        except FileNotFoundError:
            return False
        return True

    def delete(self, key: str) -> None:
        with self._errors(key):
            self.client.delete_object(Bucket=self.bucket, Key=self._full(key))
        (self.cache_dir / "objects" / key).unlink(missing_ok=True)

    def delete_prefix(self, prefix: str) -> None:
        """Remove every object under a folder-like prefix; an empty prefix removes nothing."""
        cleaned = prefix.rstrip("/")
        if not cleaned and not prefix:
            return
        folder = self._full(cleaned) + "/"
        with self._errors(prefix):
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=folder
            )
            for page in pages:
                keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
                if keys:  # at most 1000 per page, the limit of one delete_objects call
                    self.client.delete_objects(
                        Bucket=self.bucket, Delete={"Objects": keys, "Quiet": True}
                    )
        shutil.rmtree(self.cache_dir / "objects" / cleaned, ignore_errors=True)

    def check(self) -> None:
        try:
            with self._errors(""):
                self.client.head_bucket(Bucket=self.bucket)
        except FileNotFoundError as exc:
            self._unavailable(f"refused the request (no bucket {self.bucket!r})", exc)

    def _sweep_stale_copies(self) -> None:
        """Temporary downloads left by a killed process are removed (best effort)."""
        folder = self.cache_dir / "jobs"
        if not folder.is_dir():
            return
        cutoff = time.time() - STALE_COPY_S
        for path in folder.iterdir():
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()


def _read_full(source: Readable, size: int) -> bytes:
    """Read up to `size` bytes, looping over short reads (sockets, pipes)."""
    chunks: list[bytes] = []
    left = size
    while left > 0 and (chunk := source.read(left)):
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def storage_from_settings(settings: Settings) -> Storage:
    if settings.storage.backend == "s3":
        return S3Storage.from_settings(settings)
    return LocalStorage(settings.media_dir)
