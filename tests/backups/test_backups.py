"""Backups restore exactly what was there: rows, media and the signing key."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.support.app import media_files
from tests.support.databases import fresh_postgres_database
from transcriber.backups.service import BackupService
from transcriber.config import Settings
from transcriber.kit.errors import TranscriberError
from transcriber.kit.migrate import upgrade


def test_backup_through_the_api_and_restore(
    client: TestClient, api_settings: Settings, speech_dir: Path
) -> None:
    audio = (speech_dir / "ljspeech_LJ002-0020.wav").read_bytes()
    job = client.post("/api/v1/jobs", files={"file": ("a.wav", audio)}).json()
    made = client.post("/api/v1/admin/backups")
    assert made.status_code == 201
    name = made.json()["name"]
    assert [b["name"] for b in client.get("/api/v1/admin/backups").json()] == [name]
    download = client.get(f"/api/v1/admin/backups/{name}")
    assert download.status_code == 200 and download.content[:2] == b"\x1f\x8b"
    assert client.get("/api/v1/admin/backups/..%2Fsecret_key").status_code == 404
    audit = client.get("/api/v1/admin/audit", params={"action": "backup.created"}).json()
    assert len(audit["items"]) == 1

    assert client.delete(f"/api/v1/jobs/{job['id']}").status_code == 204
    assert media_files(api_settings) == []
    archive = api_settings.resolved_data_dir / "backups" / name
    BackupService(api_settings).restore(archive)
    restored = client.get(f"/api/v1/jobs/{job['id']}")
    assert restored.status_code == 200 and restored.json()["filename"] == "a.wav"
    assert [p.read_bytes() for p in media_files(api_settings)] == [audio]


def test_restoring_something_else_is_refused(api_settings: Settings, tmp_path: Path) -> None:
    bogus = tmp_path / "backup-bogus.tar.gz"
    bogus.write_bytes(b"not a tarball")
    with pytest.raises(TranscriberError, match="not a backup"):
        BackupService(api_settings).restore(bogus)
    with pytest.raises(TranscriberError, match="No backup file"):
        BackupService(api_settings).restore(tmp_path / "missing.tar.gz")


def test_postgresql_backup_and_restore(tmp_path: Path) -> None:
    with fresh_postgres_database() as url:
        settings = Settings(data_dir=tmp_path / "data", database_url=url, environment="test")
        upgrade(url)
        service = BackupService(settings)
        info = service.create()
        archive = settings.resolved_data_dir / "backups" / info.name
        manifest = service.restore(archive)
        assert manifest["database"] == "postgresql"
        sqlite_settings = Settings(data_dir=tmp_path / "other", environment="test")
        upgrade(sqlite_settings.resolved_database_url)
        with pytest.raises(TranscriberError, match="postgresql"):
            BackupService(sqlite_settings).restore(archive)
