"""Fixtures shared by every test package: the shared speech data and a settings object."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from transcriber.config import Settings

pytest_plugins = ["tests.support.app", "tests.support.s3"]

REPO_ROOT = Path(__file__).resolve().parents[1]
SPEECH_DIR = (REPO_ROOT / ".." / "shared" / "testdata" / "speech").resolve()


@pytest.fixture(scope="session")
def speech_dir() -> Path:
    if not (SPEECH_DIR / "manifest.json").is_file():
        pytest.skip(f"the shared speech data is not at {SPEECH_DIR}")
    return SPEECH_DIR


@pytest.fixture(scope="session")
def speech_manifest(speech_dir: Path) -> dict[str, dict[str, Any]]:
    entries = json.loads((speech_dir / "manifest.json").read_text())
    return {entry["file"]: entry for entry in entries}


@pytest.fixture(scope="session")
def long_speech(speech_dir: Path) -> Path:
    """Three minutes of real English speech (the benchmarks' long file, made once): long
    enough that a job is seen mid-way on a fast machine."""
    from bench._common import long_audio

    return long_audio(3).path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", environment="test")
