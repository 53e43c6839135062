"""The model catalog: bundled tiny.en, base joined from two packages, paths, hub names."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from transcriber.asr.catalog import (
    ModelUnavailable,
    install_model,
    list_models,
    resolve_model,
    verify_model,
)
from transcriber.config import Settings


def test_list_models(settings: Settings, offline: None) -> None:
    entries = {entry.name: entry for entry in list_models(settings)}
    tiny = entries["tiny.en"]
    assert tiny.installed and not tiny.multilingual and tiny.source == "package"
    assert tiny.size_bytes is not None and tiny.size_bytes > 70_000_000
    assert entries["base"].multilingual and entries["base"].source == "parts"
    assert not entries["base"].installed  # nothing joined yet in this data dir
    assert {"small", "medium", "large-v3", "distil-large-v3"} <= set(entries)
    assert all(entries[name].source == "hub" for name in ("small", "large-v3"))
    assert not entries["small"].installed


def test_tiny_en_resolves_to_the_bundled_folder(settings: Settings) -> None:
    path = resolve_model("tiny.en", settings)
    assert (path / "model.bin").is_file() and (path / "tokenizer.json").is_file()
    result = verify_model("tiny.en", settings)
    assert result.ok, result.message
    assert result.loads is True and "model.bin" in result.files_checked


def test_local_folder_is_a_model_name(settings: Settings, tmp_path: Path) -> None:
    bundled = resolve_model("tiny.en", settings)
    assert resolve_model(str(bundled), settings) == bundled.resolve()
    with pytest.raises(ModelUnavailable) as caught:
        resolve_model(str(tmp_path), settings)
    assert caught.value.status_code == 422 and "model.bin" in caught.value.detail


@pytest.mark.usefixtures("base_available")
def test_base_is_joined_once_and_verified(settings: Settings) -> None:
    path = install_model("base", settings)
    assert path == settings.models_dir / "base"
    manifest = json.loads((path / "manifest.json").read_text())
    model_bin = manifest["files"]["model.bin"]
    assert model_bin["size"] == (path / "model.bin").stat().st_size > 140_000_000
    assert len(model_bin["sha256"]) == 64
    assert {"config.json", "tokenizer.json"} <= set(manifest["files"])
    assert not list(settings.models_dir.glob(".base.tmp-*"))  # no temp folder left behind

    mtime = (path / "model.bin").stat().st_mtime_ns
    assert resolve_model("base", settings) == path  # second time: no new join
    assert (path / "model.bin").stat().st_mtime_ns == mtime

    entry = next(e for e in list_models(settings) if e.name == "base")
    assert entry.installed and entry.size_bytes is not None

    result = verify_model("base", settings)
    assert result.ok, result.message
    assert result.loads is True

    # Tamper with one byte in the middle of the weights: verify must notice.
    with (path / "model.bin").open("r+b") as fh:
        fh.seek(model_bin["size"] // 2)
        byte = fh.read(1)
        fh.seek(-1, 1)
        fh.write(bytes([byte[0] ^ 0xFF]))
    bad = verify_model("base", settings)
    assert not bad.ok and bad.loads is None
    assert any("model.bin" in problem and "sha256" in problem for problem in bad.problems)
    assert "model.bin" in bad.message

    # A truncated model.bin is caught by size alone, and a re-install repairs it.
    with (path / "model.bin").open("r+b") as fh:
        fh.truncate(1000)
    assert not verify_model("base", settings, load=False).ok
    install_model("base", settings)
    assert verify_model("base", settings, load=False).ok


def test_hub_names_fail_fast_offline(settings: Settings, offline: None) -> None:
    started = time.monotonic()
    with pytest.raises(ModelUnavailable) as caught:
        resolve_model("large-v3", settings)
    assert time.monotonic() - started < 2.0
    err = caught.value
    assert err.status_code == 422
    assert "cannot be reached" in err.detail and "transcriber models install large-v3" in err.detail
    assert not verify_model("large-v3", settings).ok


def test_hub_model_copied_by_hand_is_used(settings: Settings, offline: None) -> None:
    folder = settings.models_dir / "small"
    folder.mkdir(parents=True)
    (folder / "model.bin").write_bytes(b"placeholder")
    assert resolve_model("small", settings) == folder


def test_unknown_model(settings: Settings) -> None:
    with pytest.raises(ModelUnavailable) as caught:
        resolve_model("gpt-5-whisper", settings)
    assert caught.value.status_code == 422
    assert "Unknown model 'gpt-5-whisper'" in caught.value.detail
    assert "tiny.en" in caught.value.detail


def test_each_model_gets_its_measured_decoder_unless_the_operator_sets_one() -> None:
    from transcriber.asr.catalog import effective_batch_size
    from transcriber.config import Settings, WhisperSettings

    measured = Settings(environment="test")
    assert measured.whisper.batch_size is None
    # bench/RESULTS.md: batched is faster at the same WER for tiny.en, not for base.
    assert effective_batch_size(measured, "tiny.en") == 4
    assert effective_batch_size(measured, "base") == 0
    assert effective_batch_size(measured, "/srv/models/my-ct2-model") == 0
    for chosen in (0, 16):
        forced = measured.model_copy(update={"whisper": WhisperSettings(batch_size=chosen)})
        assert effective_batch_size(forced, "tiny.en") == chosen
        assert effective_batch_size(forced, "base") == chosen
