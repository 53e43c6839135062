"""The storage contract, one suite for both backends: a local folder and an S3-compatible
bucket on a local server (moto) started by the tests."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest

from tests.support.s3 import Bucket, s3_settings
from transcriber.kit.errors import PayloadTooLarge, StorageUnavailable
from transcriber.kit.storage import LocalStorage, S3Storage, Storage, storage_from_settings

MIB = 1024 * 1024
PART = 5 * MIB  # the smallest part S3 accepts


@pytest.fixture(params=["local", "s3"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Storage, Bucket | None]:
    if request.param == "local":
        return LocalStorage(tmp_path / "media"), None
    bucket: Bucket = request.getfixturevalue("s3_bucket")
    settings = s3_settings(tmp_path / "data", bucket, s3_part_bytes=PART)
    storage = storage_from_settings(settings)
    assert isinstance(storage, S3Storage)
    return storage, bucket


def _leftovers(storage: Storage, bucket: Bucket | None) -> list[str]:
    """Everything the backend holds: files under the root, or objects and open uploads."""
    if bucket is None:
        assert isinstance(storage, LocalStorage)
        return sorted(str(p) for p in storage.root.rglob("*") if p.is_file())
    return bucket.object_keys() + bucket.open_multipart_uploads()


def _read(storage: Storage, key: str) -> bytes:
    with storage.open_local(key) as path:
        return path.read_bytes()


@pytest.mark.parametrize("size", [0, 1000, 11 * MIB])  # empty, one request, three parts
def test_save_within_the_limit_keeps_the_bytes(
    backend: tuple[Storage, Bucket | None], size: int
) -> None:
    storage, _ = backend
    data = os.urandom(size)
    assert storage.save("u/j/original.wav", io.BytesIO(data), max_bytes=size) == size
    assert storage.exists("u/j/original.wav")
    assert storage.size("u/j/original.wav") == size
    assert _read(storage, "u/j/original.wav") == data


def test_save_file_stores_a_finished_file_and_leaves_it_in_place(
    backend: tuple[Storage, Bucket | None], tmp_path: Path
) -> None:
    storage, _ = backend
    data = os.urandom(3 * MIB)
    source = tmp_path / "finished-upload.wav"
    source.write_bytes(data)
    assert storage.save_file("u/j/original.wav", source) == len(data)
    assert source.read_bytes() == data  # the upload's own file stays until it is cleaned up
    source.unlink()  # as the upload's cleanup does: the stored bytes stay
    assert _read(storage, "u/j/original.wav") == data
    if isinstance(storage, LocalStorage):
        # A hard link, not a copy: what a gigabyte upload must not pay twice.
        source.write_bytes(b"x")
        assert storage.save_file("u/j/linked.wav", source) == 1
        assert storage.local_path("u/j/linked.wav").stat().st_ino == source.stat().st_ino


@pytest.mark.parametrize(("size", "limit"), [(1000, 999), (11 * MIB, 7 * MIB), (11 * MIB, 0)])
def test_save_past_the_limit_keeps_nothing(
    backend: tuple[Storage, Bucket | None], size: int, limit: int
) -> None:
    storage, bucket = backend
    with pytest.raises(PayloadTooLarge, match="larger than the limit"):
        storage.save("u/j/original.wav", io.BytesIO(os.urandom(size)), max_bytes=limit)
    assert not storage.exists("u/j/original.wav")
    assert _leftovers(storage, bucket) == []


def test_a_failed_source_keeps_nothing(backend: tuple[Storage, Bucket | None]) -> None:
    storage, bucket = backend

    class Broken(io.RawIOBase):
        sent = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            if self.sent >= 7 * MIB:
                raise ConnectionResetError("the client went away")
            n = len(buffer)
            buffer[:n] = b"\x01" * n
            self.sent += n
            return n

    with pytest.raises(ConnectionResetError):
        storage.save("u/j/original.wav", io.BufferedReader(Broken()), max_bytes=100 * MIB)
    assert _leftovers(storage, bucket) == []


def test_missing_objects(backend: tuple[Storage, Bucket | None]) -> None:
    storage, _ = backend
    assert not storage.exists("u/j/nothing.wav")
    with pytest.raises(FileNotFoundError):
        storage.size("u/j/nothing.wav")
    with pytest.raises(FileNotFoundError), storage.open_local("u/j/nothing.wav"):
        pass
    storage.delete("u/j/nothing.wav")  # deleting what is not there is not an error


def test_delete_and_delete_prefix(backend: tuple[Storage, Bucket | None]) -> None:
    storage, bucket = backend
    for key in ("alice/j1/a.wav", "alice/j2/b.wav", "alice2/j3/c.wav", "bob/j4/d.wav"):
        storage.save(key, io.BytesIO(key.encode()), max_bytes=100)
    storage.delete("alice/j1/a.wav")
    assert not storage.exists("alice/j1/a.wav")
    assert storage.exists("alice/j2/b.wav")
    storage.delete_prefix("alice")
    assert not storage.exists("alice/j2/b.wav")
    # A prefix is a folder: `alice` is not `alice2`.
    assert storage.exists("alice2/j3/c.wav") and storage.exists("bob/j4/d.wav")
    storage.delete_prefix("")  # never everything
    with pytest.raises(ValueError, match="escapes"):
        storage.delete_prefix("/")
    assert storage.exists("bob/j4/d.wav")
    storage.delete_prefix("alice2")
    storage.delete_prefix("bob")
    assert _leftovers(storage, bucket) == []


@pytest.mark.parametrize("key", ["../outside.wav", "u/../../outside.wav", "/etc/passwd"])
def test_keys_that_escape_the_root_are_refused(
    backend: tuple[Storage, Bucket | None], key: str
) -> None:
    storage, bucket = backend
    with pytest.raises(ValueError, match="escapes"):
        storage.save(key, io.BytesIO(b"x"), max_bytes=10)
    for call in (storage.exists, storage.delete, storage.size, storage.local_path):
        with pytest.raises(ValueError, match="escapes"):
            call(key)
    with pytest.raises(ValueError, match="escapes"):
        storage.delete_prefix("../")
    assert _leftovers(storage, bucket) == []


def test_range_reads(backend: tuple[Storage, Bucket | None]) -> None:
    storage, _ = backend
    data = os.urandom(3 * MIB + 17)
    storage.save("u/j/a.mp3", io.BytesIO(data), max_bytes=len(data))

    def read(start: int, end: int) -> bytes:
        return b"".join(storage.read_range("u/j/a.mp3", start, end))

    assert read(0, len(data)) == data
    assert read(100, 200) == data[100:200]
    assert read(MIB - 1, 2 * MIB + 1) == data[MIB - 1 : 2 * MIB + 1]
    assert read(len(data) - 5, len(data)) == data[-5:]
    assert read(7, 7) == b""


def test_open_local_leaves_no_copy_behind(
    backend: tuple[Storage, Bucket | None], tmp_path: Path
) -> None:
    storage, _ = backend
    storage.save("u/j/a.wav", io.BytesIO(b"abc"), max_bytes=10)
    with storage.open_local("u/j/a.wav") as path:
        assert path.read_bytes() == b"abc"
    with pytest.raises(RuntimeError), storage.open_local("u/j/a.wav") as path:
        raise RuntimeError("the decoder failed")
    if isinstance(storage, S3Storage):
        assert not path.exists()
        assert list((storage.cache_dir / "jobs").iterdir()) == []
        assert storage.on_disk("u/j/a.wav") is None
    else:
        assert path.exists()  # the stored file itself
        assert storage.on_disk("u/j/a.wav") == path


def test_local_path_still_works(backend: tuple[Storage, Bucket | None]) -> None:
    """The older call: a path on this machine (a cached copy on S3, removed by `delete`)."""
    storage, _ = backend
    storage.save("u/j/a.wav", io.BytesIO(b"abc"), max_bytes=10)
    path = storage.local_path("u/j/a.wav")
    assert path.read_bytes() == b"abc"
    storage.delete("u/j/a.wav")
    assert not path.exists()


def test_check(backend: tuple[Storage, Bucket | None]) -> None:
    storage, _ = backend
    storage.check()


def test_s3_uploads_stream_one_part_at_a_time(s3_bucket: Bucket, tmp_path: Path) -> None:
    """Memory stays flat: each part is sent before the next one is read."""
    storage = storage_from_settings(s3_settings(tmp_path, s3_bucket, s3_part_bytes=PART))
    assert isinstance(storage, S3Storage)
    source = io.BytesIO(os.urandom(4 * PART + 3))
    read_at_upload: list[int] = []
    real_client = storage.client

    class Watching:
        def __getattr__(self, name: str) -> Any:
            return getattr(real_client, name)

        def upload_part(self, **kwargs: Any) -> Any:
            read_at_upload.append(source.tell())
            assert len(kwargs["Body"]) <= PART
            return real_client.upload_part(**kwargs)

    storage.client = Watching()
    assert storage.save("u/j/big.wav", source, max_bytes=10 * PART) == 4 * PART + 3
    assert read_at_upload == [PART, 2 * PART, 3 * PART, 4 * PART, 4 * PART + 3]
    assert storage.size("u/j/big.wav") == 4 * PART + 3


def test_s3_problems_are_clear_errors(s3_bucket: Bucket, tmp_path: Path) -> None:
    missing_bucket = Bucket(s3_bucket.endpoint_url, "no-such-bucket-here")
    storage = storage_from_settings(s3_settings(tmp_path, missing_bucket))
    with pytest.raises(StorageUnavailable, match="refused the request"):
        storage.check()
    with pytest.raises(StorageUnavailable):
        storage.save("u/j/a.wav", io.BytesIO(b"abc"), max_bytes=10)
    nobody = Bucket("http://127.0.0.1:9", s3_bucket.name)  # nothing listens on port 9
    unreachable = storage_from_settings(s3_settings(tmp_path, nobody))
    with pytest.raises(StorageUnavailable, match="did not answer"):
        unreachable.exists("u/j/a.wav")


def test_s3_settings_need_a_bucket() -> None:
    from transcriber.config import StorageSettings

    with pytest.raises(ValueError, match="S3_BUCKET"):
        StorageSettings(backend="s3")
