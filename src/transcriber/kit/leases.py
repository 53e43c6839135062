"""Named leases and locks in the database, so that N processes agree without another service.

* `acquire_lease` makes one process the holder of a named duty (the scheduler's maintenance)
  until its lease runs out; the holder renews it, anyone may take it over once it has expired.
* `lock` serializes short critical sections across processes (the scheduler's dispatch pass):
  an UPDATE of the named row takes a row lock on PostgreSQL and the write lock on SQLite, both
  held until the caller's transaction ends.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import String, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from transcriber.kit.db import Base


class Lease(Base):
    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner: Mapped[str | None] = mapped_column(String(255))
    expires_at: Mapped[datetime | None]


def _ensure_row(session: Session, name: str) -> None:
    if session.scalar(select(Lease.name).where(Lease.name == name)) is not None:
        return
    try:
        with session.begin_nested():
            session.add(Lease(name=name, owner=None, expires_at=None))
    except IntegrityError:
        pass  # another process made it first


def acquire_lease(session: Session, name: str, owner: str, ttl_s: float, now: datetime) -> bool:
    """Take or renew the lease `name` for `owner`; False while someone else holds it."""
    for _ in range(2):
        result = session.execute(
            update(Lease)
            .where(
                Lease.name == name,
                or_(Lease.owner.is_(None), Lease.owner == owner, Lease.expires_at < now),
            )
            .values(owner=owner, expires_at=now + timedelta(seconds=ttl_s))
            .execution_options(synchronize_session=False)
        )
        if result.rowcount:  # type: ignore[attr-defined]
            return True
        _ensure_row(session, name)
    return False


def release_lease(session: Session, name: str, owner: str) -> None:
    session.execute(
        update(Lease)
        .where(Lease.name == name, Lease.owner == owner)
        .values(owner=None, expires_at=None)
        .execution_options(synchronize_session=False)
    )


def lease_holder(session: Session, name: str, now: datetime) -> str | None:
    row = session.get(Lease, name)
    if row is None or row.owner is None or row.expires_at is None or row.expires_at < now:
        return None
    return row.owner


def lock(session: Session, name: str) -> None:
    """Hold the named lock until this transaction ends (other callers wait)."""
    for _ in range(2):
        result = session.execute(
            update(Lease)
            .where(Lease.name == name)
            .values(owner=Lease.owner)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount:  # type: ignore[attr-defined]
            return
        _ensure_row(session, name)
    raise RuntimeError(f"could not take the database lock {name!r}")
