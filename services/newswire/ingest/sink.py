"""Where accepted articles go: the raw topic (idempotent aiokafka producer, acks=all, key =
article id) or, for dry runs, JSON lines on a stream. Dead letters take the same road."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from types import TracebackType
from typing import TextIO

from aiokafka.errors import KafkaError

from newswire.contracts import RawArticle
from newswire.errors import BadMessage, TransientError
from newswire.kafka import DeadLetters, Topics, encode, encode_key
from newswire.kafka.clients import producer
from newswire.settings import Settings

__all__ = ["DryRunSink", "KafkaSink"]

SERVICE = "ingest"


class KafkaSink:
    def __init__(self, settings: Settings, *, linger_ms: int = 5) -> None:
        self.topics = Topics.from_settings(settings)
        self._producer = producer(
            settings,
            enable_idempotence=True,  # retries never duplicate or reorder a partition
            acks="all",
            linger_ms=linger_ms,
            max_batch_size=256 * 1024,
            request_timeout_ms=30_000,
        )
        self._dead = DeadLetters(self.topics.deadletter, SERVICE, self._send_one)

    async def __aenter__(self) -> KafkaSink:
        try:
            await self._producer.start()
        except (KafkaError, OSError) as e:
            await self._producer.stop()
            raise TransientError(f"Kafka producer could not start: {e!r}") from e
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._producer.stop()  # flushes what is in flight

    async def _send_one(self, topic: str, key: bytes | None, value: bytes) -> None:
        await self._producer.send_and_wait(topic, value=value, key=key)

    async def send_many(self, articles: Sequence[RawArticle]) -> list[Exception | None]:
        pending: list[asyncio.Future[object] | Exception] = []
        for article in articles:
            try:
                pending.append(
                    await self._producer.send(self.topics.raw, encode(article), encode_key(article.id))
                )
            except KafkaError as e:  # refused before it leaves, e.g. larger than max_request_size
                pending.append(_classify(e))
        return [await _outcome(p) for p in pending]

    async def dead_letter(self, *, origin: str, line: int | None, payload: bytes, error: str) -> None:
        await self._dead.publish(
            topic=origin, partition=None, offset=line, key=None, value=payload, error=error
        )


async def _outcome(pending: asyncio.Future[object] | Exception) -> Exception | None:
    if isinstance(pending, Exception):
        return pending
    try:
        await pending
    except KafkaError as e:
        return _classify(e)
    return None


def _classify(e: KafkaError) -> Exception:
    if getattr(e, "retriable", False):
        return TransientError(f"Kafka: {e!r}")
    return BadMessage(f"Kafka refused the record: {e!r}")


class DryRunSink:
    """Prints each article as a JSON line instead of producing it; dead letters go to `err`."""

    def __init__(self, out: TextIO | None = None, err: TextIO | None = None) -> None:
        self._out = out or sys.stdout
        self._err = err or sys.stderr

    async def send_many(self, articles: Sequence[RawArticle]) -> list[Exception | None]:
        for article in articles:
            self._out.write(article.model_dump_json() + "\n")
        self._out.flush()
        return [None] * len(articles)

    async def dead_letter(self, *, origin: str, line: int | None, payload: bytes, error: str) -> None:
        return None  # the caller already reported "origin:line: reason"
