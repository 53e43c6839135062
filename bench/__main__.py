"""Run every benchmark, one after the other, each in a fresh process: `python -m bench [--quick]`
(what `make bench` calls). Each writes its own section of bench/RESULTS.md.

    .venv/bin/python -m bench [--quick] [--only engine_speed,memory] [--skip service_overhead]

A full run takes about 25 minutes on an idle 2-core machine (the 180-minute memory run is the
longest part); `--quick` about 3.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Sequence

from bench._common import BENCH_DIR, REPO_ROOT, command_line, log, print_table

# These first, in this order; then any other benchmark module in bench/ (e.g. jobs_throughput).
FIRST: tuple[str, ...] = (
    "engine_speed",
    "segment_timing",
    "memory",
    "concurrency",
    "service_overhead",
)


def benchmarks() -> list[str]:
    found = sorted(p.stem for p in BENCH_DIR.glob("*.py") if not p.stem.startswith("_"))
    return [b for b in FIRST if b in found] + [b for b in found if b not in FIRST]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a smaller run of each benchmark")
    parser.add_argument("--no-write", action="store_true", help="leave RESULTS.md alone")
    parser.add_argument("--only", default="", help="comma-separated benchmarks to run")
    parser.add_argument("--skip", default="", help="comma-separated benchmarks to leave out")
    args = parser.parse_args(argv)
    only = [b for b in args.only.split(",") if b]
    skip = {b for b in args.skip.split(",") if b}
    known = benchmarks()
    unknown = (set(only) | skip) - set(known)
    if unknown:
        parser.error(f"unknown benchmarks: {', '.join(sorted(unknown))}")
    chosen = [b for b in (only or known) if b not in skip]

    extra = [*(["--quick"] if args.quick else []), *(["--no-write"] if args.no_write else [])]
    env = dict(os.environ, BENCH_PARENT_COMMAND=command_line())
    timings: list[list[object]] = []
    failed: list[str] = []
    t_all = time.perf_counter()
    for name in chosen:
        log(f"=== bench.{name} {' '.join(extra)}")
        t0 = time.perf_counter()
        code = subprocess.call(
            [sys.executable, "-m", f"bench.{name}", *extra], cwd=REPO_ROOT, env=env
        )
        elapsed = time.perf_counter() - t0
        timings.append([name, f"{elapsed / 60:.1f}", "ok" if code == 0 else f"exit {code}"])
        if code != 0:
            failed.append(name)
    timings.append(["all", f"{(time.perf_counter() - t_all) / 60:.1f}", ""])
    print_table("bench run times", ["benchmark", "minutes", "result"], timings)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
