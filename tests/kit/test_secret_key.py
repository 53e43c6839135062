"""The token-signing secret: made once, private, the same for every process, never weak."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

import pytest
from pydantic import ValidationError

from tests.support.app import RecordingDispatcher
from transcriber.config import Settings
from transcriber.kit.crypto import MIN_SECRET_LENGTH, load_or_create_secret
from transcriber.kit.migrate import upgrade
from transcriber.runtime import Runtime


def test_made_once_in_the_data_dir_and_private(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", environment="test")
    upgrade(settings.resolved_database_url)
    first = Runtime.from_settings(settings, dispatcher=RecordingDispatcher())
    second = Runtime.from_settings(settings, dispatcher=RecordingDispatcher())
    path = settings.resolved_data_dir / "secret_key"
    assert first.secret_key == second.secret_key == path.read_text().strip()
    assert len(first.secret_key) >= MIN_SECRET_LENGTH
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    other_install = tmp_path / "other" / "secret_key"
    assert load_or_create_secret(other_install) != first.secret_key


def test_processes_starting_together_all_get_the_one_complete_secret(tmp_path: Path) -> None:
    for attempt in range(20):
        path = tmp_path / str(attempt) / "secret_key"
        start = threading.Barrier(8)
        seen: list[str] = []

        def start_up(
            target: Path = path, gate: threading.Barrier = start, out: list[str] = seen
        ) -> None:
            gate.wait()
            out.append(load_or_create_secret(target))

        threads = [threading.Thread(target=start_up) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(seen) == 8 and len(set(seen)) == 1
        assert len(seen[0]) >= MIN_SECRET_LENGTH
        assert [p.name for p in path.parent.iterdir()] == ["secret_key"]  # no leftovers


def test_a_weak_secret_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="at least 32 characters"):
        Settings(data_dir=tmp_path, secret_key="changeme")
    truncated = tmp_path / "secret_key"
    truncated.write_text("")
    with pytest.raises(RuntimeError, match="shorter than 32"):
        load_or_create_secret(truncated)
