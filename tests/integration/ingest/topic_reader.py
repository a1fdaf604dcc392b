"""Read back what a test produced, straight from the broker."""

from __future__ import annotations

import asyncio

from aiokafka import AIOKafkaConsumer
from aiokafka.structs import ConsumerRecord

__all__ = ["read_topic"]


async def read_topic(
    bootstrap: str,
    topic: str,
    *,
    expect: int,
    within: float = 20.0,
    settle: float = 1.0,
) -> list[ConsumerRecord[bytes, bytes]]:
    """Every record of `topic` from the start: waits for `expect` records, then `settle` seconds
    more so that extra (duplicate) records would show up too."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    records = []
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        extra_until = None
        while loop.time() < (extra_until or deadline):
            batch = await consumer.getmany(timeout_ms=200)
            for recs in batch.values():
                records += recs
            if len(records) >= expect and extra_until is None:
                extra_until = loop.time() + settle
    finally:
        await consumer.stop()
    return records
