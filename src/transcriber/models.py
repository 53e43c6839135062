"""Imports every table so Alembic and `Base.metadata` see the whole schema."""

from transcriber.jobs.models import Job
from transcriber.kit.db import Base
from transcriber.transcripts.models import TranscriptSegment, TranscriptWord
from transcriber.users.models import User

__all__ = ["Base", "Job", "TranscriptSegment", "TranscriptWord", "User"]
