"""CPU work (feed parsing, normalisation) in worker processes, so a big feed uses more than the
one core the event loop has, and the loop stays free for HTTP pushes and Kafka acks meanwhile.

`CpuPool(0)` runs the same functions in a thread of this process: one code path either way.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import signal
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from newswire.errors import TransientError
from newswire.ingest.pipeline import Candidate, prepare_many

__all__ = ["CpuPool"]

T = TypeVar("T")


def _warm(hold: float) -> None:
    import feedparser

    feedparser.parse(b"<rss version='2.0'><channel><item><title>t</title></item></channel></rss>")
    prepare_many([Candidate("warm-up", {"body": "<p>The leaders met in the capital on Thursday to talk.</p>",
                                       "published_at": "2024-01-01T00:00:00Z"})])  # fmt: skip
    time.sleep(hold)


def _worker_init() -> None:
    # Ctrl-C reaches the whole process group; the service decides when its workers stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class CpuPool:
    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool = self._new_pool() if workers else None

    def _new_pool(self) -> ProcessPoolExecutor:
        # spawn: a forked child would inherit the parent's event loop, sockets and Kafka client
        ctx = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_worker_init)

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        if self._pool is None:
            return await asyncio.to_thread(fn, *args)  # off the event loop, on its core
        try:
            return await asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)
        except BrokenProcessPool as e:  # a worker died (OOM kill, crash in a C parser): start afresh
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()
            raise TransientError(f"ingest worker process died ({e}); workers restarted") from None

    async def warm_up(self) -> None:
        """Start every worker and load the parsers and the language model now, not on the first poll."""
        if self._pool is None:
            await self.run(_warm, 0.0)
            return
        # one task per worker; each holds its worker a moment, so no worker takes two
        await asyncio.gather(*(self.run(_warm, 0.3) for _ in range(self.workers)))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
