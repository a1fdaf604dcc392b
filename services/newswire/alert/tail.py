"""Follow a topic as a subscriber: no consumer group, so a tail never takes partitions from a worker."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import TypeVar

from aiokafka import AIOKafkaConsumer, TopicPartition

from newswire.alert.names import normalise
from newswire.contracts import Contract, Event, EventStatus, EventType
from newswire.errors import BadMessage
from newswire.kafka import decode

__all__ = ["event_filter", "follow"]

C = TypeVar("C", bound=Contract)


async def follow(
    bootstrap: str, topic: str, model: type[C], *, from_beginning: bool = False
) -> AsyncIterator[C | BadMessage]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
    await consumer.start()
    try:
        await consumer.topics()
        parts = consumer.partitions_for_topic(topic) or set()
        tps = [TopicPartition(topic, p) for p in sorted(parts)]
        if not tps:
            raise BadMessage(f"topic {topic} does not exist")
        consumer.assign(tps)
        if from_beginning:
            await consumer.seek_to_beginning(*tps)
        else:
            await consumer.seek_to_end(*tps)
        async for rec in consumer:
            try:
                yield decode(model, rec.value)
            except BadMessage as e:
                yield e
    finally:
        await consumer.stop()


def event_filter(
    participants: list[str], types: list[EventType], statuses: list[EventStatus]
) -> Callable[[Event], bool]:
    wanted = {normalise(p) for p in participants}

    def keep(ev: Event) -> bool:
        if types and ev.type not in types:
            return False
        if statuses and ev.status not in statuses:
            return False
        return wanted <= {normalise(p.name) for p in ev.participants}

    return keep
