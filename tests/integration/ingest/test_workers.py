"""Feed CPU work in worker processes: same results as inline, and a dead worker is replaced."""

from __future__ import annotations

import os
import signal

import pytest

from newswire.errors import TransientError
from newswire.ingest.pipeline import Candidate, prepare_many
from newswire.ingest.workers import CpuPool


def _pid() -> int:
    return os.getpid()


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


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
        assert [r for _, r in remote][0] == prepare_many(chunk)[0][1]
        assert "body: String should have at least 1 character" in str(remote[1][1])
        assert getattr(remote[1][1], "errors", None)  # field errors survive pickling
        first = await pool.run(_pid)
        assert first != os.getpid()
        with pytest.raises(TransientError, match="worker process died"):
            await pool.run(_die)
        assert await pool.run(_pid) not in (first, os.getpid())  # a fresh worker
    finally:
        pool.close()
