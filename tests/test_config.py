from __future__ import annotations

from pathlib import Path

import pytest

from transcriber.config import Settings, settings_reference

DOC = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"
BEGIN, END = "<!-- settings:begin -->\n", "<!-- settings:end -->"


def test_configuration_page_lists_every_setting() -> None:
    text = DOC.read_text()
    table = text.split(BEGIN, 1)[1].split(END, 1)[0]
    assert table == settings_reference(), (
        "docs/configuration.md is out of date; paste the output of "
        "`python -c 'from transcriber.config import settings_reference as s; print(s())'`"
    )


def test_environment_variables_and_nested_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRANSCRIBER_DATA_DIR", "/tmp/somewhere")
    monkeypatch.setenv("TRANSCRIBER_WHISPER__COMPUTE_TYPE", "int8_float32")
    monkeypatch.setenv("TRANSCRIBER_WORKER__CONCURRENCY", "3")
    settings = Settings()
    assert settings.resolved_data_dir == Path("/tmp/somewhere")
    assert settings.whisper.compute_type == "int8_float32"
    assert settings.worker_concurrency == 3
    assert settings.resolved_database_url == "sqlite:////tmp/somewhere/transcriber.db"
    assert settings.resolved_broker_url == "sqla+sqlite:////tmp/somewhere/broker.db"


def test_bad_values_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRANSCRIBER_WORKER__CONCURRENCY", "-1")
    with pytest.raises(ValueError, match="concurrency"):
        Settings()
