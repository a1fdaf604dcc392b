"""Recovery bounds on the real broker (issue 19): the four services as processes on a broker of
their own (this module stops and starts it), articles streaming in at a steady rate.

- kill -9 of a worker and an immediate restart: articles handed over after the kill are stored
  within 10 s of the restart;
- a 20 s broker outage: within 10 s of the broker accepting connections, and at most 10
  WARNING/ERROR lines per worker for the whole outage;
- enrich killed after publishing a batch but before committing its offsets: the replay adds no
  row and no alert notice.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import AsyncIterator

import pytest
from aiokafka import ConsumerRecord

from chaos_rig import Rig, articles
from kafka_helpers import committed_offsets, read_topic, wait_until
from newswire.contracts import EnrichedArticle, RawArticle
from newswire.kafka import Topics

BOUND_S = 10.0
RATE = 2.0  # articles/s: well under enrich's throughput, so recovery is not catch-up time


class Feed:
    """Articles handed to ingest at RATE in the background, each distinct."""

    def __init__(self, rig: Rig) -> None:
        self.rig, self.next, self.pool = rig, 0, articles(2_000)
        self.task: asyncio.Task[None] | None = None

    def take(self, n: int) -> list[RawArticle]:
        out = self.pool[self.next : self.next + n]
        self.next += n
        return out

    async def _run(self) -> None:
        while True:
            await self.rig.feed(self.take(2), RATE, batch=2)

    def start(self) -> None:
        self.task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
            self.task = None


@pytest.fixture(scope="module")
async def rig() -> AsyncIterator[Rig]:
    rig = Rig.open(db="sqlite", partitions=2)
    try:
        await rig.start()
        await rig.feed(articles(1), RATE)
        assert await rig.drain(timeout=180), {n: rig.group.log_tail(n) for n in ("enrich", "store")}
        yield rig
    finally:
        await rig.aclose()


@pytest.fixture(scope="module")
def feed(rig: Rig) -> Feed:
    f = Feed(rig)
    f.take(1)  # the warm-up article
    return f


async def _recovery_after_kill(rig: Rig, feed: Feed, worker: str) -> float | None:
    feed.start()
    try:
        await asyncio.sleep(3)  # articles flowing before the fault
        fault = await asyncio.to_thread(rig.kill_restart, worker)
        return await rig.recovered(fault, timeout=60)
    finally:
        await feed.stop()


@pytest.mark.parametrize("worker", ["enrich", "store", "ingest"])
async def test_kill_9_and_restart_resumes_within_10_s(rig: Rig, feed: Feed, worker: str) -> None:
    recovery = await _recovery_after_kill(rig, feed, worker)
    assert recovery is not None and recovery <= BOUND_S, (recovery, rig.group.log_tail(worker))
    assert await rig.drain(timeout=60)


async def test_enrich_killed_between_publish_and_commit_replays_without_duplicates(
    rig: Rig, feed: Feed
) -> None:
    topics = Topics.from_settings(rig.settings)
    group = f"{rig.settings.topic_prefix}-enrich"
    # Restart enrich (SIGTERM: it commits as it stops) with commits far apart, so what it publishes
    # next stays uncommitted until we kill it.
    service, settings = rig.group.services["enrich"]
    rig.group.kill("enrich", signal.SIGTERM)
    rig.group.start_as("enrich", service, settings.model_copy(update={"kafka_commit_interval": 600.0}))
    before_commit = await committed_offsets(rig.settings.kafka_bootstrap, group)
    batch = feed.take(12)
    await rig.feed(batch, 6.0)
    assert await rig.drain(timeout=90), rig.group.log_tail("enrich")
    ids = {a.id for a in batch}
    await _quiet(rig)
    # Published and stored, but not committed: a crash now must replay the batch.
    assert await committed_offsets(rig.settings.kafka_bootstrap, group) == before_commit
    tally = await rig.report()
    notices = list(rig.hook.notices)

    rig.group.kill("enrich", signal.SIGKILL)
    rig.group.start_as("enrich", service, settings)

    def replayed(records: list[ConsumerRecord]) -> bool:
        seen = [EnrichedArticle.model_validate_json(r.value).article.id for r in records]
        return all(seen.count(i) >= 2 for i in ids)

    enriched = await read_topic(rig.settings.kafka_bootstrap, topics.enriched, until=replayed, timeout=90)
    assert replayed(enriched), "the batch was not enriched and published a second time"
    assert await wait_until(
        lambda: _advanced(rig, group, before_commit), timeout=30
    ), "the restarted worker never committed"
    await _quiet(rig)
    after = await rig.report()
    assert after["duplicate_rows"] == 0
    for field in ("stored", "events", "alerts", "alert_notices", "duplicate_alert_notices"):
        assert after[field] == tally[field], field
    assert rig.hook.notices == notices  # not one notice more, not even one the key would absorb


async def _advanced(rig: Rig, group: str, before: dict[tuple[str, int], int]) -> bool:
    now = await committed_offsets(rig.settings.kafka_bootstrap, group)
    return sum(now.values()) > sum(before.values())


async def _quiet(rig: Rig, seconds: float = 4.0) -> None:
    """Until the store and the webhook have seen nothing new for `seconds`."""
    last, still = None, time.monotonic()
    while time.monotonic() - still < seconds:
        now = (len(await rig.stored()), len(rig.hook.notices))
        if now != last:
            last, still = now, time.monotonic()
        await asyncio.sleep(0.5)


async def test_broker_outage_of_20_s_resumes_within_10_s_and_logs_little(rig: Rig, feed: Feed) -> None:
    feed.start()
    try:
        await asyncio.sleep(3)
        since = rig.log_sizes()
        fault = await asyncio.to_thread(rig.broker_outage, 20.0)
        recovery = await rig.recovered(fault, timeout=60)
        await asyncio.sleep(3)  # what the clients log while they settle counts too
        written = rig.warnings(since)
    finally:
        await feed.stop()
    lines = {name: len(w) for name, w in written.items()}
    assert recovery is not None and recovery <= BOUND_S, (recovery, {n: rig.group.log_tail(n) for n in lines})
    assert set(lines) >= {"ingest", "enrich", "alert", "store"}
    over = {n: w[:15] for n, w in written.items() if len(w) > 10}
    assert not over, (lines, over)
    assert await rig.drain(timeout=60)
