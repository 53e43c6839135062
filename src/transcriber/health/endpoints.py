from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from transcriber.dependencies import RuntimeDep
from transcriber.worker.dispatch import broker_reachable
from transcriber.workers.service import WorkerService

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Liveness: the process answers")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Readiness: database, broker and storage answer; a worker is live")
def readyz(runtime: RuntimeDep) -> Any:
    checks: dict[str, str] = {}
    try:
        with runtime.db.connect() as connection:
            connection.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        runtime.storage.check()
        checks["storage"] = "ok"
    except Exception as exc:
        checks["storage"] = f"error: {type(exc).__name__}"
    checks["broker"] = "ok" if broker_reachable(runtime.settings) else "error: unreachable"
    queue = runtime.settings.worker.default_queue
    try:
        with runtime.sessions() as session:
            live = WorkerService(session, runtime.settings).has_live_worker(queue)
        checks["worker"] = "ok" if live else f"error: no live worker on queue {queue!r}"
    except Exception as exc:
        checks["worker"] = f"error: {type(exc).__name__}"
    ready = all(value == "ok" for value in checks.values())
    return JSONResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status_code=200 if ready else 503,
    )
