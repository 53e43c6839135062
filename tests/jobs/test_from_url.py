"""Media from a URL: `POST /api/v1/jobs` with JSON `{"url": ...}`, downloaded by the worker from
a real local HTTP server, probed like an upload and transcribed by the real tiny.en model; and
the SSRF guard at submission and at download time (every hop of a redirect)."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.app import media_files
from tests.support.auth import bearer, create_user, login
from tests.support.http_origin import HttpOrigin, Received, http_origin, reply
from tests.support.jobs import get_job
from transcriber.config import Settings
from transcriber.jobs.tasks import run_job
from transcriber.worker.context import WorkerContext

SPEECH = "jfk.wav"  # 11 s


@pytest.fixture
def origin(speech_dir: Path) -> Iterator[HttpOrigin]:
    audio = (speech_dir / SPEECH).read_bytes()
    with http_origin() as server:
        server.routes["/speech.wav"] = lambda h, _: reply(
            h, 200, audio, {"Content-Type": "audio/wav"}
        )
        yield server


def _submit(client: TestClient, url: str, **options: Any) -> Any:
    return client.post("/api/v1/jobs", json={"url": url, **options})


def _run(client: TestClient, job_worker: WorkerContext, url: str) -> dict[str, Any]:
    response = _submit(client, url)
    assert response.status_code == 202, response.text
    job_id = uuid.UUID(response.json()["id"])
    run_job(job_worker, job_id)
    return get_job(client, job_id)


def test_a_job_from_a_url_is_downloaded_and_transcribed(
    client: TestClient,
    api_settings: Settings,
    job_worker: WorkerContext,
    origin: HttpOrigin,
    speech_manifest: dict[str, dict[str, Any]],
) -> None:
    api_settings.fetch.allow_private_networks = True
    response = _submit(client, origin.url("/speech.wav?token=abc"), language="en")
    assert response.status_code == 202, response.text
    job = response.json()
    # At once: queued, nothing downloaded yet (the worker does it).
    assert job["status"] == "queued" and job["downloading"] is False
    assert job["source_url"] == origin.url("/speech.wav?token=abc")
    assert job["filename"] == "speech.wav" and job["duration_s"] is None
    assert origin.requests_to("/speech.wav") == []
    assert media_files(api_settings) == []

    assert run_job(job_worker, uuid.UUID(job["id"])) == "completed"
    done = get_job(client, job["id"])
    assert done["status"] == "completed", done
    assert done["duration_s"] == pytest.approx(11.0, abs=0.2)
    assert len(media_files(api_settings)) == 1
    text = client.get(f"/api/v1/jobs/{job['id']}/transcript").json()["text"].lower()
    assert "ask not what your country can do for you" in text
    # One request, with the original Host header although the connection went to the IP.
    (request,) = origin.requests_to("/speech.wav")
    assert request.headers["host"] == f"127.0.0.1:{origin.port}"
    assert speech_manifest[SPEECH]["duration_s"] == pytest.approx(done["duration_s"], abs=0.2)


def test_a_running_download_is_visible_as_downloading(
    client: TestClient, api_settings: Settings, job_worker: WorkerContext, speech_dir: Path
) -> None:
    api_settings.fetch.allow_private_networks = True
    audio = (speech_dir / SPEECH).read_bytes()
    seen: list[dict[str, Any]] = []

    def slow_then_audio(handler: BaseHTTPRequestHandler, _: Received) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(audio)))
        handler.end_headers()
        handler.wfile.write(audio[:1000])
        handler.wfile.flush()
        deadline = time.monotonic() + 30
        while not seen and time.monotonic() < deadline:
            time.sleep(0.05)
        handler.wfile.write(audio[1000:])

    with http_origin() as server:
        server.routes["/a.wav"] = slow_then_audio
        job_id = uuid.UUID(_submit(client, server.url("/a.wav")).json()["id"])
        thread = threading.Thread(target=run_job, args=(job_worker, job_id))
        thread.start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            job = get_job(client, job_id)
            if job["downloading"]:
                seen.append(job)
                break
            time.sleep(0.02)
        thread.join(timeout=120)
    assert seen and seen[0]["status"] == "running" and seen[0]["progress"] == 0.0
    assert get_job(client, job_id)["status"] == "completed"


@pytest.mark.parametrize(
    ("url", "phrase"),
    [
        ("http://127.0.0.1:9/a.wav", "127.0.0.1 is a loopback address"),
        ("http://10.1.2.3/a.wav", "a private address"),
        ("http://192.168.1.10/a.wav", "a private address"),
        ("http://169.254.169.254/latest/meta-data/", "a cloud metadata address"),
        ("http://100.64.0.1/a.wav", "shared (CGNAT)"),
        ("http://[::1]:9/a.wav", "loopback"),
        ("http://[fd00:ec2::254]/", "a cloud metadata address"),
        ("http://[fc00::1]/a.wav", "a private address"),
        ("http://[::ffff:127.0.0.1]/a.wav", "loopback"),
        ("http://0.0.0.0/a.wav", "unspecified"),
        ("http://224.0.0.1/a.wav", "multicast"),
        ("http://localhost:9/a.wav", "localhost resolves to"),
    ],
)
def test_private_addresses_are_refused_at_submission(
    client: TestClient, api_settings: Settings, url: str, phrase: str
) -> None:
    response = _submit(client, url)
    assert response.status_code == 422, response.text
    assert phrase in response.json()["detail"]
    assert "fetch" in response.json()["detail"]  # says how an admin allows it
    assert client.get("/api/v1/jobs").json()["items"] == []


def test_metadata_addresses_stay_refused_when_private_networks_are_allowed(
    client: TestClient, api_settings: Settings
) -> None:
    api_settings.fetch.allow_private_networks = True
    assert _submit(client, "http://10.1.2.3/a.wav").status_code == 202
    refused = _submit(client, "http://169.254.169.254/latest/meta-data/")
    assert refused.status_code == 422
    assert "metadata" in refused.json()["detail"]
    api_settings.fetch.allowed_networks = ["169.254.169.254/32"]
    assert _submit(client, "http://169.254.169.254/latest/meta-data/").status_code == 202


@pytest.mark.parametrize(
    ("body", "phrase"),
    [
        ({"url": "ftp://example.org/a.wav"}, "Only http:// and https://"),
        ({"url": "file:///etc/passwd"}, "Only http:// and https://"),
        ({"url": "not a url at all"}, "url"),
        ({"url": ""}, "url"),
        ({"url": "https://" + "a" * 10_000 + ".org/"}, "url"),
        ({"url": "http://user:secret@example.org/a.wav"}, "user name or password"),
        ({"url": "http://host.invalid/a.wav"}, "could not be resolved"),
        ({"url": 42}, "url"),
        ({}, "url"),
        ({"url": "https://example.org/a.wav", "speed": "fast"}, "speed"),
        ({"url": "https://example.org/a.wav", "callback_url": "ftp://x/"}, "callback_url"),
    ],
)
def test_bad_url_requests_are_4xx(client: TestClient, body: dict[str, Any], phrase: str) -> None:
    response = client.post("/api/v1/jobs", json=body)
    assert 400 <= response.status_code < 500, response.text
    assert phrase in response.json()["detail"]


def test_broken_and_huge_json_bodies_are_4xx(client: TestClient) -> None:
    headers = {"content-type": "application/json"}
    broken = client.post("/api/v1/jobs", content=b'{"url": ', headers=headers)
    assert broken.status_code == 422
    huge = client.post("/api/v1/jobs", content=b" " * 200_000, headers=headers)
    assert huge.status_code == 413


def test_a_redirect_to_a_refused_address_fails_the_job(
    client: TestClient, api_settings: Settings, job_worker: WorkerContext, speech_dir: Path
) -> None:
    # 127.0.0.2 stands for a public origin: the admin allows exactly it, not the loopback
    # address 127.0.0.1 it redirects to (whose server would serve real audio).
    api_settings.fetch.allowed_networks = ["127.0.0.2/32"]
    audio = (speech_dir / SPEECH).read_bytes()
    with http_origin("127.0.0.1") as internal, http_origin("127.0.0.2") as public:
        internal.routes["/secret.wav"] = lambda h, _: reply(h, 200, audio)
        public.routes["/a.wav"] = lambda h, _: reply(
            h, 302, headers={"Location": internal.url("/secret.wav")}
        )
        public.routes["/hop.wav"] = lambda h, _: reply(h, 301, headers={"Location": "/a.wav"})
        job = _run(client, job_worker, public.url("/hop.wav"))
        assert internal.received == []
        assert len(public.received) == 2  # both hops of the redirect chain, each checked
    assert job["status"] == "failed"
    assert "Redirected to http://127.0.0.1" in job["error"]
    assert "loopback" in job["error"]
    assert media_files(api_settings) == []


def test_too_many_redirects_and_other_schemes_fail_the_job(
    client: TestClient, api_settings: Settings, job_worker: WorkerContext
) -> None:
    api_settings.fetch.allow_private_networks = True
    api_settings.fetch.max_redirects = 2
    with http_origin() as server:
        server.routes["/loop"] = lambda h, _: reply(h, 302, headers={"Location": "/loop"})
        server.routes["/ftp"] = lambda h, _: reply(h, 302, headers={"Location": "ftp://x/a"})
        looping = _run(client, job_worker, server.url("/loop"))
        to_ftp = _run(client, job_worker, server.url("/ftp"))
    assert looping["status"] == "failed" and "more than 2 times" in looping["error"]
    assert to_ftp["status"] == "failed" and "Only http:// and https://" in to_ftp["error"]


def test_origin_errors_fail_the_job_with_a_reason(
    client: TestClient, api_settings: Settings, job_worker: WorkerContext
) -> None:
    api_settings.fetch.allow_private_networks = True
    api_settings.fetch.timeout_s = 1.0
    api_settings.limits.max_upload_bytes = 50_000

    def slow(handler: BaseHTTPRequestHandler, _: Received) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "40000")
        handler.end_headers()
        for _chunk in range(40):
            handler.wfile.write(b"x" * 1000)
            handler.wfile.flush()
            time.sleep(0.1)

    def big_without_length(handler: BaseHTTPRequestHandler, _: Received) -> None:
        handler.send_response(200)
        handler.send_header("Connection", "close")
        handler.end_headers()
        for _chunk in range(100):
            handler.wfile.write(b"\0" * 1000)

    with http_origin() as server:
        server.routes["/missing.wav"] = lambda h, _: reply(h, 404, b"gone")
        server.routes["/page.html"] = lambda h, _: reply(
            h, 200, b"<html><body>Not audio at all</body></html>" * 20
        )
        server.routes["/big.wav"] = lambda h, _: reply(h, 200, b"", {"Content-Length": "999999999"})
        server.routes["/stream.wav"] = big_without_length
        server.routes["/slow.wav"] = slow
        outcomes = {
            path: _run(client, job_worker, server.url(path))
            for path in ("/missing.wav", "/page.html", "/big.wav", "/stream.wav", "/slow.wav")
        }
    for job in outcomes.values():
        assert job["status"] == "failed", job
        assert job["downloading"] is False
    assert "answered 404 Not Found" in outcomes["/missing.wav"]["error"]
    assert "audio" in outcomes["/page.html"]["error"].lower()
    assert "999,999,999 bytes, over the limit of 50,000" in outcomes["/big.wav"]["error"]
    assert "larger than the limit of 50,000 bytes" in outcomes["/stream.wav"]["error"]
    assert "did not finish within 1 s" in outcomes["/slow.wav"]["error"]
    assert media_files(api_settings) == []  # nothing kept of any of them


def test_a_failed_download_can_be_retried(
    client: TestClient, api_settings: Settings, job_worker: WorkerContext, speech_dir: Path
) -> None:
    api_settings.fetch.allow_private_networks = True
    audio = (speech_dir / SPEECH).read_bytes()
    with http_origin() as server:
        server.routes["/later.wav"] = lambda h, _: reply(h, 503, b"try later")
        job = _run(client, job_worker, server.url("/later.wav"))
        assert job["status"] == "failed" and "503" in job["error"]
        server.routes["/later.wav"] = lambda h, _: reply(h, 200, audio)
        assert client.post(f"/api/v1/jobs/{job['id']}/retry").status_code == 202
        assert run_job(job_worker, uuid.UUID(job["id"])) == "completed"


def test_someone_elses_url_job_is_404(client: TestClient, api_settings: Settings) -> None:
    api_settings.fetch.allow_private_networks = True
    job = _submit(client, "http://10.9.8.7/a.wav").json()
    other = bearer(login(client, create_user(client)))
    assert client.get(f"/api/v1/jobs/{job['id']}", headers=other).status_code == 404


def test_cancelling_a_download_stops_it_and_keeps_nothing(
    client: TestClient, api_settings: Settings, job_worker: WorkerContext
) -> None:
    api_settings.fetch.allow_private_networks = True
    api_settings.worker.poll_s = 0.1
    release = threading.Event()

    def endless(handler: BaseHTTPRequestHandler, _: Received) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "100000000")
        handler.end_headers()
        while not release.is_set():
            handler.wfile.write(b"\0" * 1000)
            handler.wfile.flush()
            time.sleep(0.02)

    outcome: list[str] = []
    with http_origin() as server:
        server.routes["/endless.wav"] = endless
        job_id = uuid.UUID(_submit(client, server.url("/endless.wav")).json()["id"])
        thread = threading.Thread(target=lambda: outcome.append(run_job(job_worker, job_id)))
        thread.start()
        deadline = time.monotonic() + 30
        while not get_job(client, job_id)["downloading"]:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        assert client.post(f"/api/v1/jobs/{job_id}/cancel").status_code == 200
        thread.join(timeout=30)
        release.set()
    assert outcome == ["stopped"]
    assert get_job(client, job_id)["status"] == "cancelled"
    assert media_files(api_settings) == []
