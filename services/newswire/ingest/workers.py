"""CPU work (feed parsing, normalisation) in worker processes, so a big feed uses more than the
one core the event loop has, and the loop stays free for HTTP pushes and Kafka acks meanwhile.

`CpuPool(0)` runs the same functions in a thread of this process: one code path either way.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from newswire.ingest.pipeline import prepare_many

__all__ = ["CpuPool"]

T = TypeVar("T")


class CpuPool:
    def __init__(self, workers: int) -> None:
        # spawn: a forked child would inherit the parent's event loop, sockets and Kafka client
        self._pool = (
            ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) if workers else None
        )

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        if self._pool is None:
            return await asyncio.to_thread(fn, *args)  # off the event loop, on its core
        return await asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)

    async def warm_up(self) -> None:
        """Start the workers and import the parsers now, not on the first poll."""
        await self.run(prepare_many, [])

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
