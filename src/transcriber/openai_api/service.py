"""OpenAI-compatible transcription: each request is an ordinary job, waited for in place."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, BinaryIO, Literal

from starlette.concurrency import run_in_threadpool

from transcriber.jobs.models import FINISHED_STATUSES, Job
from transcriber.jobs.schemas import JobOptions
from transcriber.jobs.service import JobService
from transcriber.kit.db import transaction
from transcriber.kit.errors import TranscriberError
from transcriber.runtime import Runtime
from transcriber.transcripts.exports import ExportOptions, render
from transcriber.transcripts.repository import TranscriptRepository
from transcriber.transcripts.service import TranscriptService
from transcriber.users.models import User

ResponseFormat = Literal["json", "text", "srt", "verbose_json", "vtt"]
POLL_S = 0.2
OPENAI_MODEL_ALIAS = "whisper-1"

# Whisper's own language names, which verbose_json reports (OpenAI says "english").
_LANGUAGE_NAMES = {
    "en": "english", "de": "german", "fr": "french", "es": "spanish", "it": "italian",
    "pt": "portuguese", "nl": "dutch", "sv": "swedish", "ja": "japanese", "ko": "korean",
    "zh": "chinese", "ru": "russian", "pl": "polish", "tr": "turkish", "ar": "arabic",
}  # fmt: skip


class StillRunning(TranscriberError):
    """The wait limit passed; the job goes on and can be fetched from the jobs API."""

    status_code = 202


@dataclass(frozen=True, slots=True)
class Finished:
    job_id: uuid.UUID
    status: str
    error: str | None


def submit(
    runtime: Runtime, user: User, source: BinaryIO, filename: str | None, options: JobOptions
) -> uuid.UUID:
    """Create the job in a transaction of its own: the worker must see it while we wait."""
    with transaction(runtime.sessions) as session:
        service = JobService(session, runtime.settings, runtime.storage, runtime.dispatcher)
        job = service.create_from_stream(user, source, filename, options)
        return job.id


def _status(runtime: Runtime, job_id: uuid.UUID) -> Finished:
    with runtime.sessions() as session:
        job = session.get(Job, job_id)
        if job is None:
            raise TranscriberError("The job was deleted while it ran.", status_code=404)
        return Finished(job.id, job.status, job.error)


async def wait_for(runtime: Runtime, job_id: uuid.UUID, wait_s: float) -> Finished:
    deadline = time.monotonic() + wait_s
    while True:
        state = await run_in_threadpool(_status, runtime, job_id)
        if state.status in FINISHED_STATUSES:
            return state
        if time.monotonic() >= deadline:
            raise StillRunning(
                f"The transcription is still running; fetch it at /api/v1/jobs/{job_id}.",
                job_id=str(job_id),
                status=state.status,
                url=f"/api/v1/jobs/{job_id}",
            )
        await asyncio.sleep(POLL_S)


def check_outcome(state: Finished) -> None:
    if state.status == "failed":
        raise TranscriberError(state.error or "The transcription failed.", status_code=400)
    if state.status == "cancelled":
        raise TranscriberError("The transcription was cancelled.", status_code=400)


def build_response(
    runtime: Runtime,
    job_id: uuid.UUID,
    response_format: ResponseFormat,
    task: str,
    granularities: set[str],
) -> tuple[Any, str]:
    """The body and media type OpenAI's clients expect for `response_format`."""
    with runtime.sessions() as session:
        job = session.get(Job, job_id)
        assert job is not None
        transcripts = TranscriptService(session)
        if response_format in ("srt", "vtt"):
            body = render(transcripts.document(job), response_format, ExportOptions())
            media = "application/x-subrip" if response_format == "srt" else "text/vtt"
            return body.decode(), media
        read = transcripts.read(job)
        if response_format == "text":
            return read.text + "\n", "text/plain"
        if response_format == "json":
            return {"text": read.text}, "application/json"
        segments = TranscriptRepository(session).segments(job.id, with_words=True)
        verbose: dict[str, Any] = {
            "task": task,
            "language": _LANGUAGE_NAMES.get(read.language or "", read.language or "english"),
            "duration": job.duration_s or 0.0,
            "text": read.text,
        }
        if "segment" in granularities or "word" not in granularities:
            verbose["segments"] = [
                {
                    "id": index,
                    "seek": 0,
                    "start": row.start,
                    "end": row.end,
                    "text": row.text,
                    "tokens": [],
                    "temperature": 0.0,
                    "avg_logprob": row.avg_logprob or 0.0,
                    "compression_ratio": 0.0,
                    "no_speech_prob": row.no_speech_prob or 0.0,
                }
                for index, row in enumerate(segments)
            ]
        if "word" in granularities:
            verbose["words"] = [
                {"word": word.word.strip(), "start": word.start, "end": word.end}
                for row in segments
                for word in row.words
            ]
        return verbose, "application/json"


async def stream_events(runtime: Runtime, job_id: uuid.UUID, wait_s: float) -> AsyncIterator[str]:
    """Server-sent events in the shape of OpenAI's transcription stream: text deltas as
    segments are written, then the whole text."""
    deadline = time.monotonic() + wait_s
    sent = 0
    texts: list[str] = []
    while True:
        state = await run_in_threadpool(_status, runtime, job_id)
        new = await run_in_threadpool(_segments_after, runtime, job_id, sent)
        for index, text in new:
            delta = text if not texts else " " + text
            texts.append(text)
            sent = index + 1
            event = {"type": "transcript.text.delta", "delta": delta, "segment_id": str(index)}
            yield f"data: {json.dumps(event)}\n\n"
        if state.status in FINISHED_STATUSES:
            break
        if time.monotonic() >= deadline:
            break
        await asyncio.sleep(POLL_S)
    done = {"type": "transcript.text.done", "text": " ".join(texts)}
    yield f"data: {json.dumps(done)}\n\n"


def _segments_after(runtime: Runtime, job_id: uuid.UUID, first: int) -> list[tuple[int, str]]:
    with runtime.sessions() as session:
        rows = TranscriptRepository(session).segments(job_id, with_words=False)
        return [(row.idx, row.text) for row in rows if row.idx >= first]
