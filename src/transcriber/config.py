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

from pydantic import BaseModel, Field, SecretStr, model_validator
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
    batch_size: int | None = Field(
        None,
        ge=0,
        description="Batched inference (faster-whisper's BatchedInferencePipeline) with this "
        "batch size for every model; 0 is the sequential decoder. Unset: each model's "
        "measured best, batched 4 for tiny.en (1.4x the sequential decoder at the same word "
        "error rate), sequential for the others (bench/RESULTS.md). Jobs with an initial "
        "prompt always use the sequential decoder.",
    )
    window_s: float = Field(
        600.0,
        gt=30,
        description="Long media is decoded and transcribed in windows of about this many "
        "seconds, so memory stays flat whatever the length.",
    )


class WorkerSettings(BaseModel):
    """The Celery workers that run transcription jobs, and how jobs reach them
    (docs/scaling.md, docs/decisions/0040-0045)."""

    concurrency: int = Field(
        0, ge=0, description="Jobs run at once by one worker process; 0 means one per CPU core."
    )
    queues: str = Field("cpu", description="Comma-separated Celery queues a worker consumes.")
    cpu_queue: str | None = Field(
        None,
        description="Queue for jobs whose model may run on a CPU; unset means the first queue "
        "of `TRANSCRIBER_WORKER__QUEUES` (`cpu`).",
    )
    gpu_queue: str = Field(
        "gpu", description="Queue for jobs whose model is listed in `GPU_MODELS`."
    )
    gpu_models: list[str] = Field(
        default_factory=lambda: [
            "medium",
            "medium.en",
            "large",
            "large-v1",
            "large-v2",
            "large-v3",
            "large-v3-turbo",
            "turbo",
            "distil-large-v2",
            "distil-large-v3",
        ],
        description="Models too slow for a CPU: their jobs wait on the GPU queue (JSON list).",
    )
    lease_s: float = Field(
        120.0,
        gt=2,
        description="How long a claimed job stays leased without a heartbeat; a job whose "
        "lease ran out is given to another worker. Also how long a silent worker counts as live.",
    )
    heartbeat_s: float = Field(
        15.0,
        gt=0,
        description="How often a worker renews the leases of its running jobs and its own "
        "row in the `workers` table; keep it well under `LEASE_S`.",
    )
    poll_s: float = Field(
        1.0,
        gt=0,
        description="How often a worker checks whether its running jobs were cancelled.",
    )
    max_attempts: int = Field(
        3,
        ge=1,
        description="Runs of one job (worker lost, transient faults) before it is failed.",
    )
    retry_backoff_s: float = Field(
        10.0,
        ge=0,
        description="Wait before the first automatic retry after a transient fault; doubles "
        "with each attempt.",
    )
    retry_backoff_max_s: float = Field(
        600.0, ge=0, description="Longest wait between automatic retries."
    )
    db_retry_s: float = Field(
        60.0,
        ge=0,
        description="How long a running job retries a failed database write (connection lost, "
        "server restarting) before it gives the job back.",
    )
    maintenance_interval_s: float = Field(
        2.0,
        gt=0,
        description="How often the one active scheduler reaps expired leases and releases "
        "waiting jobs to the broker.",
    )
    redispatch_after_s: float = Field(
        120.0,
        gt=0,
        description="A job sent to the broker but not started after this long is sent again "
        "(the broker may have lost it); a duplicate is harmless.",
    )
    long_job_s: float = Field(
        1800.0,
        gt=0,
        description="Media at least this long counts as a long job for the scheduler.",
    )
    long_jobs_max_share: float = Field(
        0.75,
        gt=0,
        le=1,
        description="Share of a queue's worker slots that long jobs may hold (at least one), "
        "so short jobs never wait behind hours of audio.",
    )
    max_loaded_models: int = Field(
        2,
        ge=1,
        description="Models one worker process keeps in memory; the least recently used one "
        "is dropped when another is needed.",
    )
    send_task_events: bool = Field(
        False,
        description="Send Celery task events, for Flower's task view (docs/scaling.md).",
    )

    @model_validator(mode="after")
    def _heartbeat_within_lease(self) -> WorkerSettings:
        if self.heartbeat_s >= self.lease_s:
            raise ValueError(
                f"worker heartbeat_s ({self.heartbeat_s}) must be shorter than lease_s "
                f"({self.lease_s}), or every lease runs out between two heartbeats"
            )
        return self

    @property
    def consumed_queues(self) -> list[str]:
        return [q.strip() for q in self.queues.split(",") if q.strip()] or ["cpu"]

    @property
    def default_queue(self) -> str:
        return self.cpu_queue or self.consumed_queues[0]


class LimitSettings(BaseModel):
    """Bounds on what one request may bring."""

    max_upload_bytes: int = Field(
        4 * 1024**3,
        gt=0,
        description="Largest accepted media file, in bytes (default 4 GiB), for multipart "
        "and tus uploads alike (tus announces it as `Tus-Max-Size`).",
    )
    max_duration_s: float = Field(
        6 * 3600.0, gt=0, description="Longest accepted media, in seconds (default 6 hours)."
    )
    min_duration_s: float = Field(
        0.1, ge=0, description="Media shorter than this is refused as empty."
    )


MAX_RETENTION_S = 3650 * 24 * 3600


class StorageSettings(BaseModel):
    """Where the original media lives, and for how long (docs/operations.md#storage,
    docs/decisions/0095-storage-backends.md)."""

    backend: Literal["local", "s3"] = Field(
        "local",
        description="`local`: files in a folder (the data dir's `media` folder, or "
        "`LOCAL_DIR`, which may be a shared mount for several machines); `s3`: an "
        "S3-compatible bucket.",
    )
    local_dir: Path | None = Field(
        None,
        description="Folder of the local backend; unset means `media` in the data dir. Point "
        "every API and worker machine at the same mounted folder (NFS, SMB) to share it.",
    )
    s3_bucket: str | None = Field(
        None, description="Bucket of the `s3` backend (it must exist); required for `s3`."
    )
    s3_prefix: str = Field(
        "",
        description="Key prefix inside the bucket, e.g. `transcriber/`, to share a bucket.",
    )
    s3_endpoint_url: str | None = Field(
        None,
        description="Endpoint of an S3-compatible server (MinIO, Ceph, R2, ...); unset means "
        "AWS S3.",
    )
    s3_region: str | None = Field(
        None, description="Region; unset takes it from the standard AWS configuration."
    )
    s3_access_key_id: str | None = Field(
        None,
        description="Access key; unset takes credentials the standard AWS way "
        "(`AWS_ACCESS_KEY_ID`, `~/.aws/credentials`, an instance role).",
    )
    s3_secret_access_key: SecretStr | None = Field(
        None, description="Secret key that goes with `S3_ACCESS_KEY_ID`."
    )
    s3_addressing_style: Literal["auto", "path", "virtual"] = Field(
        "auto",
        description="How the bucket appears in URLs; most self-hosted servers (MinIO) want `path`.",
    )
    s3_part_bytes: int = Field(
        8 * 1024**2,
        ge=5 * 1024**2,
        le=512 * 1024**2,
        description="Part size of multipart uploads to S3: the memory one upload holds.",
    )
    cache_dir: Path | None = Field(
        None,
        description="Where a worker keeps its temporary local copy of S3 media while a job "
        "runs; unset means `media-cache` in the data dir.",
    )
    media_retention_s: int = Field(
        0,
        ge=0,
        le=MAX_RETENTION_S,
        description="Original media of a completed job is deleted this many seconds after it "
        "completed (the transcript stays); 0 keeps it forever. Admins can change it in the app.",
    )

    @model_validator(mode="after")
    def _s3_needs_a_bucket(self) -> StorageSettings:
        if self.backend == "s3" and not self.s3_bucket:
            raise ValueError(
                "storage backend `s3` needs a bucket: set TRANSCRIBER_STORAGE__S3_BUCKET"
            )
        return self


class UploadSettings(BaseModel):
    """Resumable tus uploads at `/api/v1/uploads` (docs/decisions/0090-tus-uploads.md)."""

    dir: Path | None = Field(
        None,
        description="Folder for the bytes of unfinished uploads; default `uploads` in the data "
        "dir. With several API machines, a folder they all share (or sticky sessions).",
    )

    expire_after_s: float = Field(
        24 * 3600.0,
        gt=0,
        description="An unfinished upload that receives no bytes for this long expires and "
        "its bytes are deleted; a finished upload not yet made into a job is kept this long "
        "after its last byte.",
    )
    lock_wait_s: float = Field(
        10.0,
        ge=0,
        description="How long a request waits for another request on the same upload (a "
        "dropped connection the server has not noticed yet) before answering 423.",
    )


class AuthSettings(BaseModel):
    """Accounts, tokens and abuse limits."""

    access_token_ttl_s: int = Field(
        900, ge=30, description="Lifetime of an access token (JWT), in seconds."
    )
    refresh_token_ttl_s: int = Field(
        30 * 24 * 3600, ge=300, description="Lifetime of a refresh token, in seconds."
    )
    registration: Literal["closed", "invite", "open"] = Field(
        "closed",
        description="How new people join until an admin changes it in the app: `closed` "
        "(admins create accounts), `invite` (invite links) or `open`.",
    )
    password_min_length: int = Field(10, ge=8, description="Shortest accepted password.")
    login_rate_limit: str = Field(
        "5/minute",
        description="Failed logins allowed per account in a window (`limits` notation).",
    )
    ip_rate_limit: str = Field(
        "30/minute", description="Login and setup attempts allowed per client IP."
    )
    api_rate_limit: str = Field(
        "600/minute", description="Requests allowed per API key or per signed-in user."
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description="Origins allowed to call the API from a browser (JSON list); none by "
        "default, since the web app is served from the same origin.",
    )
    trust_proxy_headers: bool = Field(
        False,
        description="Take the client IP from X-Forwarded-For (only behind your own proxy).",
    )


class EventSettings(BaseModel):
    """Live events over the WebSocket `/api/v1/ws` (docs/decisions/0060-live-events.md)."""

    retention_s: float = Field(
        3600.0,
        gt=0,
        description="Events older than this are deleted; a client that was away "
        "longer reloads the job over REST instead of replaying.",
    )
    replay_limit: int = Field(
        1000, ge=1, description="Most events replayed to a client that resumes from an old id."
    )
    poll_interval_s: float = Field(
        0.25,
        gt=0,
        description="Without Redis: how often the API reads new events from the database.",
    )
    redis_fallback_poll_s: float = Field(
        2.0,
        gt=0,
        description="With Redis: how often the API reads the database anyway, in case a "
        "wake-up message was lost.",
    )
    max_connections_per_user: int = Field(
        20, ge=1, description="Open WebSockets one user may hold on one API process."
    )
    send_queue_size: int = Field(
        2000,
        ge=1,
        description="Events waiting for one slow client before it is disconnected.",
    )
    auth_timeout_s: float = Field(
        5.0, gt=0, description="Time a client has to send its `auth` message."
    )
    recheck_s: float = Field(
        60.0,
        gt=0,
        description="How often an open WebSocket checks that its credential still stands "
        "(signed out, key revoked, account disabled); an expiring token is checked at its "
        "expiry too.",
    )
    ping_interval_s: float = Field(
        20.0,
        gt=0,
        description="WebSocket pings from the server; a client that does not "
        "answer within the same time is dropped.",
    )


class QuotaSettings(BaseModel):
    """Per-user defaults; an admin can override them for one user. 0 means unlimited."""

    storage_bytes: int = Field(
        50 * 1024**3, ge=0, description="Media bytes a user may keep stored."
    )
    audio_minutes_per_month: int = Field(
        10_000, ge=0, description="Minutes of audio a user may submit per calendar month."
    )
    concurrent_jobs: int = Field(
        50, ge=0, description="Jobs a user may have queued or running at once."
    )


class FetchSettings(BaseModel):
    """Fetching user-given URLs: media from a URL and webhook deliveries (docs/api.md,
    "Media from a URL"; docs/decisions/0102-ssrf-guard.md)."""

    allow_private_networks: bool = Field(
        False,
        description="Let user URLs reach loopback, private (RFC 1918, RFC 4193), link-local, "
        "CGNAT and other non-public addresses. The cloud metadata addresses stay refused "
        "unless listed in `ALLOWED_NETWORKS`.",
    )
    allowed_networks: list[str] = Field(
        default_factory=list,
        description="CIDRs user URLs may reach even though they are not public, e.g. "
        '`["10.20.0.0/16"]` for a media server on your network (JSON list).',
    )
    timeout_s: float = Field(
        600.0,
        gt=0,
        description="Longest time one media download may take, redirects included; a slower "
        "download fails the job.",
    )
    connect_timeout_s: float = Field(
        10.0, gt=0, description="Longest wait for a connection to a user-given URL."
    )
    max_redirects: int = Field(
        5, ge=0, description="Redirects a media download follows, each one checked again."
    )

    @model_validator(mode="after")
    def _networks_parse(self) -> FetchSettings:
        import ipaddress

        for cidr in self.allowed_networks:
            try:
                ipaddress.ip_network(cidr, strict=False)
            except ValueError as exc:
                raise ValueError(f"fetch allowed_networks: {cidr!r} is not a CIDR") from exc
        return self


class WebhookSettings(BaseModel):
    """Signed webhook deliveries (docs/api.md, "Webhooks"; docs/decisions/0100, 0103)."""

    timeout_s: float = Field(
        10.0, gt=0, description="How long one delivery waits for the receiver to answer."
    )
    retry_for_s: float = Field(
        24 * 3600.0,
        ge=0,
        description="How long a failing delivery is retried before it is given up.",
    )
    backoff_s: float = Field(
        30.0, ge=0, description="Wait before the first retry of a failed delivery; doubles."
    )
    backoff_max_s: float = Field(3600.0, ge=0, description="Longest wait between two retries.")
    concurrency: int = Field(
        4, ge=1, description="Deliveries sent at once by the process that holds maintenance."
    )
    max_per_user: int = Field(20, ge=1, description="Webhooks one user may register.")


class MetricsSettings(BaseModel):
    """Prometheus metrics at `GET /metrics` (docs/operations.md#monitoring,
    docs/decisions/0140-prometheus-metrics.md)."""

    token: SecretStr | None = Field(
        None,
        description="When set, `/metrics` answers only requests with `Authorization: Bearer "
        "<token>`; unset, it is open like `/healthz` (it names no user, file or id).",
    )


class HealthSettings(BaseModel):
    """The admin health report at `GET /api/v1/admin/health`."""

    disk_free_warn_bytes: int = Field(
        5 * 1024**3,
        ge=0,
        description="The data dir's file system with less free space than this is reported "
        "as a warning (default 5 GiB); 0 never warns.",
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
    log_format: Literal["text", "json"] | None = Field(
        None,
        description="Log lines of `serve` and `worker`: `json` (one object per line: time, "
        "level, logger, message and the request's fields) or `text`; unset means `json` when "
        "`ENVIRONMENT` is `production`, `text` otherwise.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO",
        description="Least severe log level written; `DEBUG` also logs health probes and "
        "metric scrapes.",
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
        min_length=32,
        description="Signs tokens (32 characters or more, random). When unset, one is "
        "generated once and kept in the data dir.",
    )
    host: str = Field(
        "127.0.0.1",
        description="Address `serve` listens on; `0.0.0.0` to serve the whole network.",
    )
    port: int = Field(8000, description="Port `serve` listens on.")
    openai_wait_s: float = Field(
        600.0,
        gt=0,
        description="How long an OpenAI-compatible request waits for its job before answering "
        "202 with the job's address.",
    )
    embedded_worker: bool = Field(
        True, description="`serve` also starts a worker process (the one-laptop default)."
    )
    auth: AuthSettings = Field(default_factory=AuthSettings)
    quotas: QuotaSettings = Field(default_factory=QuotaSettings)
    whisper: WhisperSettings = Field(default_factory=WhisperSettings)
    worker: WorkerSettings = Field(default_factory=WorkerSettings)
    limits: LimitSettings = Field(default_factory=LimitSettings)
    uploads: UploadSettings = Field(default_factory=UploadSettings)
    events: EventSettings = Field(default_factory=EventSettings)
    storage: StorageSettings = Field(default_factory=StorageSettings)
    fetch: FetchSettings = Field(default_factory=FetchSettings)
    webhooks: WebhookSettings = Field(default_factory=WebhookSettings)
    metrics: MetricsSettings = Field(default_factory=MetricsSettings)
    health: HealthSettings = Field(default_factory=HealthSettings)

    @property
    def resolved_log_format(self) -> Literal["text", "json"]:
        if self.log_format is not None:
            return self.log_format
        return "json" if self.environment == "production" else "text"

    @property
    def resolved_data_dir(self) -> Path:
        return self.data_dir.expanduser().resolve()

    @property
    def models_dir(self) -> Path:
        return self.resolved_data_dir / "models"

    @property
    def media_dir(self) -> Path:
        """The local backend's folder (also where backups find media)."""
        if self.storage.local_dir is not None:
            return self.storage.local_dir.expanduser().resolve()
        return self.resolved_data_dir / "media"

    @property
    def media_cache_dir(self) -> Path:
        """Temporary local copies of object-storage media (S3), per machine."""
        if self.storage.cache_dir is not None:
            return self.storage.cache_dir.expanduser().resolve()
        return self.resolved_data_dir / "media-cache"

    @property
    def uploads_dir(self) -> Path:
        """Unfinished tus uploads (their bytes so far); on a shared folder with several API
        machines."""
        if self.uploads.dir is not None:
            return self.uploads.dir.expanduser().resolve()
        return self.resolved_data_dir / "uploads"

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
