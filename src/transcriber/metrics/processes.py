"""`serve --workers N`: N API processes behind one port, where a scrape reaches any one of them.
prometheus_client's multiprocess mode keeps each process's counters in a shared folder, and the
process that answers reports the sum (docs/decisions/0144-metrics-across-api-processes.md).

Light on imports: `serve` calls this before uvicorn starts the processes, which read the
folder's name from the environment when they import prometheus_client.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
# When the processes started, so their finished-job counters count from the same instant.
STARTED_AT_FILE = "started-at"


@contextmanager
def metrics_shared_between_processes() -> Iterator[None]:
    """A fresh folder on this machine for the processes' counters, removed afterwards (not in
    the data dir: it may be shared with other machines). An operator's own
    `PROMETHEUS_MULTIPROC_DIR` is used as it is."""
    if os.environ.get(MULTIPROCESS_ENV):
        yield
        return
    folder = Path(tempfile.mkdtemp(prefix="transcriber-metrics-"))
    (folder / STARTED_AT_FILE).write_text(datetime.now(UTC).isoformat())
    os.environ[MULTIPROCESS_ENV] = str(folder)
    try:
        yield
    finally:
        os.environ.pop(MULTIPROCESS_ENV, None)
        shutil.rmtree(folder, ignore_errors=True)


def multiprocess_dir() -> Path | None:
    folder = os.environ.get(MULTIPROCESS_ENV)
    return Path(folder) if folder else None


def shared_started_at() -> datetime | None:
    folder = multiprocess_dir()
    if folder is None:
        return None
    try:
        return datetime.fromisoformat((folder / STARTED_AT_FILE).read_text().strip())
    except (OSError, ValueError):
        return None
