from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from transcriber.asr.diarize import MAX_SPEAKERS
from transcriber.asr.types import Task
from transcriber.jobs.models import JobStatus
from transcriber.kit.fetch import MAX_URL_LENGTH, UrlRefused, parse_url


def _known_languages() -> frozenset[str]:
    from faster_whisper.tokenizer import _LANGUAGE_CODES

    return frozenset(_LANGUAGE_CODES)


class JobOptions(BaseModel):
    """How to transcribe; every field has a sane default."""

    model_config = ConfigDict(extra="forbid")

    model: str | None = Field(
        None, max_length=255, description="Catalog name; default model if unset."
    )
    language: str | None = Field(
        None, max_length=16, description="ISO 639-1 code, or unset / `auto` to detect."
    )
    task: Task = "transcribe"
    word_timestamps: bool = False
    vad: bool = True
    initial_prompt: str | None = Field(None, max_length=2000)
    diarize: bool = Field(
        False,
        description="Label each segment with its speaker (`SPEAKER_1`, `SPEAKER_2`, ...); needs "
        "the `diarization` extra on the server.",
    )
    min_speakers: int | None = Field(
        None,
        ge=1,
        le=MAX_SPEAKERS,
        description="With `diarize`: at least this many speakers (default: found).",
    )
    max_speakers: int | None = Field(
        None,
        ge=1,
        le=MAX_SPEAKERS,
        description="With `diarize`: at most this many speakers (default: found, up to 10).",
    )
    callback_url: str | None = Field(
        None,
        max_length=MAX_URL_LENGTH,
        description="http(s) URL told of the job's outcome (signed like a webhook; the secret "
        "is in the creation response only).",
    )

    @model_validator(mode="after")
    def _check_speakers(self) -> JobOptions:
        if (self.min_speakers is not None or self.max_speakers is not None) and not self.diarize:
            raise ValueError("min_speakers and max_speakers need diarize=true")
        if (
            self.min_speakers is not None
            and self.max_speakers is not None
            and self.min_speakers > self.max_speakers
        ):
            raise ValueError(
                f"min_speakers ({self.min_speakers}) is more than max_speakers "
                f"({self.max_speakers})"
            )
        return self

    @field_validator("callback_url")
    @classmethod
    def _check_callback_url(cls, value: str | None) -> str | None:
        return _http_url(value)

    @field_validator("language")
    @classmethod
    def _check_language(cls, value: str | None) -> str | None:
        if value is None or value.strip().lower() in {"", "auto"}:
            return None
        code = value.strip().lower()
        if code not in _known_languages():
            raise ValueError(f"unknown language code {value!r}; use an ISO 639-1 code or 'auto'")
        return code

    @field_validator("model", "initial_prompt")
    @classmethod
    def _blank_is_unset(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        return value.strip()


def _http_url(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    try:
        return str(parse_url(value))
    except UrlRefused as exc:
        raise ValueError(exc.detail) from None


class JobFromUrl(JobOptions):
    """`POST /api/v1/jobs` with JSON: the media is downloaded from `url` by the worker."""

    url: str = Field(
        max_length=MAX_URL_LENGTH, description="http:// or https:// address of the media."
    )

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        checked = _http_url(value)
        if checked is None:
            raise ValueError("give the media's http:// or https:// address")
        return checked


class JobFromUpload(JobOptions):
    """`POST /api/v1/jobs` as JSON: a job from a finished tus upload. Options given here
    override those of the upload's metadata."""

    upload_id: uuid.UUID


class JobRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    status: JobStatus
    progress: float
    filename: str
    source_url: str | None = Field(description="Where the media is downloaded from, if a URL.")
    downloading: bool = Field(
        description="Running, but still downloading its media from `source_url`."
    )
    callback_url: str | None
    duration_s: float | None
    language: str | None
    model: str
    task: Task
    word_timestamps: bool
    vad: bool
    diarize: bool
    min_speakers: int | None = Field(None, description="The job's lower bound on speakers.")
    max_speakers: int | None = Field(None, description="The job's upper bound on speakers.")
    error: str | None
    partial: bool = Field(
        description="The transcript stops before the end of the media (cancelled or failed "
        "mid-way); what was transcribed is kept."
    )
    attempts: int = Field(description="Runs so far (a worker lost or a transient fault).")
    queue: str = Field(description="The worker queue the job waits on (`cpu`, `gpu`).")
    queue_reason: str | None = Field(
        None,
        description="Why a queued job waits again (retried, its worker lost, a passing fault); "
        "null once a worker takes it.",
    )
    retry_at: datetime | None = Field(
        None, description="A job queued again after a fault runs no earlier than this."
    )
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    media_deleted_at: datetime | None = Field(
        None,
        description="When the original media was deleted after the retention period; the "
        "transcript is kept.",
    )
    media_note: str | None = Field(
        None, description="Why the original media is no longer kept, in a sentence."
    )


class JobCreated(JobRead):
    callback_secret: str | None = Field(
        None,
        description="Signs the deliveries to `callback_url` (`whsec_<base64>`, Standard "
        "Webhooks). Shown in this response only.",
    )


class JobPage(BaseModel):
    items: list[JobRead]
    next_cursor: str | None


JobStatusFilter = Literal["queued", "running", "completed", "failed", "cancelled"]
