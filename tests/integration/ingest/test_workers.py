"""Feed CPU work in worker processes: same results as inline, and a dead worker is replaced."""

from __future__ import annotations

import os
import signal

import pytest

from newswire.errors import TransientError
from newswire.ingest.pipeline import Candidate, prepare_many
from newswire.ingest.workers import CpuPool


async def test_workers_prepare_like_inline_and_survive_a_dead_worker() -> None:
    chunk = [
        Candidate(
            "t", {"title": "A", "body": "<p>BEIJING (AP) — Body.</p>", "published_at": "2024-05-16T09:00:00Z"}
        ),
        Candidate("t", {"body": ""}, line=2),
    ]
    pool = CpuPool(1)
    try:
        await pool.warm_up()
        remote = await pool.run(prepare_many, chunk)
        exclude = {"received_at"}
        assert remote[0][1].model_dump(exclude=exclude) == prepare_many(chunk)[0][1].model_dump(
            exclude=exclude
        )  # type: ignore[union-attr]
        assert "body: String should have at least 1 character" in str(remote[1][1])
        assert getattr(remote[1][1], "errors", None)  # field errors survive pickling
        first = await pool.run(os.getpid)
        assert first != os.getpid()
        with pytest.raises(TransientError, match="worker process died"):
            await pool.run(os.kill, first, signal.SIGKILL)  # the one worker kills itself
        assert await pool.run(os.getpid) not in (first, os.getpid())  # a fresh worker
    finally:
        pool.close()
