"""Silences kept durably on a compacted topic; every worker follows the whole topic in memory.

The HTTP API writes through `put` (produce, wait for the ack, apply locally); `SilenceBook` is the
pure in-memory view the engine reads (`active(now)`).
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from pydantic import ValidationError

from newswire.alert.silences import Silence
from newswire.kafka.clients import Target, consumer, producer
from newswire.observability import log

__all__ = ["KafkaSilences", "SilenceBook"]

_log = log("alert.silences")


class SilenceBook:
    def __init__(self) -> None:
        self._by_id: dict[str, Silence] = {}

    def apply(self, s: Silence) -> None:
        old = self._by_id.get(s.id)
        if old is None or old.updated_at <= s.updated_at:
            self._by_id[s.id] = s

    def get(self, silence_id: str) -> Silence | None:
        return self._by_id.get(silence_id)

    def all(self) -> list[Silence]:
        return sorted(self._by_id.values(), key=lambda s: (s.starts_at, s.id))

    def active(self, now: datetime) -> list[Silence]:
        return [s for s in self._by_id.values() if s.is_active(now)]


class KafkaSilences:
    def __init__(self, kafka: Target, topic: str) -> None:
        self.book = SilenceBook()
        self.ready = asyncio.Event()
        self._kafka, self._topic = kafka, topic
        self._producer: AIOKafkaProducer | None = None
        self._consumer: AIOKafkaConsumer | None = None
        self._follow: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._producer = producer(self._kafka, acks="all")
        await self._producer.start()
        self._consumer = consumer(self._kafka, group_id=None, enable_auto_commit=False)
        await self._consumer.start()
        tp = TopicPartition(self._topic, 0)
        self._consumer.assign([tp])
        await self._consumer.seek_to_beginning(tp)
        end = (await self._consumer.end_offsets([tp]))[tp]
        while await self._consumer.position(tp) < end:
            await self._drain(timeout_ms=500)
        self.ready.set()
        self._follow = asyncio.create_task(self._run())
        _log.info("silences loaded", extra={"count": len(self.book.all())})

    async def _drain(self, timeout_ms: int) -> None:
        assert self._consumer is not None
        batches = await self._consumer.getmany(timeout_ms=timeout_ms)
        for records in batches.values():
            for rec in records:
                if rec.value is None:
                    continue
                try:
                    self.book.apply(Silence.model_validate_json(rec.value))
                except ValidationError as e:
                    _log.warning("bad silence record skipped", extra={"offset": rec.offset, "error": str(e)})

    async def _run(self) -> None:
        while True:
            await self._drain(timeout_ms=1000)

    async def put(self, silence: Silence) -> Silence:
        assert self._producer is not None, "start() first"
        await self._producer.send_and_wait(
            self._topic, silence.model_dump_json().encode(), key=silence.id.encode(), partition=0
        )
        self.book.apply(silence)
        return silence

    async def stop(self) -> None:
        if self._follow is not None:
            self._follow.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._follow
        for client in (self._consumer, self._producer):
            if client is not None:
                await client.stop()
