"""One settings object for the whole service.

Every field is read from a `TRANSCRIBER_*` environment variable (or `.env`); nested groups use a
double underscore, e.g. `TRANSCRIBER_WHISPER__COMPUTE_TYPE=int8`. `docs/configuration.md` lists
them all; `tests/test_config.py` keeps that page in step with this file.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class WhisperSettings(BaseModel):
    """How the Whisper engine runs inside a worker."""

    device: Literal["auto", "cpu", "cuda"] = Field(
        "auto", description="Where inference runs; `auto` picks CUDA when a GPU is visible."
    )
    compute_type: str = Field(
        "auto",
        description="CTranslate2 compute type; `auto` is int8 on CPU and float16 on CUDA.",
    )
    cpu_threads: int = Field(
        0,
        ge=0,
        description="CPU threads per concurrent job; 0 divides the machine's cores among the "
        "worker's concurrent jobs.",
    )
    batch_size: int = Field(
        0,
        ge=0,
        description="Batched inference (faster-whisper's BatchedInferencePipeline) with this "
        "batch size; 0 uses the sequential decoder.",
    )
    window_s: float = Field(
        600.0,
        gt=30,
        description="Long media is decoded and transcribed in windows of about this many "
        "seconds, so memory stays flat whatever the length.",
    )


class WorkerSettings(BaseModel):
    """The Celery worker that runs transcription jobs."""

    concurrency: int = Field(
        0, ge=0, description="Jobs run at once by one worker process; 0 means one per CPU core."
    )
    queues: str = Field("cpu", description="Comma-separated Celery queues a worker consumes.")
    lease_s: float = Field(
        120.0, gt=5, description="How long a claimed job stays leased without a heartbeat."
    )
    heartbeat_s: float = Field(15.0, gt=0, description="How often a running job renews its lease.")


class LimitSettings(BaseModel):
    """Bounds on what one request may bring."""

    max_upload_bytes: int = Field(
        4 * 1024**3, gt=0, description="Largest accepted media file, in bytes (default 4 GiB)."
    )
    max_duration_s: float = Field(
        6 * 3600.0, gt=0, description="Longest accepted media, in seconds (default 6 hours)."
    )
    min_duration_s: float = Field(
        0.1, ge=0, description="Media shorter than this is refused as empty."
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="TRANSCRIBER_",
        env_nested_delimiter="__",
        env_file=".env",
        extra="ignore",
    )

    environment: Literal["development", "production", "test"] = Field(
        "development", description="`production` turns on JSON logs and stricter checks."
    )
    data_dir: Path = Field(
        Path("./data"),
        description="Where the embedded database, broker, media and models live.",
    )
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL; default is a SQLite file in the data dir. "
        "Use `postgresql+psycopg://user@host/db` at scale.",
    )
    broker_url: str | None = Field(
        None,
        description="Celery broker URL; default is a SQLite file in the data dir "
        "(`sqla+sqlite:///...`). Use `redis://host:6379/0` at scale.",
    )
    redis_url: str | None = Field(
        None, description="Optional Redis for live events and rate limits across processes."
    )
    default_model: str = Field(
        "tiny.en",
        description="Model used when a job names none: a catalog name or a CTranslate2 folder.",
    )
    secret_key: str | None = Field(
        None,
        description="Signs tokens. When unset, one is generated once and kept in the data dir.",
    )
    host: str = Field(
        "127.0.0.1", description="Address `serve` listens on (loopback until accounts exist)."
    )
    port: int = Field(8000, description="Port `serve` listens on.")
    embedded_worker: bool = Field(
        True, description="`serve` also starts a worker process (the one-laptop default)."
    )
    whisper: WhisperSettings = Field(default_factory=WhisperSettings)
    worker: WorkerSettings = Field(default_factory=WorkerSettings)
    limits: LimitSettings = Field(default_factory=LimitSettings)

    @property
    def resolved_data_dir(self) -> Path:
        return self.data_dir.expanduser().resolve()

    @property
    def models_dir(self) -> Path:
        return self.resolved_data_dir / "models"

    @property
    def media_dir(self) -> Path:
        return self.resolved_data_dir / "media"

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.resolved_data_dir / 'transcriber.db'}"

    @property
    def resolved_broker_url(self) -> str:
        if self.broker_url:
            return self.broker_url
        return f"sqla+sqlite:///{self.resolved_data_dir / 'broker.db'}"

    @property
    def worker_concurrency(self) -> int:
        return self.worker.concurrency or (os.cpu_count() or 1)

    @property
    def cpu_threads_per_job(self) -> int:
        if self.whisper.cpu_threads:
            return self.whisper.cpu_threads
        return max(1, (os.cpu_count() or 1) // self.worker_concurrency)


@lru_cache
def get_settings() -> Settings:
    return Settings()


def settings_reference() -> str:
    """The settings table of docs/configuration.md, made from the fields themselves."""
    lines = ["| variable | default | what it does |", "| --- | --- | --- |"]

    def add(model: type[BaseModel], prefix: str) -> None:
        for name, info in model.model_fields.items():
            annotation = info.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                add(annotation, f"{prefix}{name.upper()}__")
                continue
            default = info.get_default(call_default_factory=True)
            shown = "(unset)" if default is None else f"`{default}`"
            lines.append(f"| `{prefix}{name.upper()}` | {shown} | {info.description or ''} |")

    add(Settings, "TRANSCRIBER_")
    return "\n".join(lines) + "\n"
