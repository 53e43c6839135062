"""The FastAPI application factory: routers, error handling, the runtime objects."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from transcriber import __version__
from transcriber.admin.endpoints import router as admin_router
from transcriber.api_keys.endpoints import router as api_keys_router
from transcriber.auth.endpoints import router as auth_router
from transcriber.config import Settings, get_settings
from transcriber.health.endpoints import admin_router as admin_health_router
from transcriber.health.endpoints import router as health_router
from transcriber.jobs.endpoints import router as jobs_router
from transcriber.kit.errors import TranscriberError
from transcriber.kit.middleware import (
    BodyLimitMiddleware,
    RequestObserverMiddleware,
    SecurityHeadersMiddleware,
    UnexpectedErrorMiddleware,
)
from transcriber.metrics.endpoints import router as metrics_router
from transcriber.metrics.service import Metrics
from transcriber.openai_api.endpoints import router as openai_router
from transcriber.openai_api.errors import is_openai_path, openai_error
from transcriber.realtime.endpoints import router as realtime_router
from transcriber.runtime import Runtime
from transcriber.transcripts.endpoints import router as transcripts_router
from transcriber.transcripts.endpoints import search_router, shared_router
from transcriber.uploads.endpoints import router as uploads_router
from transcriber.usage.endpoints import router as usage_router
from transcriber.webapp import DEFAULT_DIST_DIR, mount_web_app
from transcriber.webhooks.endpoints import router as webhooks_router
from transcriber.workers.endpoints import router as workers_router


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> FastAPI:
    settings = settings or (runtime.settings if runtime else get_settings())
    runtime = runtime or Runtime.from_settings(settings)
    app = FastAPI(
        title="Whisper Transcriber",
        version=__version__,
        description="Self-hosted transcription with Whisper: jobs, transcripts and exports.",
        lifespan=_lifespan,
    )
    app.state.runtime = runtime
    app.state.metrics = Metrics(runtime)
    _install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    _install_middleware(app, settings, app.state.metrics)
    # Last: its catch-all GET route would hide any route added after it.
    mount_web_app(app, DEFAULT_DIST_DIR)
    return app


ROUTERS = (
    health_router,
    metrics_router,
    admin_health_router,
    auth_router,
    api_keys_router,
    jobs_router,
    uploads_router,
    transcripts_router,
    search_router,
    shared_router,
    usage_router,
    admin_router,
    openai_router,
    workers_router,
    realtime_router,
    webhooks_router,
)
# Media arrives on these paths; everything else is small JSON.
UPLOAD_PREFIXES = ("/api/v1/jobs", "/api/v1/uploads", "/v1/audio")
JSON_BODY_LIMIT = 1024 * 1024
# What a browser's tus client (tus-js-client, Uppy) sends and must be able to read across origins.
TUS_REQUEST_HEADERS = (
    "Tus-Resumable",
    "Upload-Length",
    "Upload-Offset",
    "Upload-Metadata",
    "Upload-Checksum",
    "Upload-Defer-Length",
    "Upload-Concat",
    "X-HTTP-Method-Override",
    "X-Requested-With",
)
TUS_RESPONSE_HEADERS = (
    "Upload-Offset",
    "Upload-Length",
    "Upload-Metadata",
    "Upload-Expires",
    "Upload-Job-Id",
    "Tus-Resumable",
    "Tus-Version",
    "Tus-Extension",
    "Tus-Max-Size",
    "Tus-Checksum-Algorithm",
)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    hub = getattr(app.state, "event_hub", None)  # made by the first WebSocket
    if hub is not None:
        await hub.stop()


def _install_middleware(app: FastAPI, settings: Settings, metrics: Metrics) -> None:
    # Starlette runs the last-added middleware first: headers wrap everything, errors included.
    app.add_middleware(
        BodyLimitMiddleware,
        default_limit=JSON_BODY_LIMIT,
        upload_limit=settings.limits.max_upload_bytes + 1024 * 1024,
        upload_prefixes=UPLOAD_PREFIXES,
    )
    if settings.auth.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.auth.cors_origins,
            allow_methods=["GET", "POST", "PATCH", "DELETE", "HEAD", "OPTIONS"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                *TUS_REQUEST_HEADERS,
            ],
            expose_headers=["Location", *TUS_RESPONSE_HEADERS],
        )
    app.add_middleware(UnexpectedErrorMiddleware)
    app.add_middleware(
        SecurityHeadersMiddleware, trust_proxy_headers=settings.auth.trust_proxy_headers
    )
    # Outermost: it times and logs what the client really got, 413s and 500s included.
    app.add_middleware(RequestObserverMiddleware, observers=[metrics.http.observe])


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(TranscriberError)
    async def _typed(request: Request, exc: TranscriberError) -> JSONResponse:
        if is_openai_path(request.url.path):
            param = exc.extra.get("param") or exc.extra.get("field")
            if exc.status_code == 202:
                return JSONResponse(exc.extra | {"detail": exc.detail}, status_code=202)
            return openai_error(exc.status_code, exc.detail, param=param, headers=exc.headers)
        return JSONResponse(
            {"detail": exc.detail, **exc.extra}, status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        parts = []
        for error in errors:
            where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "request"
            parts.append(f"{where}: {error.get('msg', 'invalid')}")
        if is_openai_path(request.url.path):
            return openai_error(400, "Invalid request: " + "; ".join(parts) + ".")
        return JSONResponse(
            {
                "detail": "Invalid request: " + "; ".join(parts) + ".",
                "errors": [
                    {"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in errors
                ],
            },
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if is_openai_path(request.url.path):
            return openai_error(exc.status_code, str(exc.detail), headers=exc.headers)
        return JSONResponse(
            {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
        )
