"""The long-lived objects of one API process, built once from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from transcriber.config import Settings
from transcriber.jobs.service import Dispatcher
from transcriber.kit.crypto import load_or_create_secret
from transcriber.kit.db import make_engine, make_sessionmaker
from transcriber.kit.ratelimit import RateLimiter
from transcriber.kit.storage import Storage, storage_from_settings
from transcriber.worker.dispatch import CeleryDispatcher


@dataclass
class Runtime:
    settings: Settings
    db: Engine
    sessions: sessionmaker[Session]
    storage: Storage
    dispatcher: Dispatcher
    secret_key: str
    limiter: RateLimiter

    @classmethod
    def from_settings(cls, settings: Settings, dispatcher: Dispatcher | None = None) -> Runtime:
        db = make_engine(settings.resolved_database_url)
        secret = settings.secret_key or load_or_create_secret(
            settings.resolved_data_dir / "secret_key"
        )
        return cls(
            settings=settings,
            db=db,
            sessions=make_sessionmaker(db),
            storage=storage_from_settings(settings),
            dispatcher=dispatcher or CeleryDispatcher(settings),
            secret_key=secret,
            limiter=RateLimiter(settings.redis_url),
        )
