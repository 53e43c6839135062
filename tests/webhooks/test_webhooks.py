"""Webhooks end to end: a real job run by the real tiny.en model finishes, its event is recorded
in the same transaction, the worker side's sender POSTs it to a real local HTTP receiver, and
the receiver verifies the Standard Webhooks signature with the `standardwebhooks` package (and
an independent HMAC). Retries with backoff, give-up, re-send, timeouts, no redirects, and bad
input of every kind."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from standardwebhooks import Webhook as Verifier
from standardwebhooks import WebhookVerificationError

from tests.support.app import RecordingDispatcher
from tests.support.auth import bearer, create_user, login
from tests.support.http_origin import HttpOrigin, Received, http_origin, reply
from tests.support.jobs import submit_job
from tests.support.transcripts import make_transcript
from transcriber.config import Settings
from transcriber.jobs.scheduler import maintain
from transcriber.jobs.tasks import run_job
from transcriber.kit.db import transaction, utcnow
from transcriber.runtime import Runtime
from transcriber.webhooks.models import WebhookDelivery
from transcriber.webhooks.sender import sender_for
from transcriber.webhooks.service import WebhookService
from transcriber.worker.context import WorkerContext

SPEECH = "jfk.wav"


@pytest.fixture
def hooks_settings(api_settings: Settings) -> Settings:
    api_settings.fetch.allow_private_networks = True  # the receiver is on 127.0.0.1
    api_settings.webhooks.backoff_s = 0.3
    api_settings.webhooks.timeout_s = 2.0
    return api_settings


@pytest.fixture
def receiver() -> Iterator[HttpOrigin]:
    with http_origin() as server:
        server.routes["/hook"] = lambda h, _: reply(h, 204)
        yield server


def _register(client: TestClient, url: str, **fields: Any) -> dict[str, Any]:
    response = client.post("/api/v1/webhooks", json={"url": url, **fields})
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def _send_due(runtime: Runtime) -> int:
    """One sender pass, waiting for its attempts (the maintenance tick does not wait)."""
    futures = sender_for(runtime.sessions, runtime.settings).tick(runtime.sessions)
    for future in futures:
        future.result(timeout=30)
    return len(futures)


def _deliveries(runtime: Runtime) -> list[WebhookDelivery]:
    with runtime.sessions() as session:
        return list(session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.created_at)))


def _job_finished(client: TestClient, runtime: Runtime, event: str) -> list[WebhookDelivery]:
    """A finished job of the signed-in user, and its event recorded as the job service does."""
    me = client.get("/api/v1/auth/me").json()["id"]
    job_id, _ = make_transcript(runtime, me, ["done"], filename="ünïcode.wav")
    with transaction(runtime.sessions) as session:
        return WebhookService(session, runtime.settings).job_finished(job_id, event)


def _hmac_ok(secret: str, received: Received) -> bool:
    """The Standard Webhooks signature, computed independently of the library."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = b".".join(
        [
            received.headers["webhook-id"].encode(),
            received.headers["webhook-timestamp"].encode(),
            received.body,
        ]
    )
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return f"v1,{expected}" in received.headers["webhook-signature"].split(" ")


def test_a_real_job_completion_reaches_the_receiver_signed(
    client: TestClient,
    runtime: Runtime,
    hooks_settings: Settings,
    job_worker: WorkerContext,
    receiver: HttpOrigin,
    speech_dir: Path,
) -> None:
    hook = _register(client, receiver.url("/hook"), events=["job.completed"])
    assert hook["secret"].startswith("whsec_")
    assert len(base64.b64decode(hook["secret"].removeprefix("whsec_"))) == 32
    created = submit_job(client, speech_dir / SPEECH, callback_url=receiver.url("/callback"))
    assert created["callback_secret"].startswith("whsec_")
    assert created["callback_secret"] != hook["secret"]
    receiver.routes["/callback"] = lambda h, _: reply(h, 200, b"thanks")

    assert run_job(job_worker, uuid.UUID(created["id"])) == "completed"
    # Recorded with the job's completion, before anything is sent.
    pending = _deliveries(runtime)
    assert {(d.event, d.status, d.webhook_id is None) for d in pending} == {
        ("job.completed", "pending", False),
        ("job.completed", "pending", True),
    }
    assert receiver.received == []

    assert _send_due(runtime) == 2
    (to_hook,) = receiver.requests_to("/hook")
    (to_callback,) = receiver.requests_to("/callback")
    event = Verifier(hook["secret"]).verify(to_hook.body, to_hook.headers)
    assert event["type"] == "job.completed"
    assert event["data"]["id"] == created["id"]
    assert event["data"]["status"] == "completed"
    assert event["data"]["duration_s"] == pytest.approx(11.0, abs=0.2)
    assert event["data"]["transcript_path"] == f"/api/v1/jobs/{created['id']}/transcript"
    assert to_hook.headers["content-type"] == "application/json"
    assert _hmac_ok(hook["secret"], to_hook)
    # The callback is signed with the job's own secret, and only that one.
    assert Verifier(created["callback_secret"]).verify(to_callback.body, to_callback.headers)
    with pytest.raises(WebhookVerificationError):
        Verifier(hook["secret"]).verify(to_callback.body, to_callback.headers)
    assert to_hook.headers["webhook-id"] == to_callback.headers["webhook-id"]  # one event

    # A tampered body, and a correctly signed but old message, are refused by the verifier.
    tampered = to_hook.body.replace(b'"completed"', b'"failed"')
    with pytest.raises(WebhookVerificationError):
        Verifier(hook["secret"]).verify(tampered, to_hook.headers)
    assert not _hmac_ok(hook["secret"], Received("POST", "/hook", to_hook.headers, tampered))
    old = utcnow() - timedelta(minutes=10)
    replayed = {
        **to_hook.headers,
        "webhook-timestamp": str(int(old.timestamp())),
        "webhook-signature": Verifier(hook["secret"]).sign(
            to_hook.headers["webhook-id"], old, to_hook.body.decode()
        ),
    }
    with pytest.raises(WebhookVerificationError, match="too old"):
        Verifier(hook["secret"]).verify(to_hook.body, replayed)

    page = client.get(f"/api/v1/webhooks/{hook['id']}/deliveries").json()
    (delivery,) = page["items"]
    assert delivery["status"] == "succeeded" and delivery["attempts"] == 1
    assert delivery["response_code"] == 204 and delivery["delivered_at"] is not None
    assert "secret" not in delivery and "payload" not in delivery
    assert _send_due(runtime) == 0  # delivered once, not again


def test_a_receiver_that_fails_twice_gets_the_event_on_the_third_try(
    client: TestClient, runtime: Runtime, hooks_settings: Settings, receiver: HttpOrigin
) -> None:
    answers = [500, 500, 200]
    arrived: list[float] = []

    def flaky(handler: BaseHTTPRequestHandler, _: Received) -> None:
        arrived.append(time.monotonic())
        reply(handler, answers.pop(0), b"x" * 5000)

    receiver.routes["/flaky"] = flaky
    hook = _register(client, receiver.url("/flaky"))
    _job_finished(client, runtime, "job.completed")

    assert _send_due(runtime) == 1
    (first,) = _deliveries(runtime)
    assert first.status == "pending" and first.attempts == 1 and first.response_code == 500
    assert first.error == "The receiver answered 500."
    assert first.response_excerpt is not None and len(first.response_excerpt) == 500
    assert first.next_attempt_at is not None and first.last_attempt_at is not None
    assert (first.next_attempt_at - first.last_attempt_at).total_seconds() == pytest.approx(
        0.3, abs=0.05
    )
    assert _send_due(runtime) == 0  # not before its time

    started = time.monotonic()
    while answers:
        _send_due(runtime)
        assert time.monotonic() - started < 20
        time.sleep(0.05)
    (last,) = _deliveries(runtime)
    assert last.status == "succeeded" and last.attempts == 3 and last.response_code == 200
    assert last.error is None and last.next_attempt_at is None
    attempts = receiver.requests_to("/flaky")
    assert len(attempts) == 3
    assert len({a.headers["webhook-id"] for a in attempts}) == 1  # the same message
    secret = hook["secret"]
    assert all(Verifier(secret).verify(a.body, a.headers) for a in attempts)
    # The waits doubled: at least 0.3 s, then at least 0.6 s (exponential backoff).
    first_wait, second_wait = arrived[1] - arrived[0], arrived[2] - arrived[1]
    assert first_wait >= 0.3 and second_wait >= 0.6
    page = client.get(f"/api/v1/webhooks/{hook['id']}/deliveries").json()
    assert [d["attempts"] for d in page["items"]] == [3]


def test_backoff_doubles_and_a_delivery_is_given_up_after_retry_for(
    client: TestClient, runtime: Runtime, hooks_settings: Settings, receiver: HttpOrigin
) -> None:
    with transaction(runtime.sessions) as session:
        service = WebhookService(session, hooks_settings)
        hooks_settings.webhooks.backoff_max_s = 1.0
        assert [service.backoff_s(n) for n in (1, 2, 3)] == [0.3, 0.6, 1.0]
    hooks_settings.webhooks.retry_for_s = 0.0
    receiver.routes["/down"] = lambda h, _: reply(h, 503)
    _register(client, receiver.url("/down"))
    _job_finished(client, runtime, "job.failed")
    assert _send_due(runtime) == 1
    (delivery,) = _deliveries(runtime)
    assert delivery.status == "failed" and delivery.attempts == 1
    assert delivery.next_attempt_at is None
    assert _send_due(runtime) == 0


def test_resend_sends_the_same_event_again(
    client: TestClient, runtime: Runtime, hooks_settings: Settings, receiver: HttpOrigin
) -> None:
    hook = _register(client, receiver.url("/hook"))
    _job_finished(client, runtime, "job.completed")
    _send_due(runtime)
    original = client.get(f"/api/v1/webhooks/{hook['id']}/deliveries").json()["items"][0]

    # The user fixed their receiver's address: the re-send goes to the current URL.
    receiver.routes["/v2"] = lambda h, _: reply(h, 200)
    assert (
        client.patch(
            f"/api/v1/webhooks/{hook['id']}", json={"url": receiver.url("/v2")}
        ).status_code
        == 200
    )
    response = client.post(f"/api/v1/webhooks/{hook['id']}/deliveries/{original['id']}/resend")
    assert response.status_code == 202, response.text
    again = response.json()
    assert again["id"] != original["id"] and again["status"] == "pending"
    assert again["message_id"] == original["message_id"]
    assert _send_due(runtime) == 1
    (first,) = receiver.requests_to("/hook")
    (second,) = receiver.requests_to("/v2")
    assert first.body == second.body
    assert Verifier(hook["secret"]).verify(second.body, second.headers)
    items = client.get(f"/api/v1/webhooks/{hook['id']}/deliveries").json()["items"]
    assert [d["status"] for d in items] == ["succeeded", "succeeded"]


def test_resends_waiting_to_be_sent_are_capped(
    client: TestClient, runtime: Runtime, hooks_settings: Settings, receiver: HttpOrigin
) -> None:
    from transcriber.webhooks.service import MAX_PENDING_PER_WEBHOOK

    hook = _register(client, receiver.url("/hook"))
    _job_finished(client, runtime, "job.completed")
    _send_due(runtime)
    original = client.get(f"/api/v1/webhooks/{hook['id']}/deliveries").json()["items"][0]
    url = f"/api/v1/webhooks/{hook['id']}/deliveries/{original['id']}/resend"
    for _ in range(MAX_PENDING_PER_WEBHOOK):
        assert client.post(url).status_code == 202
    refused = client.post(url)
    assert refused.status_code == 409
    assert "still waiting" in refused.json()["detail"]
    # Once they went out (a pass sends a few at a time), re-sending works again.
    sent = 0
    while passed := _send_due(runtime):
        sent += passed
    assert sent == MAX_PENDING_PER_WEBHOOK
    assert client.post(url).status_code == 202


def test_cancel_and_fail_send_their_events_to_the_hooks_that_want_them(
    client: TestClient,
    runtime: Runtime,
    hooks_settings: Settings,
    receiver: HttpOrigin,
    speech_dir: Path,
) -> None:
    _register(client, receiver.url("/hook"), events=["job.completed"])
    every = _register(client, receiver.url("/all"))
    receiver.routes["/all"] = lambda h, _: reply(h, 200)
    inactive = _register(client, receiver.url("/off"), active=False)
    job = submit_job(client, speech_dir / SPEECH)
    assert client.post(f"/api/v1/jobs/{job['id']}/cancel").status_code == 200
    assert _send_due(runtime) == 1
    assert receiver.requests_to("/hook") == []
    assert receiver.requests_to("/off") == []
    (cancelled,) = receiver.requests_to("/all")
    event = Verifier(every["secret"]).verify(cancelled.body, cancelled.headers)
    assert event["type"] == "job.cancelled" and event["data"]["status"] == "cancelled"
    assert client.get(f"/api/v1/webhooks/{inactive['id']}/deliveries").json()["items"] == []


def test_the_maintenance_tick_sends_deliveries_without_waiting_for_them(
    client: TestClient,
    runtime: Runtime,
    hooks_settings: Settings,
    dispatcher: RecordingDispatcher,
    receiver: HttpOrigin,
) -> None:
    def slow(handler: BaseHTTPRequestHandler, _: Received) -> None:
        time.sleep(1.0)
        reply(handler, 200)

    receiver.routes["/slow"] = slow
    _register(client, receiver.url("/slow"))
    _job_finished(client, runtime, "job.completed")
    started = time.monotonic()
    assert maintain(runtime.sessions, hooks_settings, dispatcher, "test") is not None
    assert time.monotonic() - started < 0.9  # the tick did not wait for the receiver
    deadline = time.monotonic() + 20
    while _deliveries(runtime)[0].status != "succeeded":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert len(receiver.requests_to("/slow")) == 1


def test_timeouts_and_redirects_are_failures_recorded_with_a_reason(
    client: TestClient, runtime: Runtime, hooks_settings: Settings, receiver: HttpOrigin
) -> None:
    hooks_settings.webhooks.timeout_s = 0.5

    def hang(handler: BaseHTTPRequestHandler, _: Received) -> None:
        time.sleep(2)
        reply(handler, 200)

    receiver.routes["/hang"] = hang
    receiver.routes["/moved"] = lambda h, _: reply(
        h, 302, headers={"Location": receiver.url("/hook")}
    )
    hang_hook = _register(client, receiver.url("/hang"))
    moved_hook = _register(client, receiver.url("/moved"))
    _job_finished(client, runtime, "job.completed")
    assert _send_due(runtime) == 2
    hung = client.get(f"/api/v1/webhooks/{hang_hook['id']}/deliveries").json()["items"][0]
    moved = client.get(f"/api/v1/webhooks/{moved_hook['id']}/deliveries").json()["items"][0]
    assert hung["status"] == "pending" and hung["response_code"] is None
    assert "did not answer within 0.5 s" in hung["error"]
    assert moved["response_code"] == 302 and moved["status"] == "pending"
    assert receiver.requests_to("/hook") == []  # the redirect was not followed


def test_webhook_crud(client: TestClient, hooks_settings: Settings) -> None:
    hook = _register(
        client, "https://93.184.215.14/hook", events=["job.failed"], description=" CI "
    )
    assert hook["description"] == "CI" and hook["events"] == ["job.failed"]
    listed = client.get("/api/v1/webhooks").json()
    assert [h["id"] for h in listed] == [hook["id"]] and "secret" not in listed[0]
    assert "secret" not in client.get(f"/api/v1/webhooks/{hook['id']}").json()
    changed = client.patch(
        f"/api/v1/webhooks/{hook['id']}", json={"events": [], "active": False}
    ).json()
    assert changed["events"] == [] and changed["active"] is False
    assert client.delete(f"/api/v1/webhooks/{hook['id']}").status_code == 204
    assert client.get(f"/api/v1/webhooks/{hook['id']}").status_code == 404
    audit = client.get("/api/v1/admin/audit", params={"target_id": hook["id"]}).json()
    assert [e["action"] for e in audit["items"]] == [
        "webhook.deleted",
        "webhook.updated",
        "webhook.created",
    ]
    hooks_settings.webhooks.max_per_user = 1
    _register(client, "https://93.184.215.14/a")
    assert (
        client.post("/api/v1/webhooks", json={"url": "https://93.184.215.14/b"}).status_code == 409
    )


@pytest.mark.parametrize(
    ("body", "phrase"),
    [
        ({"url": "ftp://example.org/hook"}, "Only http:// and https://"),
        ({"url": "garbage"}, "Only http:// and https://"),
        ({"url": "http://"}, "valid"),
        ({"url": "https://" + "a" * 10_240 + ".org/"}, "url"),
        ({"url": "https://93.184.215.14/", "events": ["job.started"]}, "events"),
        ({"url": "https://93.184.215.14/", "events": "job.completed"}, "events"),
        ({"url": "https://93.184.215.14/", "secret": "mine"}, "secret"),
        ({"url": 7}, "url"),
        ({}, "url"),
        ({"url": "http://127.0.0.1:8000/hook"}, "loopback"),
        ({"url": "http://169.254.169.254/"}, "metadata"),
        ({"url": "http://localhost/hook"}, "localhost resolves to"),
    ],
)
def test_bad_webhooks_are_4xx(
    client: TestClient, api_settings: Settings, body: dict[str, Any], phrase: str
) -> None:
    response = client.post("/api/v1/webhooks", json=body)
    assert response.status_code == 422, response.text
    assert phrase in response.json()["detail"]
    assert client.get("/api/v1/webhooks").json() == []


def test_a_bad_callback_url_is_4xx(client: TestClient, speech_dir: Path) -> None:
    audio = (speech_dir / SPEECH).read_bytes()
    for url, phrase in [
        ("ftp://example.org/x", "Only http"),
        ("http://10.0.0.1/x", "private"),
        ("x" * 10_240, "callback_url"),
    ]:
        response = client.post(
            "/api/v1/jobs", files={"file": ("a.wav", audio)}, data={"callback_url": url}
        )
        assert response.status_code == 422, response.text
        assert phrase in response.json()["detail"]
    assert client.get("/api/v1/jobs").json()["items"] == []


def test_someone_elses_webhooks_and_deliveries_are_404(
    client: TestClient, runtime: Runtime, hooks_settings: Settings
) -> None:
    mine = _register(client, "https://93.184.215.14/mine")
    _job_finished(client, runtime, "job.completed")
    (delivery,) = client.get(f"/api/v1/webhooks/{mine['id']}/deliveries").json()["items"]

    other = bearer(login(client, create_user(client)))
    base = f"/api/v1/webhooks/{mine['id']}"
    assert client.get(base, headers=other).status_code == 404
    assert client.patch(base, json={"active": False}, headers=other).status_code == 404
    assert client.get(f"{base}/deliveries", headers=other).status_code == 404
    resend = f"{base}/deliveries/{delivery['id']}/resend"
    assert client.post(resend, headers=other).status_code == 404
    assert client.delete(base, headers=other).status_code == 404
    assert client.get("/api/v1/webhooks", headers=other).json() == []
    # Their own webhook does not open my delivery either.
    theirs = client.post(
        "/api/v1/webhooks", json={"url": "https://93.184.215.14/theirs"}, headers=other
    ).json()
    crossed = f"/api/v1/webhooks/{theirs['id']}/deliveries/{delivery['id']}/resend"
    assert client.post(crossed, headers=other).status_code == 404
    assert client.post(f"{base}/deliveries/{uuid.uuid4()}/resend").status_code == 404
    assert client.get(f"/api/v1/webhooks/{uuid.uuid4()}").status_code == 404
    assert client.get(f"{base}/deliveries", params={"cursor": "bad!"}).status_code == 400
    assert client.get(base).json()["active"] is True  # untouched


def test_an_event_body_is_json_with_the_job(
    client: TestClient, runtime: Runtime, hooks_settings: Settings
) -> None:
    _register(client, "https://93.184.215.14/mine")
    (delivery,) = _job_finished(client, runtime, "job.completed")
    body = json.loads(delivery.payload)
    assert body["type"] == "job.completed" and body["timestamp"].endswith("Z")
    assert body["data"]["filename"] == "ünïcode.wav"
