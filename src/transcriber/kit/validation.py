from __future__ import annotations

from pydantic import ValidationError

from transcriber.kit.errors import Unprocessable

# The largest id or offset a client may send: row ids and offsets are signed 64-bit integers
# on SQLite and PostgreSQL, and a bigger number must be a 422, not an overflow in the driver.
MAX_ROW_NUMBER = 2**62


def readable_validation_error(exc: ValidationError) -> Unprocessable:
    """Turn pydantic's error list into one sentence a person can act on."""
    parts = []
    for error in exc.errors(include_url=False, include_input=False):
        where = ".".join(str(p) for p in error["loc"]) or "body"
        parts.append(f"{where}: {error['msg']}")
    return Unprocessable("Invalid options: " + "; ".join(parts) + ".")
