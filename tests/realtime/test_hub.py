"""The per-connection queue of the fan-out (no server): progress supersedes progress."""

from __future__ import annotations

import asyncio
import uuid

from transcriber.realtime.hub import Listener


def _listener(size: int = 100) -> Listener:
    return Listener(uuid.uuid4(), False, asyncio.Queue(size))


async def _drain(listener: Listener) -> list[str]:
    sent = []
    while not listener.queue.empty():
        sent.append(await asyncio.wait_for(listener.next_text(), 1))
    return sent


def test_a_connection_behind_skips_superseded_progress_and_keeps_everything_else() -> None:
    listener = _listener()
    listener.offer("progress A 10%", "A")
    listener.offer("segment A 1")
    listener.offer("progress A 20%", "A")
    listener.offer("progress B 50%", "B")
    listener.offer("progress A 30%", "A")
    listener.offer("completed A")
    assert asyncio.run(_drain(listener)) == [
        "segment A 1",
        "progress B 50%",
        "progress A 30%",
        "completed A",
    ]


def test_a_connection_that_keeps_up_gets_every_progress() -> None:
    listener = _listener()

    async def one_by_one() -> list[str]:
        sent = []
        for n in range(3):
            listener.offer(f"progress A {n}", "A")
            sent.append(await asyncio.wait_for(listener.next_text(), 1))
        return sent

    assert asyncio.run(one_by_one()) == ["progress A 0", "progress A 1", "progress A 2"]


def test_a_full_queue_marks_the_connection_too_slow() -> None:
    listener = _listener(size=2)
    listener.offer("a")
    listener.offer("b")
    assert not listener.overflowed.is_set()
    listener.offer("c")
    assert listener.overflowed.is_set()
    listener.offer("d")  # ignored: the connection is being closed
    assert asyncio.run(_drain(listener)) == ["a", "b"]
