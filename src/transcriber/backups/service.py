"""Backups: one .tar.gz with a consistent database snapshot, the media and the signing key.

SQLite is copied with its online backup API (consistent while the server runs);
PostgreSQL with `pg_dump` (custom format), which must be installed where this runs.
Restore replaces the database and media; run it with the server stopped.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from transcriber import __version__
from transcriber.config import Settings
from transcriber.kit.db import utcnow
from transcriber.kit.errors import BadRequest, NotFound, Unprocessable

MANIFEST = "manifest.json"
SQLITE_SNAPSHOT = "database.sqlite3"
POSTGRES_DUMP = "database.pgdump"


@dataclass(frozen=True, slots=True)
class BackupInfo:
    name: str
    size_bytes: int
    created_at: datetime


class BackupService:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.folder = settings.resolved_data_dir / "backups"

    def list(self) -> list[BackupInfo]:
        if not self.folder.is_dir():
            return []
        found = []
        for path in sorted(self.folder.glob("backup-*.tar.gz"), reverse=True):
            stat = path.stat()
            found.append(
                BackupInfo(
                    name=path.name,
                    size_bytes=stat.st_size,
                    created_at=datetime.fromtimestamp(stat.st_mtime).astimezone(),
                )
            )
        return found

    def path_of(self, name: str) -> Path:
        path = (self.folder / name).resolve()
        if path.parent != self.folder.resolve() or not path.is_file():
            raise NotFound("Backup not found.")
        return path

    def create(self) -> BackupInfo:
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = utcnow().strftime("%Y%m%dT%H%M%S%fZ")
        target = self.folder / f"backup-{stamp}.tar.gz"
        partial = target.with_suffix(".part")
        url = make_url(self.settings.resolved_database_url)
        with tempfile.TemporaryDirectory(dir=self.folder) as scratch:
            snapshot = Path(scratch)
            database_file = self._dump_database(url.get_backend_name(), snapshot)
            manifest = {
                "format": 1,
                "app_version": __version__,
                "created_at": utcnow().isoformat(),
                "database": url.get_backend_name(),
                "database_file": database_file.name,
            }
            (snapshot / MANIFEST).write_text(json.dumps(manifest, indent=2))
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(snapshot / MANIFEST, arcname=MANIFEST)
                archive.add(database_file, arcname=database_file.name)
                secret = self.settings.resolved_data_dir / "secret_key"
                if secret.is_file():
                    archive.add(secret, arcname="secret_key")
                if self.settings.media_dir.is_dir():
                    archive.add(self.settings.media_dir, arcname="media")
        partial.replace(target)
        stat = target.stat()
        return BackupInfo(target.name, stat.st_size, utcnow())

    def _dump_database(self, backend: str, folder: Path) -> Path:
        if backend == "sqlite":
            source_path = make_url(self.settings.resolved_database_url).database
            if not source_path or not Path(source_path).is_file():
                raise Unprocessable("The SQLite database file does not exist yet.")
            target = folder / SQLITE_SNAPSHOT
            with sqlite3.connect(source_path) as source, sqlite3.connect(target) as copy:
                source.backup(copy)
            return target
        if backend == "postgresql":
            target = folder / POSTGRES_DUMP
            self._run_pg("pg_dump", "--format=custom", f"--file={target}", self._pg_dsn())
            return target
        raise Unprocessable(f"Backups of {backend} databases are not supported.")

    def restore(self, archive_path: Path) -> dict[str, object]:
        """Replace the database, media and key with the archive's (server stopped)."""
        if not archive_path.is_file():
            raise NotFound(f"No backup file at {archive_path}.")
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            try:
                with tarfile.open(archive_path, "r:gz") as archive:
                    archive.extractall(folder, filter="data")
                manifest = json.loads((folder / MANIFEST).read_text())
            except (tarfile.TarError, OSError, ValueError, KeyError) as exc:
                raise BadRequest(f"{archive_path.name} is not a backup made by this app.") from exc
            backend = make_url(self.settings.resolved_database_url).get_backend_name()
            if manifest.get("database") != backend:
                raise Unprocessable(
                    f"This backup holds a {manifest.get('database')} database; the configured "
                    f"database is {backend}."
                )
            database_file = folder / str(manifest["database_file"])
            if backend == "sqlite":
                target = make_url(self.settings.resolved_database_url).database
                assert target
                Path(target).parent.mkdir(parents=True, exist_ok=True)
                with sqlite3.connect(database_file) as source, sqlite3.connect(target) as copy:
                    source.backup(copy)
            else:
                self._run_pg(
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    f"--dbname={self._pg_dsn()}",
                    str(database_file),
                )
            media = self.settings.media_dir
            if media.exists():
                shutil.rmtree(media)
            if (folder / "media").is_dir():
                shutil.copytree(folder / "media", media)
            if (folder / "secret_key").is_file():
                shutil.copy2(folder / "secret_key", self.settings.resolved_data_dir / "secret_key")
            return dict(manifest)

    def _pg_dsn(self) -> str:
        url = make_url(self.settings.resolved_database_url).set(drivername="postgresql")
        return url.render_as_string(hide_password=False)

    @staticmethod
    def _run_pg(*args: str) -> None:
        if shutil.which(args[0]) is None:
            raise Unprocessable(f"`{args[0]}` is not installed; it is needed for PostgreSQL.")
        result = subprocess.run(list(args), capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise Unprocessable(f"{args[0]} failed: {result.stderr.strip()[:500]}")
