"""The FastAPI application factory: routers, error handling, the runtime objects."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from transcriber import __version__
from transcriber.config import Settings, get_settings
from transcriber.health.endpoints import router as health_router
from transcriber.jobs.endpoints import router as jobs_router
from transcriber.kit.errors import TranscriberError
from transcriber.runtime import Runtime
from transcriber.transcripts.endpoints import router as transcripts_router

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> FastAPI:
    settings = settings or (runtime.settings if runtime else get_settings())
    runtime = runtime or Runtime.from_settings(settings)
    app = FastAPI(
        title="Whisper Transcriber",
        version=__version__,
        description="Self-hosted transcription with Whisper: jobs, transcripts and exports.",
    )
    app.state.runtime = runtime
    _install_error_handlers(app)
    app.include_router(health_router)
    app.include_router(jobs_router)
    app.include_router(transcripts_router)
    return app


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(TranscriberError)
    async def _typed(_request: Request, exc: TranscriberError) -> JSONResponse:
        return JSONResponse({"detail": exc.detail, **exc.extra}, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        parts = []
        for error in errors:
            where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "request"
            parts.append(f"{where}: {error.get('msg', 'invalid')}")
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
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(
            {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(
            {"detail": "Something went wrong on the server; it has been logged."},
            status_code=500,
        )
