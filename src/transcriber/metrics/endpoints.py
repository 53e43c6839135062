from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from prometheus_client import CONTENT_TYPE_PLAIN_0_0_4

from transcriber.dependencies import RuntimeDep
from transcriber.kit.errors import Unauthorized
from transcriber.metrics.service import Metrics

router = APIRouter(tags=["health"])


def get_metrics(request: Request) -> Metrics:
    metrics: Metrics = request.app.state.metrics
    return metrics


def require_metrics_token(request: Request, runtime: RuntimeDep) -> None:
    """With `TRANSCRIBER_METRICS__TOKEN` set, only a scraper that sends it gets the metrics;
    unset, they are open like `/healthz` (decision 0140)."""
    token = runtime.settings.metrics.token
    if token is None:
        return
    scheme, _, credential = request.headers.get("authorization", "").partition(" ")
    expected = token.get_secret_value().encode()
    if scheme.lower() != "bearer" or not hmac.compare_digest(credential.strip().encode(), expected):
        raise Unauthorized(
            "Send the metrics token as `Authorization: Bearer <token>`.",
            headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
        )


MetricsDep = Annotated[Metrics, Depends(get_metrics)]


@router.get(
    "/metrics",
    summary="Prometheus metrics (text exposition format)",
    response_class=Response,
    dependencies=[Depends(require_metrics_token)],
)
def metrics(metrics: MetricsDep) -> Response:
    return Response(metrics.exposition(), media_type=CONTENT_TYPE_PLAIN_0_0_4)
