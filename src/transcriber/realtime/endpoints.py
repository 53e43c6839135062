from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, WebSocket

from transcriber.kit.validation import MAX_ROW_NUMBER
from transcriber.realtime.connection import LiveSocket
from transcriber.realtime.hub import get_hub
from transcriber.runtime import Runtime

router = APIRouter(tags=["live"])


@router.websocket("/api/v1/ws")
async def live_events(
    websocket: WebSocket,
    last_event_id: Annotated[int | None, Query(ge=0, le=MAX_ROW_NUMBER)] = None,
) -> None:
    """Live events of the caller's jobs (docs/api.md, "Live events")."""
    runtime: Runtime = websocket.app.state.runtime
    hub = get_hub(websocket.app.state, runtime.sessions, runtime.settings)
    await LiveSocket(websocket, runtime, hub, last_event_id).serve()
