"""Jobs through the API, for tests: one place to change when the way of calling it changes."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any, Protocol


class HttpClient(Protocol):
    def get(self, url: str, **kwargs: Any) -> Any: ...

    def post(self, url: str, **kwargs: Any) -> Any: ...


def submit_job(
    client: HttpClient, path: Path, headers: dict[str, str] | None = None, **options: str
) -> dict[str, Any]:
    """POST the file as a new job (signed in as the client is, or with `headers`)."""
    response = client.post(
        "/api/v1/jobs",
        files={"file": (path.name, path.read_bytes())},
        data=options,
        headers=headers or {},
    )
    assert response.status_code == 202, response.text
    job: dict[str, Any] = response.json()
    return job


def get_job(
    client: HttpClient, job_id: uuid.UUID | str, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    response = client.get(f"/api/v1/jobs/{job_id}", headers=headers or {})
    assert response.status_code == 200, response.text
    job: dict[str, Any] = response.json()
    return job


def wait_for_status(
    client: HttpClient,
    job_id: uuid.UUID | str,
    statuses: tuple[str, ...],
    timeout_s: float = 120,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while True:
        job = get_job(client, job_id, headers)
        if job["status"] in statuses:
            return job
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} is still {job['status']} after {timeout_s}s")
        time.sleep(0.1)
