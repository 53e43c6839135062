"""Secrets: password hashing, random tokens, and hashes of high-entropy tokens."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import tempfile
from functools import lru_cache
from pathlib import Path

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher


@lru_cache
def _password_hasher() -> PasswordHash:
    return PasswordHash((Argon2Hasher(),))


def hash_password(password: str) -> str:
    return _password_hasher().hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    if not password_hash:
        # Same cost as a real check, so a missing account is not told apart by timing.
        _password_hasher().hash(password)
        return False
    return _password_hasher().verify(password, password_hash)


def new_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def token_digest(token: str) -> str:
    """SHA-256 of a random token: enough for secrets with 256 bits of entropy."""
    return hashlib.sha256(token.encode()).hexdigest()


def digests_match(token: str, digest: str) -> bool:
    return hmac.compare_digest(token_digest(token), digest)


MIN_SECRET_LENGTH = 32


def load_or_create_secret(path: Path) -> str:
    """The signing secret kept in the data dir, made once with 0600 permissions.

    Written to a private temporary file and hard-linked into place, so API processes that
    start together on a shared data dir all end up with the one complete secret: a reader
    never sees a half-written file, and only one link can win.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret-")
        try:
            with os.fdopen(descriptor, "w") as out:  # mkstemp makes it 0600
                out.write(secrets.token_urlsafe(48))
                out.flush()
                os.fsync(out.fileno())
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            Path(temporary).unlink()
    secret = path.read_text().strip()
    if len(secret) < MIN_SECRET_LENGTH:
        raise RuntimeError(
            f"The signing secret in {path} is shorter than {MIN_SECRET_LENGTH} characters; "
            "delete the file to have a new one made (everyone signs in again)."
        )
    return secret
