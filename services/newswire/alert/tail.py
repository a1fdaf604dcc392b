"""Follow a topic as a subscriber: no consumer group, so a tail never takes partitions from a worker."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import TypeVar

from newswire.alert.names import normalise
from newswire.contracts import Contract, Event, EventStatus, EventType
from newswire.errors import BadMessage
from newswire.kafka import decode
from newswire.kafka.clients import Target
from newswire.kafka.observer import observe

__all__ = ["event_filter", "follow"]

C = TypeVar("C", bound=Contract)


async def follow(
    kafka: Target, topic: str, model: type[C], *, from_beginning: bool = False
) -> AsyncIterator[C | BadMessage]:
    """Every record of `topic` as `model`, or the BadMessage saying why it is not one."""
    async for rec in observe(kafka, topic, from_beginning=from_beginning):
        try:
            yield decode(model, rec.value)
        except BadMessage as e:
            yield e


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
