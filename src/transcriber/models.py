"""Imports every table so Alembic and `Base.metadata` see the whole schema."""

from transcriber.admin.models import AppSetting
from transcriber.api_keys.models import ApiKey
from transcriber.audit.models import AuditEvent
from transcriber.auth.models import AuthSession, Invite, RefreshToken
from transcriber.jobs.models import Job
from transcriber.kit.db import Base
from transcriber.kit.leases import Lease
from transcriber.realtime.models import Event
from transcriber.transcripts.models import (
    SegmentVersion,
    ShareLink,
    TranscriptSegment,
    TranscriptWord,
)
from transcriber.uploads.models import Upload
from transcriber.users.models import User
from transcriber.webhooks.models import Webhook, WebhookDelivery
from transcriber.workers.models import Worker

__all__ = [
    "ApiKey",
    "AppSetting",
    "AuditEvent",
    "AuthSession",
    "Base",
    "Event",
    "Invite",
    "Job",
    "Lease",
    "RefreshToken",
    "SegmentVersion",
    "ShareLink",
    "TranscriptSegment",
    "TranscriptWord",
    "Upload",
    "User",
    "Webhook",
    "WebhookDelivery",
    "Worker",
]
