"""Send work to Celery only after the transaction that created it has committed.

A worker must never receive a job id whose row does not exist yet, and a request that rolls
back must send nothing. Callbacks are buffered on the session and run or dropped with it.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

_KEY = "after_commit_callbacks"


def after_commit(session: Session, callback: Callable[[], None]) -> None:
    session.info.setdefault(_KEY, []).append(callback)


@event.listens_for(Session, "after_commit")
def _run_callbacks(session: Session) -> None:
    callbacks: list[Callable[[], None]] = session.info.pop(_KEY, [])
    for callback in callbacks:
        callback()


@event.listens_for(Session, "after_rollback")
def _drop_callbacks(session: Session) -> None:
    session.info.pop(_KEY, None)
