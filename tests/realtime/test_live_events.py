"""Live events in process: isolation between users, order, replay, refusals."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from tests.support.auth import bearer, create_user, login
from tests.support.jobs import submit_job
from transcriber.asr.types import Segment
from transcriber.jobs.service import JobService
from transcriber.kit.db import transaction
from transcriber.runtime import Runtime

WORKER = "test-worker"


def _run_job(runtime: Runtime, job_id: str, texts: list[str]) -> None:
    """What the worker does, through the same service: claim, segments in batches, complete."""
    jid = uuid.UUID(job_id)

    def service(session: Any) -> JobService:
        return JobService(session, runtime.settings, runtime.storage, runtime.dispatcher)

    with transaction(runtime.sessions) as session:
        assert service(session).claim(jid, WORKER) is not None
    for idx, text in enumerate(texts):
        segment = Segment(start=float(idx), end=idx + 1.0, text=text)
        with transaction(runtime.sessions) as session:
            assert service(session).append_segments(
                jid, WORKER, idx, [segment], (idx + 1) / len(texts)
            )
    with transaction(runtime.sessions) as session:
        assert service(session).complete(jid, WORKER)


def _until(ws: Any, job_id: str, last_type: str) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    while True:
        message: dict[str, Any] = ws.receive_json()
        if "id" in message:
            seen.append(message)
        if message.get("type") == last_type and message.get("job_id") == job_id:
            return seen


@pytest.fixture
def people(client: TestClient) -> tuple[dict[str, str], dict[str, str]]:
    first, second = create_user(client), create_user(client)
    return login(client, first), login(client, second)


def test_each_user_gets_only_their_own_jobs_events_in_order(
    client: TestClient,
    runtime: Runtime,
    people: tuple[dict[str, str], dict[str, str]],
    speech_dir: Path,
) -> None:
    alice, bob = people
    audio = speech_dir / "ljspeech_LJ002-0020.wav"
    with (
        client.websocket_connect(
            "/api/v1/ws", subprotocols=["bearer", alice["access_token"]]
        ) as ws_alice,
        client.websocket_connect(
            "/api/v1/ws", subprotocols=["bearer", bob["access_token"]]
        ) as ws_bob,
    ):
        assert ws_alice.accepted_subprotocol == "bearer"
        assert ws_alice.receive_json()["type"] == "ready"
        assert ws_bob.receive_json()["type"] == "ready"
        job_a = submit_job(client, audio, headers=bearer(alice))["id"]
        job_b = submit_job(client, audio, headers=bearer(bob))["id"]
        _run_job(runtime, job_b, ["bob one", "bob two"])
        _run_job(runtime, job_a, ["alice one", "alice two", "alice three"])

        got_a = _until(ws_alice, job_a, "job.completed")
        got_b = _until(ws_bob, job_b, "job.completed")

    assert {e["job_id"] for e in got_a} == {job_a}
    assert {e["job_id"] for e in got_b} == {job_b}
    for got in (got_a, got_b):
        ids = [e["id"] for e in got]
        assert ids == sorted(ids) and len(set(ids)) == len(ids)
    types = [e["type"] for e in got_a]
    assert types[0] == "job.created" and types[-1] == "job.completed"
    assert [e["data"]["text"] for e in got_a if e["type"] == "job.segment"] == [
        "alice one",
        "alice two",
        "alice three",
    ]
    progress = [e["data"] for e in got_a if e["type"] == "job.progress"]
    assert progress and progress[-1]["progress"] == pytest.approx(0.999)
    assert {"speed", "eta_s"} <= progress[-1].keys()


def test_resume_replays_exactly_the_missed_events(
    client: TestClient,
    runtime: Runtime,
    people: tuple[dict[str, str], dict[str, str]],
    speech_dir: Path,
) -> None:
    alice, bob = people
    audio = speech_dir / "ljspeech_LJ002-0020.wav"
    token = alice["access_token"]
    with client.websocket_connect("/api/v1/ws", subprotocols=["bearer", token]) as ws:
        ws.receive_json()
        first = submit_job(client, audio, headers=bearer(alice))["id"]
        seen = _until(ws, first, "job.created")
    last_seen = seen[-1]["id"]
    # Away: a job runs for Alice (and one for Bob, which she must never get).
    second = submit_job(client, audio, headers=bearer(alice))["id"]
    _run_job(runtime, second, ["missed one", "missed two"])
    bobs = submit_job(client, audio, headers=bearer(bob))["id"]
    _run_job(runtime, bobs, ["not for alice"])

    with client.websocket_connect(
        f"/api/v1/ws?last_event_id={last_seen}", subprotocols=["bearer", token]
    ) as ws:
        ready = ws.receive_json()
        assert ready["type"] == "ready"
        missed = _until(ws, second, "job.completed")
        # Live after the replay: no gap, no duplicate.
        third = submit_job(client, audio, headers=bearer(alice))["id"]
        live = _until(ws, third, "job.created")

    assert [e["job_id"] for e in missed] == [second] * len(missed)
    assert missed[0]["type"] == "job.created" and missed[0]["id"] > last_seen
    assert [e["data"]["text"] for e in missed if e["type"] == "job.segment"] == [
        "missed one",
        "missed two",
    ]
    assert [e["job_id"] for e in live] == [third]
    assert live[0]["id"] > missed[-1]["id"]


def test_first_message_auth_and_admin_watches_everyone(
    client: TestClient,
    runtime: Runtime,
    people: tuple[dict[str, str], dict[str, str]],
    speech_dir: Path,
) -> None:
    alice, _ = people
    admin_token = client.headers["Authorization"].split()[1]
    client.cookies.clear()  # sign-ins set the web app's cookie, which would sign in first
    with client.websocket_connect("/api/v1/ws") as ws:
        ws.send_json({"type": "auth", "token": admin_token})
        assert ws.receive_json()["type"] == "ready"
        ws.send_json({"type": "subscribe", "scope": "all"})
        assert ws.receive_json()["type"] == "subscribed"
        job = submit_job(client, speech_dir / "ljspeech_LJ002-0020.wav", headers=bearer(alice))[
            "id"
        ]
        assert _until(ws, job, "job.created")[-1]["job_id"] == job
        ws.send_json({"type": "ping"})
        assert ws.receive_json() == {"type": "pong"}


def test_a_user_cannot_watch_everyone(
    client: TestClient, people: tuple[dict[str, str], dict[str, str]]
) -> None:
    alice, _ = people
    with client.websocket_connect(
        "/api/v1/ws", subprotocols=["bearer", alice["access_token"]]
    ) as ws:
        ws.receive_json()
        ws.send_json({"type": "subscribe", "scope": "all"})
        assert ws.receive_json()["type"] == "error"


@pytest.mark.parametrize(
    "how", ["bad-token", "expired-token", "bad-first-message", "empty-subprotocol"]
)
def test_bad_credentials_close_with_policy_violation(
    client: TestClient, runtime: Runtime, how: str
) -> None:
    import jwt

    from transcriber.auth.tokens import ALGORITHM, ISSUER

    client.headers.pop("Authorization")
    client.cookies.clear()
    expired = jwt.encode(
        {
            "sub": str(uuid.uuid4()),
            "sid": str(uuid.uuid4()),
            "type": "access",
            "iss": ISSUER,
            "iat": 1,
            "exp": 2,
        },
        runtime.secret_key,
        algorithm=ALGORITHM,
    )
    protocols = {
        "bad-token": ["bearer", "not-a-token"],
        "expired-token": ["bearer", expired],
        "empty-subprotocol": ["bearer"],
        "bad-first-message": None,
    }[how]
    with (
        pytest.raises(WebSocketDisconnect) as closed,
        client.websocket_connect("/api/v1/ws", subprotocols=protocols) as ws,
    ):
        if protocols is None:
            ws.send_json({"type": "auth", "token": "nope"})
        ws.receive_json()
    assert closed.value.code == 1008


def test_connections_per_user_are_limited(
    client: TestClient, runtime: Runtime, people: tuple[dict[str, str], dict[str, str]]
) -> None:
    alice, _ = people
    runtime.settings.events.max_connections_per_user = 1
    protocols = ["bearer", alice["access_token"]]
    with client.websocket_connect("/api/v1/ws", subprotocols=protocols) as first:
        first.receive_json()
        with (
            pytest.raises(WebSocketDisconnect) as closed,
            client.websocket_connect("/api/v1/ws", subprotocols=protocols) as second,
        ):
            second.receive_json()
        assert closed.value.code == 1008


def _short_lived(runtime: Runtime, tokens: dict[str, str], ttl_s: int) -> str:
    """A real access token of the same sign-in session that expires in `ttl_s` seconds."""
    from transcriber.auth.tokens import issue_access_token, read_access_token
    from transcriber.kit.db import utcnow

    claims = read_access_token(runtime.secret_key, tokens["access_token"])
    return issue_access_token(
        runtime.secret_key, claims.user_id, claims.session_id, utcnow(), ttl_s
    )


def _closed_with(ws: Any) -> tuple[int, str]:
    with pytest.raises(WebSocketDisconnect) as closed:
        while True:
            ws.receive_json()
    return closed.value.code, closed.value.reason


def test_a_socket_closes_when_its_token_expires_unless_renewed(
    client: TestClient, runtime: Runtime, people: tuple[dict[str, str], dict[str, str]]
) -> None:
    alice, _ = people
    runtime.settings.events.recheck_s = 30  # the expiry alone must end it
    started = time.monotonic()
    with client.websocket_connect(
        "/api/v1/ws", subprotocols=["bearer", _short_lived(runtime, alice, 2)]
    ) as ws:
        assert ws.receive_json()["type"] == "ready"
        code, reason = _closed_with(ws)
    assert code == 1008 and "expired" in reason
    assert 1.0 < time.monotonic() - started < 10

    # A fresh token sent before the end keeps the socket open past the first one's expiry.
    with client.websocket_connect(
        "/api/v1/ws", subprotocols=["bearer", _short_lived(runtime, alice, 2)]
    ) as ws:
        assert ws.receive_json()["type"] == "ready"
        ws.send_json({"type": "auth", "token": alice["access_token"]})
        renewed = ws.receive_json()
        assert renewed["type"] == "authenticated" and renewed["expires_at"]
        time.sleep(3)
        ws.send_json({"type": "ping"})
        assert ws.receive_json() == {"type": "pong"}
        # Another account's token does not take over the socket.
        bob = people[1]
        ws.send_json({"type": "auth", "token": bob["access_token"]})
        assert ws.receive_json()["type"] == "error"


@pytest.mark.parametrize("withdrawn", ["api-key-revoked", "signed-out", "account-disabled"])
def test_a_withdrawn_credential_closes_its_open_sockets(
    client: TestClient,
    runtime: Runtime,
    people: tuple[dict[str, str], dict[str, str]],
    withdrawn: str,
) -> None:
    alice, _ = people
    runtime.settings.events.recheck_s = 0.3
    credential = alice["access_token"]
    key_id = None
    if withdrawn == "api-key-revoked":
        created = client.post(
            "/api/v1/api-keys", json={"name": "live"}, headers=bearer(alice)
        ).json()
        credential, key_id = created["secret"], created["id"]
    with client.websocket_connect("/api/v1/ws", subprotocols=["bearer", credential]) as ws:
        assert ws.receive_json()["type"] == "ready"
        if withdrawn == "api-key-revoked":
            response = client.delete(f"/api/v1/api-keys/{key_id}", headers=bearer(alice))
        elif withdrawn == "signed-out":
            response = client.post(
                "/api/v1/auth/logout",
                json={"refresh_token": alice["refresh_token"]},
                headers=bearer(alice),
            )
        else:
            me = client.get("/api/v1/auth/me", headers=bearer(alice)).json()
            response = client.patch(f"/api/v1/admin/users/{me['id']}", json={"is_active": False})
        assert response.status_code < 300, response.text
        code, _ = _closed_with(ws)
    assert code == 1008


def test_upload_progress_reaches_the_owners_other_tabs_only(
    client: TestClient, people: tuple[dict[str, str], dict[str, str]], speech_dir: Path
) -> None:
    from tests.support.uploads import create, patch

    alice, bob = people
    data = (speech_dir / "jfk.wav").read_bytes()
    half = len(data) // 2
    with (
        client.websocket_connect(
            "/api/v1/ws", subprotocols=["bearer", alice["access_token"]]
        ) as ws,
        client.websocket_connect(
            "/api/v1/ws", subprotocols=["bearer", bob["access_token"]]
        ) as ws_bob,
    ):
        assert ws.receive_json()["type"] == "ready"
        assert ws_bob.receive_json()["type"] == "ready"
        url = create(client, len(data), bearer(alice), filename="jfk.wav")
        assert patch(client, url, 0, data[:half], bearer(alice)).status_code == 204
        assert patch(client, url, half, data[half:], bearer(alice)).status_code == 204
        seen: list[dict[str, Any]] = []
        while len(seen) < 2:
            message = ws.receive_json()
            if message.get("type") == "upload.progress":
                seen.append(message["data"])
        ws_bob.send_json({"type": "ping"})
        assert ws_bob.receive_json() == {"type": "pong"}  # nothing of Alice's came first
    upload_id = url.rsplit("/", 1)[-1]
    assert seen == [
        {
            "upload_id": upload_id,
            "filename": "jfk.wav",
            "offset": half,
            "length": len(data),
            "status": "receiving",
        },
        {
            "upload_id": upload_id,
            "filename": "jfk.wav",
            "offset": len(data),
            "length": len(data),
            "status": "completed",
        },
    ]


def test_a_terminated_upload_tells_the_other_tabs(
    client: TestClient, people: tuple[dict[str, str], dict[str, str]]
) -> None:
    from tests.support.uploads import TUS, create

    alice, _ = people
    with client.websocket_connect(
        "/api/v1/ws", subprotocols=["bearer", alice["access_token"]]
    ) as ws:
        assert ws.receive_json()["type"] == "ready"
        url = create(client, 1000, bearer(alice), filename="gone.wav")
        assert client.delete(url, headers={**TUS, **bearer(alice)}).status_code == 204
        while (message := ws.receive_json()).get("type") != "upload.progress":
            pass
    assert message["data"]["status"] == "terminated"
    assert message["data"]["upload_id"] == url.rsplit("/", 1)[-1]


def test_deeply_nested_json_and_bad_ids_are_error_messages_not_a_crash(
    client: TestClient, people: tuple[dict[str, str], dict[str, str]]
) -> None:
    alice, _ = people
    with client.websocket_connect(
        "/api/v1/ws", subprotocols=["bearer", alice["access_token"]]
    ) as ws:
        assert ws.receive_json()["type"] == "ready"
        ws.send_text("[" * 30_000)
        assert ws.receive_json()["type"] == "error"
        ws.send_json({"type": "ping"})
        assert ws.receive_json() == {"type": "pong"}
        # Ids no database holds, and a bool that Python counts as an int.
        for bad_id in (2**70, -1, True):
            ws.send_json({"type": "resume", "last_event_id": bad_id})
            assert ws.receive_json()["type"] == "error"
        ws.send_json({"type": "ping"})
        assert ws.receive_json() == {"type": "pong"}
    client.cookies.clear()
    client.headers.pop("Authorization", None)
    with (
        pytest.raises(WebSocketDisconnect) as closed,
        client.websocket_connect("/api/v1/ws") as ws,
    ):
        ws.send_text("[" * 30_000)
        ws.receive_json()
    assert closed.value.code == 1008


def test_an_admin_demoted_while_watching_everyone_is_cut_off(
    client: TestClient, runtime: Runtime
) -> None:
    runtime.settings.events.recheck_s = 0.3
    email = create_user(client, role="admin")
    second = login(client, email)
    with client.websocket_connect(
        "/api/v1/ws", subprotocols=["bearer", second["access_token"]]
    ) as ws:
        assert ws.receive_json()["type"] == "ready"
        ws.send_json({"type": "subscribe", "scope": "all"})
        assert ws.receive_json()["type"] == "subscribed"
        me = client.get("/api/v1/auth/me", headers=bearer(second)).json()
        demoted = client.patch(f"/api/v1/admin/users/{me['id']}", json={"role": "user"})
        assert demoted.status_code == 200, demoted.text
        code, reason = _closed_with(ws)
    assert code == 1008 and "no longer an admin" in reason
