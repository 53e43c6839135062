"""Serve the built web app (`frontend/dist`) from the API process: one port, one process.

`mount_web_app(app, dist_dir)` adds two routes that answer GET and HEAD only:

- `/assets/{file}`: the hashed bundles Vite writes. Their names change with their content,
  so they are cached for a year (`immutable`); a missing one is a plain 404.
- `/{path}`: a file at the top of `dist` (manifest, icons, ...) is served as is and
  revalidated; any other path is a route of the single-page app and gets `index.html`,
  never cached, so a new release is picked up on the next load. A path that names a
  missing file (`/x.js`) is a 404, not the app.

The routes never match other methods, nor paths that belong to the server (`/api/...`,
`/v1/...`, `/healthz`, `/docs`, ...), so the API's own 404 and 405 answers are unchanged.
Call it after the API routers are included: routes match in order, and the fallback
matches every other GET. Nothing is mounted when `dist_dir` has no `index.html` (a
checkout where the web app was not built): the API then works alone.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import FileResponse, JSONResponse
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match, Route
from starlette.types import Scope

log = logging.getLogger(__name__)

#: Where the web app is built in a source checkout (`<repo>/frontend/dist`).
DEFAULT_DIST_DIR = Path(__file__).resolve().parents[2] / "frontend" / "dist"

IMMUTABLE = "public, max-age=31536000, immutable"
NO_CACHE = "no-cache"

#: First path segments that belong to the server, never to the web app.
RESERVED_PREFIXES = frozenset(
    {"api", "v1", "healthz", "readyz", "metrics", "docs", "redoc", "openapi.json"}
)

#: Types the platform's mime database may not know, or may get wrong.
MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8",
    ".wasm": "application/wasm",
}


class _WebRoute(Route):
    """A GET/HEAD route that steps aside (no match at all) for server paths and methods."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return Match.NONE, {}
        match, child_scope = super().matches(scope)
        if match is Match.NONE:
            return match, child_scope
        path = str(child_scope.get("path_params", {}).get("path", ""))
        if path.split("/", 1)[0] in RESERVED_PREFIXES:
            return Match.NONE, {}
        return match, child_scope


def mount_web_app(app: FastAPI, dist_dir: Path) -> None:
    """Serve the single-page app in `dist_dir` at `/`; do nothing if it was not built."""
    root = dist_dir.expanduser().resolve()
    index = root / "index.html"
    if not index.is_file():
        log.info("Web app not served: %s has no index.html (run `npm run build`).", root)
        return
    if getattr(app.state, "web_app_dir", None) is not None:
        return  # mounted already: a second fallback would never be reached
    app.state.web_app_dir = root
    assets = root / "assets"

    def web_asset(request: Request) -> Response:
        file = _inside(assets, _path_param(request))
        return _not_found() if file is None else _file(file, IMMUTABLE)

    def web_page(request: Request) -> Response:
        path = _path_param(request)
        if path and "/" not in path:
            file = _inside(root, path)
            if file is not None:
                return _file(file, NO_CACHE)
        if "." in path.rsplit("/", 1)[-1]:
            return _not_found()  # names a file that is not there, not a page of the app
        return _file(index, NO_CACHE)

    methods = ["GET", "HEAD"]
    app.router.routes.append(_WebRoute("/assets/{path:path}", web_asset, methods=methods))
    app.router.routes.append(_WebRoute("/{path:path}", web_page, methods=methods))
    log.info("Serving the web app from %s", root)


def _path_param(request: Request) -> str:
    value: Any = request.path_params.get("path", "")
    return str(value)


def _inside(base: Path, relative: str) -> Path | None:
    """The regular file `relative` under `base`, or None (also for `..` and links out)."""
    if not relative or "\x00" in relative:
        return None
    try:
        candidate = (base / relative).resolve()
    except (OSError, ValueError):
        return None
    if not candidate.is_relative_to(base) or not candidate.is_file():
        return None
    return candidate


def _file(path: Path, cache_control: str) -> FileResponse:
    media_type = MEDIA_TYPES.get(path.suffix.lower()) or (
        mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    )
    return FileResponse(
        path,
        media_type=media_type,
        headers={"Cache-Control": cache_control, "X-Content-Type-Options": "nosniff"},
    )


def _not_found() -> JSONResponse:
    return JSONResponse({"detail": "Not Found"}, status_code=404)
