from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from transcriber.dependencies import AdminUser, SessionDep, SettingsDep
from transcriber.workers.schemas import WorkerRead
from transcriber.workers.service import WorkerService

router = APIRouter(prefix="/api/v1/admin/workers", tags=["admin"])


@router.get("", response_model=list[WorkerRead], summary="Worker processes and what they run")
def list_workers(admin: AdminUser, session: SessionDep, settings: SettingsDep) -> Any:
    return WorkerService(session, settings).list()
