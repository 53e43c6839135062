"""The rules about webhooks: registering receivers, recording an event's deliveries in the
transaction that finishes the job, and the bookkeeping of each attempt. Services flush;
callers commit. Sending is the worker side's (`webhooks.sender`)."""

from __future__ import annotations

import base64
import json
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from standardwebhooks import Webhook as Signer

from transcriber.audit.service import AuditLog
from transcriber.config import Settings
from transcriber.jobs.models import Job
from transcriber.kit.db import utcnow
from transcriber.kit.errors import Conflict, NotFound
from transcriber.kit.fetch import NetworkPolicy, check_url
from transcriber.kit.pagination import decode_cursor, encode_cursor
from transcriber.users.models import User
from transcriber.webhooks.models import WEBHOOK_EVENTS, Webhook, WebhookDelivery
from transcriber.webhooks.repository import WebhookRepository
from transcriber.webhooks.schemas import WebhookCreate, WebhookUpdate

SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's prefix, not a secret
# What is kept of a receiver's answer: enough to see why it failed.
EXCERPT_CHARS = 500
# Re-sends waiting per webhook: enough to replay a few missed events, not a flood to aim at
# a third party through this server.
MAX_PENDING_PER_WEBHOOK = 10
# A claimed delivery is not taken by another process for this long beyond its timeout.
HOLD_MARGIN_S = 30.0


def new_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def signed_headers(message_id: str, secret: str, body: str, at: datetime) -> dict[str, str]:
    """The Standard Webhooks headers for one attempt (the timestamp is the attempt's)."""
    return {
        "content-type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Signer(secret).sign(message_id, at, body),
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def event_body(event: str, job: Job, at: datetime) -> str:
    """The JSON sent for a job's outcome, in the Standard Webhooks payload shape."""
    data: dict[str, Any] = {
        "id": str(job.id),
        "status": job.status,
        "filename": job.filename,
        "source_url": job.source_url,
        "duration_s": job.duration_s,
        "language": job.language,
        "model": job.model,
        "task": job.task,
        "error": job.error,
        "partial": job.partial,
        "created_at": _iso(job.created_at),
        "started_at": _iso(job.started_at),
        "finished_at": _iso(job.finished_at),
        "transcript_path": f"/api/v1/jobs/{job.id}/transcript",
    }
    return json.dumps(
        {"type": event, "timestamp": _iso(at), "data": data},
        separators=(",", ":"),
        ensure_ascii=False,
    )


@dataclass(frozen=True, slots=True)
class DueDelivery:
    """What a sender thread needs for one attempt, detached from any session."""

    id: uuid.UUID
    url: str
    secret: str
    message_id: str
    payload: str


class WebhookService:
    def __init__(self, session: Session, settings: Settings, audit: AuditLog | None = None) -> None:
        self.session = session
        self.settings = settings
        self.audit = audit or AuditLog(session)
        self.webhooks = WebhookRepository(session)

    @property
    def policy(self) -> NetworkPolicy:
        return NetworkPolicy.from_settings(self.settings.fetch)

    def check_url(self, url: str) -> str:
        """A receiver URL this server will send to (http(s), reachable under the fetch rules)."""
        return check_url(url, self.policy)

    # -- the user's webhooks -----------------------------------------------------------------

    def list_owned(self, owner: User) -> Sequence[Webhook]:
        return self.webhooks.list_for_owner(owner.id)

    def create(self, owner: User, data: WebhookCreate) -> Webhook:
        limit = self.settings.webhooks.max_per_user
        if self.webhooks.count_for_owner(owner.id) >= limit:
            raise Conflict(f"You have {limit} webhooks, the most allowed; delete one first.")
        webhook = Webhook(
            owner_id=owner.id,
            url=self.check_url(data.url),
            description=(data.description or "").strip() or None,
            events=sorted(set(data.events)),
            active=data.active,
            secret=new_secret(),
        )
        self.session.add(webhook)
        self.session.flush()
        self.audit.record(
            "webhook.created",
            actor=owner,
            target_type="webhook",
            target_id=webhook.id,
            url=webhook.url,
        )
        return webhook

    def get_owned(self, owner: User, webhook_id: uuid.UUID) -> Webhook:
        webhook = self.webhooks.get_for_owner(webhook_id, owner.id)
        if webhook is None:
            raise NotFound("Webhook not found.")
        return webhook

    def update(self, owner: User, webhook_id: uuid.UUID, data: WebhookUpdate) -> Webhook:
        webhook = self.get_owned(owner, webhook_id)
        changes = data.model_dump(exclude_unset=True)
        if changes.get("url") is not None:
            webhook.url = self.check_url(changes["url"])
        if changes.get("events") is not None:
            webhook.events = sorted(set(changes["events"]))
        if "description" in changes:
            webhook.description = (changes["description"] or "").strip() or None
        if changes.get("active") is not None:
            webhook.active = changes["active"]
        self.session.flush()
        self.audit.record(
            "webhook.updated",
            actor=owner,
            target_type="webhook",
            target_id=webhook.id,
            fields=sorted(changes),
        )
        return webhook

    def delete(self, owner: User, webhook_id: uuid.UUID) -> None:
        webhook = self.get_owned(owner, webhook_id)
        self.audit.record(
            "webhook.deleted", actor=owner, target_type="webhook", target_id=webhook.id
        )
        self.session.delete(webhook)
        self.session.flush()

    def deliveries(
        self, owner: User, webhook_id: uuid.UUID, *, cursor: str | None, limit: int
    ) -> tuple[Sequence[WebhookDelivery], str | None]:
        webhook = self.get_owned(owner, webhook_id)
        after = decode_cursor(cursor) if cursor else None
        rows = self.webhooks.deliveries(webhook.id, after, limit + 1)
        page = rows[:limit]
        more = len(rows) > limit
        return page, encode_cursor(page[-1].created_at, page[-1].id) if more else None

    def resend(self, owner: User, webhook_id: uuid.UUID, delivery_id: uuid.UUID) -> WebhookDelivery:
        """Send a recorded event again, now, to the webhook's current URL; a new delivery with
        the same `webhook-id`, so a receiver that already has it can tell."""
        webhook = self.get_owned(owner, webhook_id)
        original = self.webhooks.delivery(delivery_id, webhook.id)
        if original is None:
            raise NotFound("Delivery not found.")
        waiting = self.webhooks.pending_resends(owner.id, webhook.id)
        if waiting >= MAX_PENDING_PER_WEBHOOK:
            raise Conflict(
                f"{waiting} deliveries of this webhook are still waiting to be sent; re-send "
                "once they are through (a receiver that is down gets each of them retried)."
            )
        delivery = self._new_delivery(
            owner_id=owner.id,
            webhook_id=webhook.id,
            job_id=original.job_id,
            event=original.event,
            message_id=original.message_id,
            url=webhook.url,
            secret=webhook.secret,
            payload=original.payload,
        )
        self.session.flush()
        return delivery

    # -- recording an event (in the transaction that finishes the job) ------------------------

    def job_finished(self, job_id: uuid.UUID, event: str) -> list[WebhookDelivery]:
        """One pending delivery per receiver of this event: the owner's active webhooks that
        want it, and the job's own `callback_url`."""
        if event not in WEBHOOK_EVENTS:
            return []
        # The job was changed by a bulk UPDATE: read it afresh, not from the identity map.
        job = self.session.scalar(
            select(Job).where(Job.id == job_id).execution_options(populate_existing=True)
        )
        if job is None:
            return []
        now = utcnow()
        payload = event_body(event, job, now)
        message_id = new_message_id()
        made: list[WebhookDelivery] = []
        for webhook in self.webhooks.active_for_owner(job.owner_id):
            if webhook.events and event not in webhook.events:
                continue
            made.append(
                self._new_delivery(
                    owner_id=job.owner_id,
                    webhook_id=webhook.id,
                    job_id=job.id,
                    event=event,
                    message_id=message_id,
                    url=webhook.url,
                    secret=webhook.secret,
                    payload=payload,
                )
            )
        if job.callback_url and job.callback_secret:
            made.append(
                self._new_delivery(
                    owner_id=job.owner_id,
                    webhook_id=None,
                    job_id=job.id,
                    event=event,
                    message_id=message_id,
                    url=job.callback_url,
                    secret=job.callback_secret,
                    payload=payload,
                )
            )
        self.session.flush()
        return made

    def _new_delivery(self, **fields: Any) -> WebhookDelivery:
        now = utcnow()
        delivery = WebhookDelivery(
            **fields,
            status="pending",
            attempts=0,
            next_attempt_at=now,
            give_up_at=now + timedelta(seconds=self.settings.webhooks.retry_for_s),
            created_at=now,
        )
        self.session.add(delivery)
        return delivery

    # -- the sender's bookkeeping ------------------------------------------------------------

    def claim_due(self, now: datetime, limit: int) -> list[DueDelivery]:
        """Take up to `limit` deliveries whose time has come; each is held for the time an
        attempt can take, so a sender that dies leaves it to the next one."""
        if limit <= 0:
            return []
        until = now + timedelta(
            seconds=self.settings.webhooks.timeout_s
            + self.settings.fetch.connect_timeout_s
            + HOLD_MARGIN_S
        )
        claimed: list[DueDelivery] = []
        for delivery_id, seen_at in self.webhooks.due(now, limit):
            if not self.webhooks.hold(delivery_id, seen_at, until):
                continue
            row = self.session.get(WebhookDelivery, delivery_id)
            if row is not None:
                claimed.append(
                    DueDelivery(row.id, row.url, row.secret, row.message_id, row.payload)
                )
        self.session.flush()
        return claimed

    def record_attempt(
        self,
        delivery_id: uuid.UUID,
        *,
        response_code: int | None,
        excerpt: str | None,
        error: str | None,
        at: datetime,
    ) -> WebhookDelivery | None:
        """Note one attempt's outcome: delivered on a 2xx, else the next try after an
        exponential backoff, or given up once `give_up_at` has passed."""
        delivery = self.session.get(WebhookDelivery, delivery_id, populate_existing=True)
        if delivery is None or delivery.status != "pending":
            return delivery
        delivery.attempts += 1
        delivery.last_attempt_at = at
        delivery.response_code = response_code
        delivery.response_excerpt = (excerpt or "")[:EXCERPT_CHARS] or None
        if response_code is not None and 200 <= response_code < 300:
            delivery.status = "succeeded"
            delivery.delivered_at = at
            delivery.next_attempt_at = None
            delivery.error = None
        else:
            delivery.error = (error or f"The receiver answered {response_code}.")[:2000]
            next_at = at + timedelta(seconds=self.backoff_s(delivery.attempts))
            if next_at > delivery.give_up_at:
                delivery.status = "failed"
                delivery.next_attempt_at = None
            else:
                delivery.next_attempt_at = next_at
        self.session.flush()
        return delivery

    def backoff_s(self, attempts: int) -> float:
        """Exponential: base, 2 x base, 4 x base, ... up to the maximum."""
        hooks = self.settings.webhooks
        return float(min(hooks.backoff_max_s, hooks.backoff_s * 2 ** max(0, attempts - 1)))
