"""A local S3-compatible server for tests (moto's, in a thread of the test process), a fresh
bucket per test, and settings that point the service at it."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

from transcriber.config import Settings, StorageSettings
from transcriber.kit.migrate import upgrade

ACCESS_KEY = "test-access-key"
SECRET_KEY = "test-secret-key"
REGION = "us-east-1"


@dataclass(frozen=True)
class Bucket:
    endpoint_url: str
    name: str

    def client(self) -> Any:
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )

    def object_keys(self) -> list[str]:
        """Every object in the bucket (all prefixes)."""
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=self.name)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def open_multipart_uploads(self) -> list[str]:
        answer = self.client().list_multipart_uploads(Bucket=self.name)
        return [upload["Key"] for upload in answer.get("Uploads", [])]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_bucket(s3_endpoint: str) -> Bucket:
    bucket = Bucket(s3_endpoint, f"test-{uuid.uuid4().hex[:20]}")
    bucket.client().create_bucket(Bucket=bucket.name)
    return bucket


def s3_settings(data_dir: Path, bucket: Bucket, **storage: Any) -> Settings:
    """Settings of a service whose media lives in `bucket` (under `media/`)."""
    return Settings(
        data_dir=data_dir,
        environment="test",
        storage=StorageSettings(
            backend="s3",
            s3_bucket=bucket.name,
            s3_prefix="media/",
            s3_endpoint_url=bucket.endpoint_url,
            s3_region=REGION,
            s3_access_key_id=ACCESS_KEY,
            s3_secret_access_key=SECRET_KEY,
            s3_addressing_style="path",
            **storage,
        ),
    )


def stored_objects(settings: Settings, bucket: Bucket | None) -> list[str]:
    """Keys of the stored media on either backend, relative to the storage root."""
    if settings.storage.backend == "s3":
        assert bucket is not None
        prefix = settings.storage.s3_prefix
        return [key.removeprefix(prefix) for key in bucket.object_keys() if key.startswith(prefix)]
    root = settings.media_dir
    if not root.exists():
        return []
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def settings_on_backend(request: pytest.FixtureRequest, data_dir: Path) -> Settings:
    """Migrated settings on the backend named by the fixture's param (`local` or `s3`); for
    modules that run every test on both."""
    if request.param == "local":
        settings = Settings(data_dir=data_dir, environment="test")
    else:
        settings = s3_settings(data_dir, request.getfixturevalue("s3_bucket"))
    upgrade(settings.resolved_database_url)
    return settings


def bucket_of(request: pytest.FixtureRequest, settings: Settings) -> Bucket | None:
    """The test's bucket when `settings` use S3."""
    if settings.storage.backend != "s3":
        return None
    found: Bucket = request.getfixturevalue("s3_bucket")
    return found
