from __future__ import annotations

import unicodedata
import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


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


def _clean_text(value: str, what: str, max_chars: int) -> str:
    """Reject what a database or a reader would choke on, with a sentence saying why."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"the {what} contains characters that are not valid Unicode") from None
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in value):
        raise ValueError(f"the {what} contains control characters")
    value = unicodedata.normalize("NFC", value).strip()
    if not value:
        raise ValueError(f"the {what} cannot be empty")
    if len(value) > max_chars:
        raise ValueError(f"the {what} is longer than {max_chars:,} characters")
    return value


MAX_SEGMENT_CHARS = 10_000
MAX_SPEAKER_CHARS = 64


class SegmentEdit(BaseModel):
    """Send `text`, `speaker` or both; `speaker: null` removes the label."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(default=None, max_length=MAX_SEGMENT_CHARS * 2)
    speaker: str | None = Field(default=None, max_length=MAX_SPEAKER_CHARS * 4)

    @field_validator("text")
    @classmethod
    def _text(cls, value: str | None) -> str | None:
        if value is None:
            raise ValueError("the text cannot be null; send the new text or leave it out")
        return _clean_text(value, "text", MAX_SEGMENT_CHARS)

    @field_validator("speaker")
    @classmethod
    def _speaker(cls, value: str | None) -> str | None:
        return None if value is None else _clean_text(value, "speaker", MAX_SPEAKER_CHARS)

    @model_validator(mode="after")
    def _something(self) -> SegmentEdit:
        if not self.model_fields_set:
            raise ValueError("send the new `text`, the `speaker`, or both")
        return self


class SpeakerRename(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: str = Field(alias="from", max_length=MAX_SPEAKER_CHARS * 4)
    to: str = Field(max_length=MAX_SPEAKER_CHARS * 4)

    @field_validator("from_", "to")
    @classmethod
    def _name(cls, value: str) -> str:
        return _clean_text(value, "speaker", MAX_SPEAKER_CHARS)


class SpeakerRenamed(BaseModel):
    renamed: int


class SegmentVersionRead(BaseModel):
    """`kind` is machine (what the model wrote), edit or revert; `id` is null for the machine
    version of a segment nobody has edited yet."""

    id: int | None
    kind: str
    text: str
    speaker: str | None
    editor_id: uuid.UUID | None
    created_at: datetime | None


class SearchHit(BaseModel):
    job_id: uuid.UUID
    filename: str
    segment_id: int
    start: float
    end: float
    speaker: str | None
    snippet: str = Field(description="HTML: the text escaped, matching words in <mark>")
    score: float


class SearchPage(BaseModel):
    items: list[SearchHit]
    next_cursor: str | None


class ShareCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    expires_in_s: int | None = Field(default=None, ge=60, le=366 * 24 * 3600)
    include_media: bool = False


class ShareRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    include_media: bool
    expires_at: datetime | None
    revoked_at: datetime | None
    created_at: datetime


class ShareCreated(ShareRead):
    token: str = Field(description="Shown once; only its hash is kept")
    url: str


class SharedSegment(BaseModel):
    start: float
    end: float
    text: str
    speaker: str | None = None
    words: list[WordRead] | None = None


class SharedTranscript(BaseModel):
    """What a share link shows: this transcript, nothing about its owner or other jobs."""

    filename: str
    language: str | None
    duration_s: float | None
    text: str
    include_media: bool
    expires_at: datetime | None
    segments: list[SharedSegment]
