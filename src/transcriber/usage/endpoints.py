from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy.orm import Session

from transcriber.config import Settings
from transcriber.dependencies import CurrentUser, SessionDep, SettingsDep
from transcriber.usage.service import UsageService
from transcriber.users.models import User

router = APIRouter(prefix="/api/v1", tags=["usage"])


class QuotaRead(BaseModel):
    storage_bytes: int | None
    audio_minutes_per_month: int | None
    concurrent_jobs: int | None


class StatsRead(BaseModel):
    jobs_by_status: dict[str, int]
    active_jobs: int
    audio_minutes_this_month: float
    storage_bytes: int
    quota: QuotaRead


@router.get("/stats", response_model=StatsRead, summary="My usage against my quotas")
def stats(user: CurrentUser, session: SessionDep, settings: SettingsDep) -> StatsRead:
    return stats_of(user, session, settings)


def stats_of(user: User, session: Session, settings: Settings) -> StatsRead:
    """One person's usage against their quotas (theirs at `/stats`, anyone's for admins)."""
    service = UsageService(session, settings)
    usage, quotas = service.usage(user), service.quotas(user)
    return StatsRead(
        jobs_by_status=usage.jobs_by_status,
        active_jobs=usage.active_jobs,
        audio_minutes_this_month=round(usage.audio_minutes_this_month, 2),
        storage_bytes=usage.storage_bytes,
        quota=QuotaRead(
            storage_bytes=quotas.storage_bytes,
            audio_minutes_per_month=quotas.audio_minutes_per_month,
            concurrent_jobs=quotas.concurrent_jobs,
        ),
    )
