from __future__ import annotations

from pydantic import ValidationError

from transcriber.kit.errors import Unprocessable


def readable_validation_error(exc: ValidationError) -> Unprocessable:
    """Turn pydantic's error list into one sentence a person can act on."""
    parts = []
    for error in exc.errors(include_url=False, include_input=False):
        where = ".".join(str(p) for p in error["loc"]) or "body"
        parts.append(f"{where}: {error['msg']}")
    return Unprocessable("Invalid options: " + "; ".join(parts) + ".")
