"""What one worker process keeps for its life: settings, database sessions, storage, engine."""

from __future__ import annotations

import os
import socket
import threading
import uuid
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from transcriber.asr.engine import WhisperEngine
from transcriber.config import Settings, get_settings
from transcriber.kit.db import make_engine, make_sessionmaker
from transcriber.kit.storage import LocalStorage, Storage


@dataclass
class WorkerContext:
    settings: Settings
    worker_id: str = field(
        default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    )

    @cached_property
    def db(self) -> Engine:
        return make_engine(self.settings.resolved_database_url)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return make_sessionmaker(self.db)

    @cached_property
    def storage(self) -> Storage:
        return LocalStorage(self.settings.media_dir)

    @cached_property
    def engine(self) -> WhisperEngine:
        return WhisperEngine(self.settings, concurrency=self.settings.worker_concurrency)


_context: WorkerContext | None = None
_lock = threading.Lock()


def get_worker_context() -> WorkerContext:
    global _context
    with _lock:
        if _context is None:
            _context = WorkerContext(get_settings())
        return _context
