"""OpenAI's error shape, so client libraries raise their usual exceptions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi.responses import JSONResponse

PREFIX = "/v1/"

# OpenAI answers 400 for a file it cannot use and for invalid values; our 415/422 map there.
_STATUS = {415: 400, 422: 400}
_TYPES = {
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("invalid_request_error", "permission_denied"),
    404: ("invalid_request_error", "not_found"),
    413: ("invalid_request_error", "file_too_large"),
    429: ("requests", "rate_limit_exceeded"),
}


def is_openai_path(path: str) -> bool:
    return path.startswith(PREFIX)


def openai_error(
    status_code: int,
    message: str,
    *,
    param: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    status = _STATUS.get(status_code, status_code)
    error_type, code = _TYPES.get(status, ("invalid_request_error", None))
    if status >= 500:
        error_type, code = "server_error", None
    body: dict[str, Any] = {
        "error": {"message": message, "type": error_type, "param": param, "code": code}
    }
    return JSONResponse(body, status_code=status, headers=headers)
