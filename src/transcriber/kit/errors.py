"""Typed errors: each carries the message a person reads and the HTTP status it maps to.

One handler in `app.py` renders them all as `{"detail": ...}`; an exception that is not a
`TranscriberError` is a bug and becomes a 500 without a traceback in the body.
"""

from __future__ import annotations

from typing import Any


class TranscriberError(Exception):
    status_code: int = 400

    def __init__(
        self,
        detail: str,
        *,
        status_code: int | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        if status_code is not None:
            self.status_code = status_code
        self.headers = headers or {}
        self.extra = extra


class BadRequest(TranscriberError):
    status_code = 400


class Unauthorized(TranscriberError):
    status_code = 401


class Forbidden(TranscriberError):
    status_code = 403


class NotFound(TranscriberError):
    status_code = 404


class Conflict(TranscriberError):
    status_code = 409


class PayloadTooLarge(TranscriberError):
    status_code = 413


class UnsupportedMedia(TranscriberError):
    """The bytes are not audio we can decode (decided by probing, never by the file name)."""

    status_code = 415


class Unprocessable(TranscriberError):
    status_code = 422


class Gone(TranscriberError):
    """It existed and was removed on purpose (e.g. media past its retention)."""

    status_code = 410


class StorageUnavailable(TranscriberError, ConnectionError):
    """The media storage did not answer (object store unreachable, timed out). A
    `ConnectionError` too, so a worker treats it as transient and tries the job again later."""

    status_code = 503
