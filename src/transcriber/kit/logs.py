"""Log lines of `serve` and `worker`: text for people, one JSON object per line for log
pipelines (docs/decisions/0143-structured-logs.md).

Every record carries time, level, logger and message, plus the id of the request it was
written in. Credentials never reach the output: the request log names the route template, not
the path or the query, no header is logged, and a last filter masks anything that looks like a
bearer token, an API key, a JWT or a password in a URL, whoever logged it.
"""

from __future__ import annotations

import logging
import logging.config
import re
from contextvars import ContextVar
from typing import Any

from pythonjsonlogger.json import JsonFormatter

from transcriber.config import Settings

REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
REQUEST_LOGGER = "transcriber.requests"

_REDACTED = "[redacted]"
_SECRET_PATTERNS = (
    # A credential after the scheme, not a word: "bearer token" or "basic usage" stay.
    (re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]{8,}"), r"\1 " + _REDACTED),
    (re.compile(r"\b(Basic) [A-Za-z0-9+/]{8,}={0,2}"), r"\1 " + _REDACTED),
    (re.compile(r"\bwt_[A-Za-z0-9_-]+"), _REDACTED),  # API keys (api_keys.service.KEY_PREFIX)
    (re.compile(r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), _REDACTED),  # JWTs
    (re.compile(r"(://[^/\s:@]*:)[^@\s/]+@"), r"\1" + _REDACTED + "@"),  # user:password@host
)
# Libraries that log whole URLs at INFO: user-given media and webhook URLs may carry
# signatures or tokens in their query strings.
QUIET_LIBRARIES = ("httpx", "httpcore", "botocore", "urllib3")


def redact(text: str) -> str:
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RequestIdFilter(logging.Filter):
    """Stamps each record with the id of the request being served, if any."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = REQUEST_ID.get()
        return True


class TextLogFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        request_id = getattr(record, "request_id", None)
        if request_id:
            line = f"{line} request_id={request_id}"
        return redact(line)


class JsonLogFormatter(JsonFormatter):
    """`{"time", "level", "logger", "message", ...extra fields}`, one object per line."""

    def __init__(self) -> None:
        super().__init__(
            "%(message)s %(levelname)s %(name)s",
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp="time",
        )

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        super().add_fields(log_data, record, message_dict)
        if log_data.get("request_id") is None:
            log_data.pop("request_id", None)
        # Time first, as people read a line.
        fields = dict(log_data)
        log_data.clear()
        log_data["time"] = fields.pop("time")
        log_data.update(fields)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def logging_config(settings: Settings) -> dict[str, Any]:
    """A `logging.config.dictConfig` mapping; uvicorn applies it in each of its processes."""
    formatter = JsonLogFormatter if settings.resolved_log_format == "json" else TextLogFormatter
    level = settings.log_level
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"default": {"()": formatter}},
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "default",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["default"], "level": level},
        "loggers": {
            # uvicorn's own lines go through the root handler, in the same format.
            "uvicorn": {"handlers": [], "propagate": True, "level": level},
            "uvicorn.error": {"handlers": [], "propagate": True, "level": level},
            # Replaced by the request log (kit.middleware), which never logs a raw path: a
            # shared link's token is in its path.
            "uvicorn.access": {"handlers": [], "propagate": False, "level": "WARNING"},
            **{
                name: {"handlers": [], "propagate": True, "level": "WARNING"}
                for name in (*QUIET_LIBRARIES, "alembic.runtime.plugins")
            },
        },
    }


def configure_logging(settings: Settings) -> None:
    logging.config.dictConfig(logging_config(settings))
    # Python's warnings (deprecations, Celery's root warning) become records in the same format.
    logging.captureWarnings(True)
