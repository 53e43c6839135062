"""Every route against generated input, valid and invalid, from the app's own OpenAPI schema.

Schemathesis builds requests from each operation's schema (and breaks them on purpose);
whatever arrives, the answer is a clear 4xx with a reason or a success, never a 5xx.
Hypothesis is derandomised so a run is repeatable and a failure reproduces.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from tests.support.app import RecordingDispatcher
from tests.support.auth import setup_admin
from transcriber.app import create_app
from transcriber.config import Settings
from transcriber.kit.migrate import upgrade
from transcriber.runtime import Runtime

EXAMPLES_PER_ROUTE = 25
# These end the caller's own session, which would turn every later call into a 401; their
# bad input is covered in tests/auth.
SKIPPED = {("POST", "/api/v1/auth/logout"), ("POST", "/api/v1/auth/password")}
# Readiness answers 503 by design when no worker is live (none is here).
MAY_BE_UNAVAILABLE = {"/readyz"}


@schemathesis.serializer("application/offset+octet-stream")
def _tus_bytes(_context: Any, value: Any) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode()


def _problem(case: Any, response: Any) -> str | None:
    if response.status_code >= 500 and case.formatted_path not in MAY_BE_UNAVAILABLE:
        return f"{response.status_code}: {response.text[:200]}"
    if 400 <= response.status_code < 500 and case.method != "HEAD" and response.content:
        try:
            body = response.json()
        except ValueError:
            body = None
        if not (isinstance(body, dict) and (body.get("detail") or body.get("error"))):
            return f"{response.status_code} without a reason: {response.text[:200]}"
    return None


def test_no_route_answers_generated_input_with_a_server_error(tmp_path: Path) -> None:
    config = Settings(data_dir=tmp_path / "data", environment="test")
    config.auth.ip_rate_limit = config.auth.api_rate_limit = "100000/minute"
    config.auth.login_rate_limit = "100000/minute"
    upgrade(config.resolved_database_url)
    dispatcher = RecordingDispatcher()
    runtime = Runtime.from_settings(config, dispatcher=dispatcher)
    dispatcher.runtime = runtime
    app = create_app(runtime=runtime)
    with TestClient(app) as client:
        admin = {"Authorization": f"Bearer {setup_admin(client)['access_token']}"}

    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
    problems: list[str] = []
    tried = 0
    for found in schema.get_all_operations():
        operation = found.ok()
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue
        tried += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_ROUTE,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case: Any) -> None:
            where = f"{case.method} {case.formatted_path} query={case.query}"
            try:
                response = case.call(headers=admin)
            except Exception as exc:  # the test client re-raises what the server raised
                problems.append(f"{where}: raised {type(exc).__name__}: {exc}"[:400])
                return
            problem = _problem(case, response)
            if problem:
                problems.append(f"{where}: {problem}"[:400])

        call()
    assert tried > 60, "the schema lost its routes"
    assert not problems, "\n".join(sorted(set(problems))[:30])


def test_every_integer_parameter_refuses_numbers_beyond_the_database(tmp_path: Path) -> None:
    """Generated input finds these only now and then; each integer parameter of the schema is
    sent a number no database column holds, and must answer 422 (or 404 where the object the
    path names is looked up first), not overflow in the driver."""
    config = Settings(data_dir=tmp_path / "data", environment="test")
    upgrade(config.resolved_database_url)
    app = create_app(runtime=Runtime.from_settings(config, dispatcher=RecordingDispatcher()))
    huge = str(2**70)
    checked = []
    with TestClient(app) as client:
        setup_admin(client)
        for path, methods in app.openapi()["paths"].items():
            for method, operation in methods.items():
                parameters = operation.get("parameters", [])
                filled = {
                    p["name"]: ("00000000-0000-4000-8000-000000000000" if "uuid" in str(p) else "x")
                    for p in parameters
                    if p["in"] == "path"
                }
                for parameter in parameters:
                    types = {parameter["schema"].get("type")} | {
                        option.get("type") for option in parameter["schema"].get("anyOf", [])
                    }
                    if "integer" not in types or parameter["in"] not in ("query", "path"):
                        continue
                    values = {**filled, parameter["name"]: huge}
                    url = (
                        path.format(**values)
                        if parameter["in"] == "path"
                        else path.format(**filled)
                    )
                    query = {parameter["name"]: huge} if parameter["in"] == "query" else {}
                    response = client.request(method.upper(), url, params=query)
                    checked.append(f"{method} {path} {parameter['name']}")
                    assert response.status_code in (404, 422), (checked[-1], response.text)
                    assert response.json()["detail"]
    assert len(checked) >= 8, checked
