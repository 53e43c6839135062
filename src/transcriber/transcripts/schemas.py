from __future__ import annotations

from pydantic import BaseModel


class WordRead(BaseModel):
    start: float
    end: float
    word: str
    probability: float


class SegmentRead(BaseModel):
    id: int
    start: float
    end: float
    text: str
    speaker: str | None = None
    words: list[WordRead] | None = None


class TranscriptRead(BaseModel):
    job_id: str
    status: str
    language: str | None
    duration_s: float | None
    text: str
    segments: list[SegmentRead]
