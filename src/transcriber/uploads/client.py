"""`transcriber upload`: files and folders to a server with a real tus client (tuspy), one job
per file with shared options. An interrupted run resumes: each upload's URL is kept (by the file's
fingerprint and the server) for as long as the server keeps the upload, so running the command
again continues a file cut half-way and, for a file already queued, prints its job again instead
of sending it twice. A retry asks the server for the offset."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx
from tusclient import client as tus_client
from tusclient.exceptions import TusCommunicationError, TusUploadFailed
from tusclient.fingerprint.fingerprint import Fingerprint
from tusclient.storage.filestorage import FileStorage
from tusclient.uploader.uploader import Uploader

MEDIA_SUFFIXES = frozenset(
    {
        ".mp3",
        ".m4a",
        ".aac",
        ".wav",
        ".flac",
        ".ogg",
        ".oga",
        ".opus",
        ".wma",
        ".webm",
        ".mp4",
        ".m4v",
        ".mkv",
        ".mov",
        ".avi",
        ".mpeg",
        ".mpg",
        ".3gp",
        ".amr",
        ".aiff",
        ".aif",
    }
)


@dataclass(frozen=True, slots=True)
class Outcome:
    path: Path
    job_id: str | None
    error: str | None = None


class ServerFingerprint(Fingerprint):
    """tuspy's content fingerprint, per server: the same file sent to two servers is two
    uploads."""

    def __init__(self, server: str) -> None:
        self.server = server

    def get_fingerprint(self, fs: IO[bytes]) -> str:
        return f"{self.server}|{super().get_fingerprint(fs)}"


class _Uploader(Uploader):
    """tuspy retries every failure; a refusal (bad media, quota) is final, so only network
    trouble, offset conflicts and busy answers are retried."""

    def _retry_or_cry(self, error: Exception) -> None:
        status = getattr(error, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500 and status not in RETRIED_STATUSES:
            raise error
        super()._retry_or_cry(error)  # type: ignore[no-untyped-call]


RETRIED_STATUSES = frozenset({408, 409, 423, 429})


def media_files(paths: Iterable[Path]) -> list[Path]:
    """Files as given; a folder gives the media files directly in it (by name, sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p for p in path.iterdir() if p.is_file() and p.suffix.lower() in MEDIA_SUFFIXES
                )
            )
        else:
            found.append(path)
    return found


def default_state_file() -> Path:
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "transcriber" / "uploads.json"


class BatchUploader:
    def __init__(
        self,
        server: str,
        api_key: str,
        options: dict[str, Any],
        *,
        chunk_bytes: int = 32 * 1024 * 1024,
        retries: int = 5,
        retry_delay_s: int = 3,
        state_file: Path | None = None,
    ) -> None:
        self.server = server.rstrip("/")
        self.headers = {"Authorization": f"Bearer {api_key}"}
        self.options = {k: v for k, v in options.items() if v is not None}
        self.chunk_bytes = chunk_bytes
        self.retries = retries
        self.retry_delay_s = retry_delay_s
        state = state_file or default_state_file()
        state.parent.mkdir(parents=True, exist_ok=True)
        self.urls = FileStorage(str(state))  # type: ignore[no-untyped-call]
        self.fingerprint = ServerFingerprint(self.server)
        self.tus = tus_client.TusClient(f"{self.server}/api/v1/uploads", headers=self.headers)

    def close(self) -> None:
        self.urls.close()  # type: ignore[no-untyped-call]

    def upload(self, path: Path) -> Outcome:
        try:
            upload_url = self._send(path)
            job_id = self._make_job(upload_url)
        except (TusCommunicationError, TusUploadFailed) as exc:
            return Outcome(path, None, _reason(exc))
        except (httpx.HTTPError, OSError, ValueError) as exc:
            return Outcome(path, None, str(exc))
        return Outcome(path, job_id)

    def _forget(self, path: Path) -> None:
        with path.open("rb") as stream:
            self.urls.remove_item(self.fingerprint.get_fingerprint(stream))

    def _uploader(self, path: Path) -> Any:
        return _Uploader(
            str(path),
            client=self.tus,
            chunk_size=self.chunk_bytes,
            metadata={"filename": path.name},
            retries=self.retries,
            retry_delay=self.retry_delay_s,
            store_url=True,
            url_storage=self.urls,
            fingerprinter=self.fingerprint,
            upload_checksum=True,
        )

    def _send(self, path: Path) -> str:
        try:
            uploader = self._uploader(path)
        except TusCommunicationError as exc:
            if exc.status_code not in (404, 410):
                raise
            # The kept upload expired or was deleted on the server: start again.
            self._forget(path)
            uploader = self._uploader(path)
        uploader.upload()
        return str(uploader.url)

    def _make_job(self, upload_url: str) -> str:
        upload_id = upload_url.rstrip("/").rsplit("/", 1)[1]
        response = httpx.post(
            f"{self.server}/api/v1/jobs",
            json={"upload_id": upload_id, **self.options},
            headers=self.headers,
            timeout=120,
        )
        if response.status_code == 409 and response.json().get("job_id"):
            # An earlier run made the job and stopped before it could forget the upload.
            return str(response.json()["job_id"])
        if response.status_code != 202:
            raise ValueError(_detail(response.status_code, response.content))
        return str(response.json()["id"])


def _detail(status: int | None, content: bytes | None) -> str:
    import json

    try:
        detail = json.loads(content or b"{}").get("detail")
    except (ValueError, AttributeError):
        detail = None
    return f"{detail or 'the server refused the upload'} (HTTP {status})"


def _reason(exc: TusCommunicationError | TusUploadFailed) -> str:
    if exc.status_code is None:
        return f"could not reach the server: {exc}"
    return _detail(exc.status_code, exc.response_content)
