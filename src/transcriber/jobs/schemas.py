from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from transcriber.asr.types import Task
from transcriber.jobs.models import JobStatus


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
    diarize: bool = False

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
    duration_s: float | None
    language: str | None
    model: str
    task: Task
    word_timestamps: bool
    vad: bool
    diarize: bool
    error: str | None
    partial: bool = Field(
        description="The transcript stops before the end of the media (cancelled or failed "
        "mid-way); what was transcribed is kept."
    )
    attempts: int = Field(description="Runs so far (a worker lost or a transient fault).")
    queue: str = Field(description="The worker queue the job waits on (`cpu`, `gpu`).")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class JobPage(BaseModel):
    items: list[JobRead]
    next_cursor: str | None


JobStatusFilter = Literal["queued", "running", "completed", "failed", "cancelled"]
