"""What each user uses, against their quotas; checked before work or bytes are accepted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from transcriber.config import Settings
from transcriber.jobs.models import Job
from transcriber.kit.db import utcnow
from transcriber.kit.errors import TranscriberError
from transcriber.users.models import User


class QuotaExceeded(TranscriberError):
    status_code = 403


@dataclass(frozen=True, slots=True)
class Quotas:
    """None means unlimited."""

    storage_bytes: int | None
    audio_minutes_per_month: int | None
    concurrent_jobs: int | None


@dataclass(frozen=True, slots=True)
class Usage:
    storage_bytes: int
    audio_minutes_this_month: float
    active_jobs: int
    jobs_by_status: dict[str, int]


def storage_quota_exceeded(left: int) -> QuotaExceeded:
    return QuotaExceeded(
        f"The file is larger than what is left of your storage quota ({left:,} bytes). "
        "Delete old jobs or ask an admin for more.",
        limit="storage_bytes",
        remaining=left,
    )


def month_start(now: datetime) -> datetime:
    return datetime(now.year, now.month, 1, tzinfo=UTC)


def _limit(override: int | None, default: int) -> int | None:
    value = default if override is None else override
    return value or None


class UsageService:
    def __init__(self, session: Session, settings: Settings) -> None:
        self.session = session
        self.settings = settings

    def quotas(self, user: User) -> Quotas:
        defaults = self.settings.quotas
        return Quotas(
            storage_bytes=_limit(user.quota_storage_bytes, defaults.storage_bytes),
            audio_minutes_per_month=_limit(
                user.quota_audio_minutes_per_month, defaults.audio_minutes_per_month
            ),
            concurrent_jobs=_limit(user.quota_concurrent_jobs, defaults.concurrent_jobs),
        )

    def usage(self, user: User) -> Usage:
        by_status = dict(
            self.session.execute(
                select(Job.status, func.count()).where(Job.owner_id == user.id).group_by(Job.status)
            ).all()
        )
        return Usage(
            storage_bytes=self.storage_used(user),
            audio_minutes_this_month=self.minutes_this_month(user),
            active_jobs=int(by_status.get("queued", 0)) + int(by_status.get("running", 0)),
            jobs_by_status={str(k): int(v) for k, v in by_status.items()},
        )

    def storage_used(self, user: User) -> int:
        query = select(func.coalesce(func.sum(Job.media_bytes), 0)).where(
            Job.owner_id == user.id, Job.media_key.is_not(None)
        )
        return int(self.session.scalar(query) or 0)

    def minutes_this_month(self, user: User) -> float:
        query = select(func.coalesce(func.sum(Job.duration_s), 0.0)).where(
            Job.owner_id == user.id, Job.created_at >= month_start(utcnow())
        )
        return float(self.session.scalar(query) or 0.0) / 60.0

    def storage_left(self, user: User) -> int | None:
        limit = self.quotas(user).storage_bytes
        return None if limit is None else max(0, limit - self.storage_used(user))

    def check_storage(self, user: User, incoming_bytes: int) -> None:
        left = self.storage_left(user)
        if left is not None and incoming_bytes > left:
            raise storage_quota_exceeded(left)

    def check_new_job(self, user: User, duration_s: float | None) -> None:
        self.check_concurrent_jobs(user)
        self.check_minutes(user, duration_s)

    def check_concurrent_jobs(self, user: User) -> None:
        quotas = self.quotas(user)
        if quotas.concurrent_jobs is not None:
            active = int(
                self.session.scalar(
                    select(func.count()).where(
                        Job.owner_id == user.id, Job.status.in_(("queued", "running"))
                    )
                )
                or 0
            )
            if active >= quotas.concurrent_jobs:
                raise QuotaExceeded(
                    f"You already have {active} jobs queued or running, the most allowed at "
                    "once; wait for some to finish.",
                    limit="concurrent_jobs",
                    remaining=0,
                )

    def check_minutes(self, user: User, duration_s: float | None) -> None:
        quotas = self.quotas(user)
        if quotas.audio_minutes_per_month is not None and duration_s is not None:
            left = max(0.0, quotas.audio_minutes_per_month - self.minutes_this_month(user))
            if duration_s / 60.0 > left:
                raise QuotaExceeded(
                    f"This file ({duration_s / 60:.1f} min) is over your monthly audio quota: "
                    f"{left:.1f} min are left this month.",
                    limit="audio_minutes_per_month",
                    remaining=round(left, 1),
                )
