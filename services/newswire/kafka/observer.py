"""Read a topic as a pure observer: no consumer group, so it never steals partitions from workers
and commits nothing. Used by `newswire alerts tail`, `events tail`, the demo and the tests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from newswire.errors import TransientError

__all__ = ["observe", "partitions_of"]


async def partitions_of(bootstrap: str, topic: str, *, timeout: float = 15.0) -> list[int]:
    """Partition ids of `topic`, waiting until every partition has a leader (fresh topics lag)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            [desc] = await admin.describe_topics([topic])
            parts = desc.get("partitions") or []
            if desc.get("error_code", 0) == 0 and parts and all(p.get("leader", -1) >= 0 for p in parts):
                return sorted(p["partition"] for p in parts)
            if asyncio.get_running_loop().time() > deadline:
                raise TransientError(f"topic {topic} has no usable partitions (error {desc.get('error_code')})")
            await asyncio.sleep(0.2)
    finally:
        await admin.close()


async def observe(
    bootstrap: str, topic: str, *, from_beginning: bool = True, idle_timeout: float | None = None
) -> AsyncIterator[ConsumerRecord]:
    """Yield records of every partition of `topic`. With idle_timeout, stop after that long without one."""
    parts = await partitions_of(bootstrap, topic)
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
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
