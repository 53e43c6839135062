from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from transcriber.dependencies import AdminUser, RuntimeDep
from transcriber.health.schemas import HealthReport
from transcriber.health.service import HealthService

router = APIRouter(tags=["health"])
admin_router = APIRouter(prefix="/api/v1/admin", tags=["admin"])


def get_health_service(runtime: RuntimeDep) -> HealthService:
    return HealthService(runtime)


HealthServiceDep = Annotated[HealthService, Depends(get_health_service)]


@router.get("/healthz", summary="Liveness: the process answers")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Readiness: database, broker and storage answer; a worker is live")
def readyz(health: HealthServiceDep) -> Any:
    checks = health.readiness()
    ready = all(check.ready for check in checks)
    return JSONResponse(
        {
            "status": "ok" if ready else "unavailable",
            "checks": {c.name: "ok" if c.ready else f"error: {c.reason}" for c in checks},
        },
        status_code=200 if ready else 503,
    )


@admin_router.get(
    "/health",
    response_model=HealthReport,
    summary="Every part's state with a sentence each; 200 whatever it finds",
)
def admin_health(admin: AdminUser, health: HealthServiceDep) -> Any:
    return health.report()
