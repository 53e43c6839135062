"""Client-given file names are display text only; these make them safe to show and store."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath, PureWindowsPath

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SUFFIX = re.compile(r"^\.[a-z0-9]{1,8}$")


def clean_filename(name: str | None, fallback: str = "media") -> str:
    """The base name without folders or control characters, at most 255 characters."""
    if not name:
        return fallback
    base = PureWindowsPath(PurePosixPath(name).name).name
    base = _CONTROL.sub("", unicodedata.normalize("NFC", base)).strip().strip(".")
    if not base:
        return fallback
    if len(base) > 255:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 250 - len(ext)] + dot + ext) if dot and len(ext) <= 8 else base[:255]
    return base


def safe_suffix(name: str) -> str:
    """A short lower-case extension (".mp3") or "" when the name has no plain one."""
    suffix = PurePosixPath(name).suffix.lower()
    return suffix if _SUFFIX.match(suffix) else ""
