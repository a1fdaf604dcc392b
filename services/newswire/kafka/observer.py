"""Read a topic as a pure observer: no consumer group, so it never steals partitions from workers
and commits nothing. Used by `newswire alerts tail`, `events tail`, the demo and the tests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from aiokafka import ConsumerRecord, TopicPartition

from newswire.kafka.admin import partitions_of
from newswire.kafka.clients import Target
from newswire.kafka.clients import consumer as new_consumer

__all__ = ["observe"]


async def observe(
    kafka: Target, topic: str, *, from_beginning: bool = True, idle_timeout: float | None = None
) -> AsyncIterator[ConsumerRecord]:
    """Yield records of every partition of `topic`. With idle_timeout, stop after that long without one."""
    parts = await partitions_of(kafka, topic)
    consumer = new_consumer(kafka, group_id=None, enable_auto_commit=False)
    await consumer.start()
    try:
        tps = [TopicPartition(topic, p) for p in parts]
        consumer.assign(tps)
        if from_beginning:
            await consumer.seek_to_beginning(*tps)
        else:
            await consumer.seek_to_end(*tps)
        loop = asyncio.get_running_loop()
        last = loop.time()
        while idle_timeout is None or loop.time() - last < idle_timeout:
            batch = await consumer.getmany(timeout_ms=200)
            for records in batch.values():
                for record in records:
                    last = loop.time()
                    yield record
    finally:
        await consumer.stop()
