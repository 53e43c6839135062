"""The tus 1.0 protocol's header rules: parsing what clients send, nothing else.

https://tus.io/protocols/resumable-upload : core, creation, creation-with-upload, termination,
expiration and checksum. Every function here raises a `TranscriberError` with the status the
protocol names (400, 412, 415, 460) and a sentence a person can act on.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from typing import Any

from transcriber.kit.errors import BadRequest, TranscriberError, UnsupportedMedia

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,creation-with-upload,termination,expiration,checksum"
OFFSET_CONTENT_TYPE = "application/offset+octet-stream"
# Checksum algorithms clients may use, strongest last; `Tus-Checksum-Algorithm` lists them.
CHECKSUM_ALGORITHMS: dict[str, Callable[[], Any]] = {
    "sha1": hashlib.sha1,
    "sha256": hashlib.sha256,
    "sha512": hashlib.sha512,
    "md5": hashlib.md5,
}
MAX_METADATA_CHARS = 16 * 1024

_DIGITS = re.compile(r"^[0-9]{1,19}$")
_METADATA_KEY = re.compile(r"^[^\s,]+$")


class TusError(TranscriberError):
    """Every tus error answer carries `Tus-Resumable`, as the protocol asks."""

    def __init__(self, detail: str, **kwargs: Any) -> None:
        headers = {"Tus-Resumable": TUS_VERSION, **kwargs.pop("headers", {})}
        super().__init__(detail, headers=headers, **kwargs)


class UnsupportedVersion(TusError):
    status_code = 412


class ChecksumMismatch(TusError):
    """tus's own status for a body whose checksum does not match `Upload-Checksum`."""

    status_code = 460


class UploadLocked(TusError):
    status_code = 423


def check_version(headers: Mapping[str, str]) -> None:
    sent = headers.get("tus-resumable")
    if sent != TUS_VERSION:
        shown = "no Tus-Resumable header" if sent is None else f"Tus-Resumable {sent!r}"
        raise UnsupportedVersion(
            f"This server speaks tus {TUS_VERSION} only and got {shown}; send "
            f"`Tus-Resumable: {TUS_VERSION}`.",
            headers={"Tus-Version": TUS_VERSION},
        )


def parse_size(headers: Mapping[str, str], name: str) -> int:
    """A non-negative integer header (`Upload-Length`, `Upload-Offset`)."""
    value = headers.get(name.lower())
    if value is None:
        raise tus_bad_request(f"The {name} header is missing.")
    value = value.strip()
    if not _DIGITS.match(value):
        raise tus_bad_request(f"{name} must be a whole number of bytes, not {value[:40]!r}.")
    return int(value)


def check_offset_content_type(headers: Mapping[str, str]) -> None:
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != OFFSET_CONTENT_TYPE:
        raise UnsupportedMedia(
            f"Upload bytes must be sent as `Content-Type: {OFFSET_CONTENT_TYPE}`, "
            f"not {content_type or 'none'!r}.",
            headers={"Tus-Resumable": TUS_VERSION},
        )


def has_body(headers: Mapping[str, str]) -> bool:
    """Whether a creation request brings bytes too (creation-with-upload)."""
    length = headers.get("content-length")
    if length is not None:
        return length.strip() not in ("", "0")
    return "chunked" in headers.get("transfer-encoding", "").lower()


def parse_metadata(header: str | None) -> dict[str, str]:
    """`Upload-Metadata: key base64value,key2 base64value2,flag` to a dict of strings."""
    if header is None or not header.strip():
        return {}
    if len(header) > MAX_METADATA_CHARS:
        raise tus_bad_request(f"Upload-Metadata is longer than {MAX_METADATA_CHARS:,} characters.")
    pairs: dict[str, str] = {}
    for item in header.split(","):
        parts = item.strip().split(" ")
        if len(parts) > 2 or not parts[0] or not _METADATA_KEY.match(parts[0]):
            raise tus_bad_request(
                "Upload-Metadata must be comma-separated `key base64value` pairs; "
                f"{item.strip()[:60]!r} is not one."
            )
        key = parts[0]
        if key in pairs:
            raise tus_bad_request(f"Upload-Metadata names {key!r} twice.")
        value = ""
        if len(parts) == 2:
            try:
                value = base64.b64decode(parts[1], validate=True).decode("utf-8")
            except (binascii.Error, ValueError):
                raise tus_bad_request(
                    f"The Upload-Metadata value of {key!r} is not base64-encoded UTF-8 text."
                ) from None
        pairs[key] = value
    return pairs


@dataclass(frozen=True, slots=True)
class Checksum:
    algorithm: str
    digest: bytes

    def hasher(self) -> Any:
        return CHECKSUM_ALGORITHMS[self.algorithm]()


def parse_checksum(headers: Mapping[str, str]) -> Checksum | None:
    """`Upload-Checksum: sha1 <base64 digest>`, or None when the client sends none."""
    value = headers.get("upload-checksum")
    if value is None:
        return None
    algorithm, _, encoded = value.strip().partition(" ")
    algorithm = algorithm.lower()
    if algorithm not in CHECKSUM_ALGORITHMS:
        raise tus_bad_request(
            f"Checksum algorithm {algorithm[:20]!r} is not supported; use one of "
            f"{', '.join(CHECKSUM_ALGORITHMS)}."
        )
    try:
        digest = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise tus_bad_request("The Upload-Checksum digest is not base64.") from None
    if len(digest) != CHECKSUM_ALGORITHMS[algorithm]().digest_size:
        raise tus_bad_request(f"The Upload-Checksum digest is not a {algorithm} digest.")
    return Checksum(algorithm, digest)


def http_date(moment: datetime) -> str:
    """RFC 9110 date, as `Upload-Expires` wants it."""
    return format_datetime(moment, usegmt=True)


def tus_bad_request(detail: str) -> BadRequest:
    return BadRequest(detail, headers={"Tus-Resumable": TUS_VERSION})


def discovery_headers(max_bytes: int) -> dict[str, str]:
    return {
        "Tus-Resumable": TUS_VERSION,
        "Tus-Version": TUS_VERSION,
        "Tus-Extension": TUS_EXTENSIONS,
        "Tus-Max-Size": str(max_bytes),
        "Tus-Checksum-Algorithm": ",".join(CHECKSUM_ALGORITHMS),
    }
