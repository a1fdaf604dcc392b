"""The store worker against a real Kafka broker and real databases: exactly-once in effect."""

from __future__ import annotations

import asyncio
import base64
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.errors import KafkaError

from integration.store.conftest import LiveServer
from integration.store.store_samples import alert_for, ankara_article, call_event, meeting_article
from kafka_helpers import committed_offsets, produce, wait_until
from newswire.contracts import DeadLetter
from newswire.kafka import DeadLetters, Topics, decode, encode, ensure_topics
from newswire.settings import Settings
from newswire.store.app import StoreWorker, run_store
from newswire.store.db import connect
from newswire.store.repository import count_rows
from pg_fixture import PgServer, find_pg_bin

MEETINGS = [meeting_article(n, day=10 + n) for n in range(1, 6)]


async def _partitions(consumer: AIOKafkaConsumer, topic: str) -> list[TopicPartition]:
    parts: set[int] = set()
    for _ in range(50):  # metadata for a fresh topic can take a moment
        parts = consumer.partitions_for_topic(topic) or set()
        if parts:
            break
        await consumer._client.force_metadata_update()
    return [TopicPartition(topic, p) for p in sorted(parts)]


async def end_offsets(bootstrap: str, topic: str) -> dict[TopicPartition, int]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None)
    await consumer.start()
    try:
        return dict(await consumer.end_offsets(await _partitions(consumer, topic)))
    finally:
        await consumer.stop()


async def read_all(
    bootstrap: str, topic: str, want: int, patience: float = 30
) -> list[ConsumerRecord[Any, Any]]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, auto_offset_reset="earliest")
    await consumer.start()
    out: list[ConsumerRecord[Any, Any]] = []
    try:
        consumer.assign(await _partitions(consumer, topic))
        deadline = asyncio.get_running_loop().time() + patience
        while len(out) < want and asyncio.get_running_loop().time() < deadline:
            for batch in (await consumer.getmany(timeout_ms=300)).values():
                out.extend(batch)
    finally:
        await consumer.stop()
    return out


@pytest.fixture
def store_settings(settings: Settings, db_url: str) -> Settings:
    return settings.model_copy(update={"database_url": db_url, "store_batch_size": 4})


async def _publish_all(s: Settings, *, bad: bool = True) -> None:
    t = Topics.from_settings(s)
    enriched: list[tuple[bytes | None, bytes | None]] = [
        (a.id.encode(), encode(a)) for a in [*MEETINGS, ankara_article()]
    ]
    if bad:
        enriched.insert(2, (b"junk", b"\xff not json"))
    await produce(s.kafka_bootstrap, t.enriched, enriched)
    events: list[tuple[bytes | None, bytes | None]] = [(b"ev", encode(call_event()))]
    if bad:
        events.append((b"ev", b'{"id": "x", "type": "MEET"}'))
    await produce(s.kafka_bootstrap, t.events, events)
    await produce(s.kafka_bootstrap, t.alerts, [(b"al", encode(alert_for(MEETINGS[:2])))])


async def _all_committed(s: Settings) -> bool:
    t = Topics.from_settings(s)
    try:
        committed = await committed_offsets(s.kafka_bootstrap, f"{s.topic_prefix}-store")
    except KafkaError:  # the group coordinator is still coming up
        return False
    for topic in (t.enriched, t.events, t.alerts):
        for tp, end in (await end_offsets(s.kafka_bootstrap, topic)).items():
            if committed.get((tp.topic, tp.partition), 0) != end:
                return False
    return True


@contextlib.asynccontextmanager
async def running_store(s: Settings) -> AsyncIterator[asyncio.Task[None]]:
    stop = asyncio.Event()
    task = asyncio.create_task(run_store(s, stop=stop))
    try:
        yield task
    finally:
        stop.set()
        await asyncio.wait_for(task, 60)


async def _counts(s: Settings) -> dict[str, int]:
    engine = connect(s.database_url)
    try:
        return await count_rows(engine)
    finally:
        await engine.dispose()


EXPECTED = {"articles": 6, "events": 2, "event_evidence": 6, "mentions": 23, "alerts": 1, "alert_sources": 2}


def _subset(counts: dict[str, int]) -> dict[str, int]:
    return {k: counts[k] for k in EXPECTED}


async def test_worker_stores_everything_and_replay_changes_nothing(store_settings: Settings) -> None:
    s = store_settings
    await ensure_topics(s)
    await _publish_all(s)
    async with running_store(s):
        assert await wait_until(lambda: _all_committed(s), timeout=90)
        first = await _counts(s)
        assert _subset(first) == EXPECTED

        letters = await read_all(s.kafka_bootstrap, Topics.from_settings(s).deadletter, want=2)
        reasons = sorted(decode(DeadLetter, r.value).error for r in letters)
        assert len(reasons) == 2
        assert reasons[0].startswith("invalid Event") and reasons[1].startswith("not UTF-8")

        with LiveServer(s) as api, api.client() as c:
            (ev,) = c.get("/events", params={"participant": "Xi Jinping"}).json()["items"]
            assert ev["source_count"] == 5
            assert len(c.get(f"/events/{ev['id']}").json()["sources"]) == 5

        await _publish_all(s, bad=False)  # the same messages, delivered a second time
        assert await wait_until(lambda: _all_committed(s), timeout=90)
        assert await _counts(s) == first


async def test_crash_after_db_commit_before_offset_commit_duplicates_nothing(
    store_settings: Settings,
) -> None:
    s = store_settings
    t = Topics.from_settings(s)
    await ensure_topics(s)
    await _publish_all(s, bad=False)
    engine = connect(s.database_url)
    consumer = AIOKafkaConsumer(
        t.enriched,
        t.events,
        t.alerts,
        bootstrap_servers=s.kafka_bootstrap,
        group_id=f"{s.topic_prefix}-store",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    await consumer.start()

    async def nowhere(topic: str, key: bytes | None, value: bytes) -> None:
        raise AssertionError("no dead letters expected")

    try:
        from newswire.store.db import migrate

        await migrate(engine)
        worker = StoreWorker(s, engine, consumer, DeadLetters(t.deadletter, "store", nowhere))
        stop = asyncio.Event()
        stored = 0
        while stored < 8:  # 6 articles, 1 event, 1 alert
            records = await worker.poll(stop)
            await worker.store(await worker.decode(records), stop)  # DB committed ...
            stored += len(records)
        # ... and the process "dies" here: no consumer.commit().
    finally:
        await consumer.stop()
        await engine.dispose()
    before = await _counts(s)
    assert _subset(before) == EXPECTED
    assert not await _all_committed(s)

    async with running_store(s):  # the restarted worker gets every record again
        assert await wait_until(lambda: _all_committed(s), timeout=90)
    assert await _counts(s) == before


@pytest.mark.postgres
@pytest.mark.skipif(
    find_pg_bin() is None, reason="PostgreSQL binaries missing: apt-get install -y postgresql"
)
async def test_database_outage_is_retried_and_nothing_is_skipped(settings: Settings) -> None:
    pg = PgServer.launch()  # a server of our own, to pull the plug on
    try:
        s = settings.model_copy(update={"database_url": pg.create_database("outage"), "store_batch_size": 4})
        await ensure_topics(s)
        t = Topics.from_settings(s)
        async with running_store(s) as task:
            await produce(s.kafka_bootstrap, t.enriched, [(None, encode(a)) for a in MEETINGS[:3]])
            assert await wait_until(lambda: _all_committed(s), timeout=90)
            await asyncio.to_thread(pg.stop)
            await produce(
                s.kafka_bootstrap, t.enriched, [(None, encode(a)) for a in [*MEETINGS[3:], ankara_article()]]
            )
            await asyncio.sleep(4)  # the worker is retrying by now
            assert not task.done()
            assert not await _all_committed(s)  # offsets stay put while the database is down
            await asyncio.to_thread(pg.start)
            assert await wait_until(lambda: _all_committed(s), timeout=90)
        counts: dict[str, Any] = await _counts(s)
        assert (counts["articles"], counts["mentions"], counts["event_evidence"]) == (6, 23, 5)
    finally:
        with contextlib.suppress(RuntimeError):
            pg.stop()
        pg.cleanup()


@pytest.mark.postgres
@pytest.mark.skipif(
    find_pg_bin() is None, reason="PostgreSQL binaries missing: apt-get install -y postgresql"
)
async def test_a_record_the_database_refuses_is_dead_lettered_and_the_rest_of_its_batch_stored(
    settings: Settings, pg_url: str
) -> None:
    """Valid JSON that PostgreSQL cannot store (a NUL character in text) in a batch written as two
    concurrent transactions: the worker finds the one record, dead-letters it, stores the others."""
    s = settings.model_copy(update={"database_url": pg_url, "store_batch_size": 50, "store_write_lanes": 2})
    t = Topics.from_settings(s)
    await ensure_topics(s)
    bad = meeting_article(9, day=19)
    bad = bad.model_copy(
        update={"article": bad.article.model_copy(update={"body": bad.article.body + "\x00"})}
    )
    batch = [*MEETINGS, bad, ankara_article()]
    await produce(s.kafka_bootstrap, t.enriched, [(a.article.id.encode(), encode(a)) for a in batch])
    async with running_store(s):
        assert await wait_until(lambda: _all_committed(s), timeout=90)
    (letter,) = await read_all(s.kafka_bootstrap, t.deadletter, want=1)
    dead = decode(DeadLetter, letter.value)
    assert dead.error.startswith("database rejected the record")
    assert base64.b64decode(dead.payload) == encode(bad)  # the exact bytes, to replay once fixed
    counts = await _counts(s)
    assert counts["articles"] == len(batch) - 1
