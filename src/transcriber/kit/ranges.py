"""HTTP range requests (RFC 9110 section 14) over any byte source, for media that is not a file
on this machine (object storage). Files on disk go through Starlette's `FileResponse`, which
does the same; this one answers alike: 206 for one range, 416 past the end, 400 when
malformed, and the whole body (200) for several ranges or an `If-Range` (we keep no validator
to compare it with), which the RFC allows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from urllib.parse import quote

from starlette.datastructures import Headers
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.types import Receive, Scope, Send

Reader = Callable[[int, int], Iterator[bytes]]

# str.isdigit() also takes '²' and other digits int() refuses.
_ASCII_DIGITS = re.compile(r"[0-9]+")


class MalformedRange(ValueError):
    pass


class UnsatisfiableRange(ValueError):
    pass


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """One `bytes=` range as (start, end exclusive), or None to send the whole body."""
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes":
        return None
    if "," in spec:
        return None  # several ranges: the whole body is a valid answer
    first, dash, last = spec.strip().partition("-")
    first, last = first.strip(), last.strip()
    if (
        not dash
        or not (first or last)
        or not _ASCII_DIGITS.fullmatch(first or "0")
        or not _ASCII_DIGITS.fullmatch(last or "0")
    ):
        raise MalformedRange(f"The Range header {header!r} is not a byte range.")
    if not first:  # the last N bytes
        start, end = max(0, size - int(last)), size
        if int(last) == 0:
            raise UnsatisfiableRange
    else:
        start = int(first)
        end = min(size, int(last) + 1) if last else size
        if last and int(last) < start:
            raise MalformedRange(f"The Range header {header!r} ends before it starts.")
    if start >= size:
        raise UnsatisfiableRange
    return start, end


def _content_disposition(kind: str, filename: str) -> str:
    quoted = quote(filename)
    if quoted != filename:
        return f"{kind}; filename*=utf-8''{quoted}"
    return f'{kind}; filename="{filename}"'


class RangeStreamResponse(Response):
    """Streams `reader(start, end)` with range support; the size must be known up front."""

    def __init__(
        self,
        reader: Reader,
        size: int,
        *,
        media_type: str,
        filename: str,
        content_disposition_type: str = "inline",
    ) -> None:
        self.reader = reader
        self.size = size
        self.media_type = media_type
        self.status_code = 200
        self.background = None
        self.init_headers(
            {
                "accept-ranges": "bytes",
                "content-disposition": _content_disposition(content_disposition_type, filename),
            }
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_headers = Headers(scope=scope)
        header = request_headers.get("range")
        start, end, status = 0, self.size, 200
        if header is not None and request_headers.get("if-range") is None:
            try:
                chosen = parse_range(header, self.size)
            except MalformedRange as exc:
                await JSONResponse({"detail": str(exc)}, status_code=400)(scope, receive, send)
                return
            except UnsatisfiableRange:
                response = JSONResponse(
                    {"detail": f"The range is outside the {self.size:,} bytes of this file."},
                    status_code=416,
                    headers={"content-range": f"bytes */{self.size}"},
                )
                await response(scope, receive, send)
                return
            if chosen is not None:
                (start, end), status = chosen, 206
        headers = dict(self.headers)
        headers["content-length"] = str(end - start)
        if status == 206:
            headers["content-range"] = f"bytes {start}-{end - 1}/{self.size}"
        streamed = StreamingResponse(
            self.reader(start, end), status_code=status, headers=headers, media_type=None
        )
        await streamed(scope, receive, send)
