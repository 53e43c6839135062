from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from transcriber.dependencies import RuntimeDep

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Liveness: the process answers")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Readiness: database and storage answer")
def readyz(runtime: RuntimeDep) -> Any:
    checks: dict[str, str] = {}
    try:
        with runtime.db.connect() as connection:
            connection.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        probe_dir = runtime.settings.media_dir
        probe_dir.mkdir(parents=True, exist_ok=True)
        marker = probe_dir / f".ready-{uuid.uuid4().hex}"
        marker.write_bytes(b"ok")
        marker.unlink()
        checks["storage"] = "ok"
    except OSError as exc:
        checks["storage"] = f"error: {type(exc).__name__}"
    ready = all(value == "ok" for value in checks.values())
    return JSONResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status_code=200 if ready else 503,
    )
