"""Media from a URL: the worker downloads it (through the SSRF guard of `kit.fetch`) into
storage and probes it exactly like an upload, before the job is transcribed. Nothing here
holds a database transaction: a download may take minutes."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from transcriber.asr.audio import probe
from transcriber.asr.types import MediaInfo
from transcriber.config import Settings
from transcriber.kit.errors import PayloadTooLarge
from transcriber.kit.fetch import NetworkPolicy, open_url
from transcriber.kit.filenames import clean_filename, safe_suffix
from transcriber.kit.storage import Storage


def probe_file(settings: Settings, path: Path) -> MediaInfo:
    """What the bytes hold, within the duration limits; raises a 4xx with the reason."""
    return probe(
        path,
        min_duration_s=settings.limits.min_duration_s,
        max_duration_s=settings.limits.max_duration_s,
    )


def probe_stored(settings: Settings, storage: Storage, media_key: str) -> MediaInfo:
    """Probe stored media with the upload limits; on object storage this reads the bytes back
    once, since the probe seeks in the file."""
    with storage.open_local(media_key) as path:
        return probe_file(settings, path)


@dataclass(frozen=True, slots=True)
class FetchedMedia:
    media_key: str
    size: int
    info: MediaInfo
    filename: str


def download_source(
    settings: Settings,
    storage: Storage,
    *,
    owner_id: uuid.UUID,
    job_id: uuid.UUID,
    url: str,
    filename: str,
    max_bytes: int,
    should_stop: Callable[[], bool] | None = None,
) -> FetchedMedia:
    """Download `url` into the job's storage key and probe it; raises a `TranscriberError`
    with a reason a person can read (refused address, origin error, too big, too slow, not
    audio), and keeps no byte when it does."""
    fetch = settings.fetch
    with open_url(
        url,
        NetworkPolicy.from_settings(fetch),
        timeout_s=fetch.timeout_s,
        max_redirects=fetch.max_redirects,
        should_stop=should_stop,
    ) as download:
        declared = download.content_length
        if declared is not None and declared > max_bytes:
            raise PayloadTooLarge(
                f"The file at the URL is {declared:,} bytes, over the limit of {max_bytes:,} "
                "bytes (the upload limit, or what is left of your storage quota)."
            )
        name = clean_filename(download.filename, fallback=filename)
        media_key = f"{owner_id}/{job_id}/original{safe_suffix(name)}"
        size = storage.save(media_key, download, max_bytes=max_bytes)
    try:
        info = probe_stored(settings, storage, media_key)
    except BaseException:
        storage.delete(media_key)
        raise
    return FetchedMedia(media_key=media_key, size=size, info=info, filename=name)
