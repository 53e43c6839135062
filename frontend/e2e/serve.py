"""Run the real backend for the browser tests: migrations, a worker, the API and the web app.

It does what `transcriber serve` does on the embedded default (migrate, start a worker
process, run uvicorn), and also mounts the built web app with `mount_web_app`, so the
tests pass whether or not `create_app` mounts it itself (mounting twice is a no-op).

    TRANSCRIBER_DATA_DIR=/tmp/x python e2e/serve.py --port 8123 [--dist frontend/dist]
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
from pathlib import Path
from types import FrameType

import uvicorn

from transcriber.app import create_app
from transcriber.config import get_settings
from transcriber.kit.migrate import upgrade
from transcriber.webapp import mount_web_app

DIST = Path(__file__).resolve().parents[1] / "dist"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dist", type=Path, default=DIST)
    parser.add_argument("--no-worker", action="store_true")
    args = parser.parse_args()

    settings = get_settings()
    settings.resolved_data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.resolved_database_url)

    worker: subprocess.Popen[bytes] | None = None
    if not args.no_worker:
        worker = subprocess.Popen([sys.executable, "-m", "transcriber", "worker"])

    def stop(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    app = create_app(settings)
    mount_web_app(app, args.dist)
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    except KeyboardInterrupt:
        pass
    finally:
        if worker is not None and worker.poll() is None:
            worker.terminate()  # warm shutdown: the test cancels its jobs before it ends
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


if __name__ == "__main__":
    main()
