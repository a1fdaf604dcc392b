"""The store worker's CPU-bound steps give the event loop back: the batch being written meanwhile
needs it for every round trip to the database (store_bench.py: 1,640 -> ~2,000 articles/s)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiokafka import ConsumerRecord

from newswire.contracts import EnrichedArticle, Entity, Processing, RawArticle
from newswire.kafka import DeadLetters, Topics, encode
from newswire.settings import Settings
from newswire.store.app import _YIELD_EVERY, StoreWorker
from newswire.store.db import connect


def _record(topic: str, offset: int, value: bytes) -> ConsumerRecord[bytes, bytes]:
    return ConsumerRecord(topic, 0, offset, 0, 0, None, value, None, 0, len(value), [])


def _article(n: int) -> bytes:
    raw = RawArticle(
        url=f"https://x.test/{n}",
        title="Talks",
        body="Xi Jinping met Vladimir Putin in Beijing.",
        published_at=datetime(2024, 5, 16, 9, tzinfo=UTC),
    )
    ents = [Entity(text="Xi Jinping", label="PERSON", start=7, end=17, kb_id="Q15031")]
    proc = Processing(model="m", model_version="1", pipeline_version="p", took_ms=0)
    return encode(EnrichedArticle(article=raw, entities=ents, processing=proc))


async def test_decoding_and_folding_a_batch_let_other_tasks_run(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}")
    engine = connect(settings.database_url)
    dead: list[bytes] = []

    async def send(topic: str, key: bytes | None, value: bytes) -> None:
        dead.append(value)

    consumer: Any = None  # decode and fold never read from Kafka
    worker = StoreWorker(settings, engine, consumer, DeadLetters("dl", "store", send))
    topic = Topics.from_settings(settings).enriched
    records = [_record(topic, i, _article(i)) for i in range(4 * _YIELD_EVERY)]
    records.insert(5, _record(topic, 999, b"{not json"))

    turns = 0

    async def other() -> None:  # stands in for the batch being written
        nonlocal turns
        while True:
            turns += 1
            await asyncio.sleep(0)

    running = asyncio.create_task(other())
    try:
        items = await worker.decode(records)
        rows = await worker.fold(items)
    finally:
        running.cancel()
        await engine.dispose()
    assert len(items) == len(rows.articles) == 4 * _YIELD_EVERY
    assert len(dead) == 1  # the bad record went to the dead-letter topic, the rest were decoded
    assert turns >= 2 * 4  # every _YIELD_EVERY records, in decode and again in fold
