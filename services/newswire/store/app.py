"""Store worker: enriched articles, events and alerts -> database, exactly-once in effect.

    newswire run store

Loop: poll a batch (store_batch_size records or store_batch_seconds) -> decode (bad records go to
the dead-letter topic) -> idempotent upserts, on PostgreSQL as store_write_lanes concurrent
transactions over disjoint rows -> commit the Kafka offsets once every lane has committed. The next
batch is polled and decoded while this one is written (one batch in flight), and a lagging worker
grows its batches up to 4 x store_batch_size.
Offsets move only after the database commits, so a crash anywhere re-delivers at most the
uncommitted batch, and re-delivery changes nothing. Database down: retry the same batch with
backoff until it is stored; nothing is skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.errors import CommitFailedError, IllegalStateError
from aiokafka.structs import OffsetAndMetadata
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from newswire.bootstrap import tune_gc
from newswire.contracts import Alert, EnrichedArticle, Event
from newswire.errors import BadMessage
from newswire.kafka import DeadLetters, Topics, clients, connectivity, decode, ensure_topics
from newswire.kafka.membership import aiokafka_group_options
from newswire.observability import MESSAGES, STAGE_SECONDS, log, serve_metrics
from newswire.settings import Settings
from newswire.store.db import connect, migrate
from newswire.store.records import Message, Rows, rows_for
from newswire.store.repository import write
from newswire.store.retry import Backoff, is_transient

__all__ = ["SERVICE", "Decoded", "StoreWorker", "run", "run_store"]

SERVICE = "store"
_CATCH_UP = 4  # a lagging worker writes batches of up to 4 x store_batch_size
# Decoding a batch of 500 real articles takes ~100 ms of CPU. Done in one go, it would hold the event
# loop while the previous batch's transactions wait for their next round trip, leaving PostgreSQL
# idle; yielding every few records (~3 ms) keeps both busy.
_YIELD_EVERY = 16
_log = log("store")


class _Stopped(Exception):
    """Stop was requested while the database was down: leave the batch uncommitted for next time."""


@dataclass(frozen=True)
class Decoded:
    record: ConsumerRecord[bytes, bytes]
    message: Message


class StoreWorker:
    """One consumer, one engine, one dead-letter publisher; `run_once` handles one batch."""

    def __init__(
        self, settings: Settings, engine: AsyncEngine, consumer: AIOKafkaConsumer, dead: DeadLetters
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.consumer = consumer
        self.dead = dead
        topics = Topics.from_settings(settings)
        self.models: dict[str, type[Message]] = {
            topics.enriched: EnrichedArticle,
            topics.events: Event,
            topics.alerts: Alert,
        }

    async def poll(self, stop: asyncio.Event, size: int | None = None) -> list[ConsumerRecord[bytes, bytes]]:
        """Up to `size` (default store_batch_size) records, waiting at most store_batch_seconds once
        one has arrived."""
        s = self.settings
        size = size or s.store_batch_size
        loop = asyncio.get_running_loop()
        records: list[ConsumerRecord[bytes, bytes]] = []
        deadline: float | None = None
        while len(records) < size and not stop.is_set():
            wait = s.store_batch_seconds if deadline is None else deadline - loop.time()
            if wait <= 0:
                break
            got = await self.consumer.getmany(timeout_ms=int(wait * 1000), max_records=size - len(records))
            for batch in got.values():
                records.extend(batch)
            if records and deadline is None:
                deadline = loop.time() + s.store_batch_seconds
            if not got and deadline is None:
                continue  # idle: keep polling (stop is checked by the loop condition)
        return records

    async def _dead_letter(self, rec: ConsumerRecord[bytes, bytes], reason: str) -> None:
        await self.dead.publish(
            topic=rec.topic,
            partition=rec.partition,
            offset=rec.offset,
            key=rec.key,
            value=rec.value,
            error=reason,
        )
        MESSAGES.labels(SERVICE, "deadletter").inc()

    async def decode(self, records: list[ConsumerRecord[bytes, bytes]]) -> list[Decoded]:
        good: list[Decoded] = []
        for i, rec in enumerate(records, 1):
            try:
                good.append(Decoded(rec, decode(self.models[rec.topic], rec.value)))
            except BadMessage as e:
                await self._dead_letter(rec, str(e))
            if i % _YIELD_EVERY == 0:
                await asyncio.sleep(0)  # let the batch being written take its next round trip
        return good

    @staticmethod
    async def fold(items: list[Decoded]) -> Rows:
        """`rows_for`, giving the event loop back now and then (see `decode`)."""
        rows = Rows()
        for i, item in enumerate(items, 1):
            rows.add(item.message)
            if i % _YIELD_EVERY == 0:
                await asyncio.sleep(0)
        return rows

    @property
    def lanes(self) -> int:
        # SQLite has one writer at a time: a second transaction would only wait for the first.
        return self.settings.store_write_lanes if self.engine.dialect.name == "postgresql" else 1

    async def store(self, items: list[Decoded], stop: asyncio.Event, rows: Rows | None = None) -> None:
        """Write the batch (`rows`: the items already folded), split into `lanes` concurrent
        transactions over disjoint rows. Transient failures retry with backoff until stored; a
        record the database rejects is found by writing one at a time, and dead-lettered."""
        rows = rows if rows is not None else rows_for(d.message for d in items)
        with STAGE_SECONDS.labels(SERVICE, "db_write").time():
            outcomes = await asyncio.gather(
                *(self._write(part, len(items), stop) for part in rows.split(self.lanes)),
                return_exceptions=True,
            )
        failures = [o for o in outcomes if isinstance(o, BaseException)]
        if not failures:
            MESSAGES.labels(SERVICE, "stored").inc(len(items))
            return
        # Stopped during an outage wins: nothing is committed to Kafka, the batch comes back.
        for f in failures:
            if isinstance(f, _Stopped):
                raise f
        for f in failures:
            if not isinstance(f, DBAPIError):
                raise f
        # Parts already committed are rewritten unchanged: the upserts make that harmless.
        if len(items) > 1:
            await self._isolate(items, stop)  # one record the database rejects must not block the rest
            return
        rejected = failures[0]
        assert isinstance(rejected, DBAPIError)
        await self._dead_letter(items[0].record, f"database rejected the record: {str(rejected.orig)[:500]}")

    async def _write(self, rows: Rows, records: int, stop: asyncio.Event) -> None:
        """One transaction; retried with backoff while the database is unavailable."""
        backoff = Backoff()
        while True:
            try:
                await write(self.engine, rows)
                return
            except Exception as e:
                if not is_transient(e):
                    raise
                _log.warning(
                    "database unavailable; retrying batch",
                    extra={"error": repr(e)[:300], "attempt": backoff.attempts + 1, "records": records},
                )
                await backoff.wait(stop)
                if stop.is_set():
                    raise _Stopped from e

    async def _isolate(self, items: list[Decoded], stop: asyncio.Event) -> None:
        for item in items:
            await self.store([item], stop)

    async def commit(self, records: list[ConsumerRecord[bytes, bytes]]) -> None:
        offsets: dict[TopicPartition, OffsetAndMetadata] = {}
        for rec in records:
            offsets[TopicPartition(rec.topic, rec.partition)] = OffsetAndMetadata(rec.offset + 1, "")
        try:
            await self.consumer.commit(offsets)
        except (CommitFailedError, IllegalStateError) as e:
            # A rebalance took the partitions away: the new owner re-reads this batch, and the
            # upserts make that harmless.
            _log.warning("offset commit failed after a rebalance", extra={"error": repr(e)})

    async def _store_and_commit(
        self,
        records: list[ConsumerRecord[bytes, bytes]],
        items: list[Decoded],
        stop: asyncio.Event,
        rows: Rows | None = None,
    ) -> bool:
        """Store, then commit the offsets; False (nothing committed) when stopped during an outage."""
        if items:
            try:
                await self.store(items, stop, rows)
            except _Stopped:
                return False
        await self.commit(records)
        return True

    async def run_once(self, stop: asyncio.Event) -> int:
        """One batch, start to finish, without overlap."""
        records = await self.poll(stop)
        if not records or not await self._store_and_commit(records, await self.decode(records), stop):
            return 0
        return len(records)

    async def run(self, stop: asyncio.Event) -> None:
        """Until `stop`: poll and decode the next batch while the previous one is being written.

        One write is in flight at a time, so database commits, and the offset commits that follow
        each of them, happen in poll order; a batch left uncommitted (stopped during an outage)
        ends the loop before any later batch is written.
        """
        writing: asyncio.Task[bool] | None = None
        size = self.settings.store_batch_size
        try:
            while not stop.is_set():
                records = await self.poll(stop, size)
                # Lagging (the batch filled up): double the batch, up to _CATCH_UP times the
                # setting, since each batch costs a transaction, a COPY per table and an offset commit.
                full = len(records) >= size
                size = (
                    min(size * 2, self.settings.store_batch_size * _CATCH_UP)
                    if full
                    else self.settings.store_batch_size
                )
                items = await self.decode(records) if records else []
                rows = await self.fold(items)  # CPU work, also done while the write runs
                if writing is not None and not await writing:
                    return
                writing = None
                if records:
                    writing = asyncio.create_task(self._store_and_commit(records, items, stop, rows))
            if writing is not None:
                await writing
        finally:
            if writing is not None and not writing.done():  # leaving on an error: abandon the batch
                writing.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await writing


async def run_store(
    settings: Settings, *, stop: asyncio.Event | None = None, ready: asyncio.Event | None = None
) -> None:
    """Run the worker in this event loop until `stop` is set (tests and the demo run it as a task)."""
    stop = stop or asyncio.Event()
    topics = Topics.from_settings(settings)
    engine = connect(settings.database_url)
    try:
        await migrate(engine)
        await ensure_topics(settings)
        producer = clients.producer(settings, acks="all", enable_idempotence=True)
        group = f"{settings.topic_prefix}-store"
        consumer = clients.consumer(
            settings,
            topics.enriched,
            topics.events,
            topics.alerts,
            group_id=group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            isolation_level="read_committed",
            # kafka_max_poll_interval is long: a database outage must not cost us the partitions.
            **aiokafka_group_options(settings, SERVICE),
        )
        await producer.start()
        try:
            await consumer.start()
            try:

                async def send(topic: str, key: bytes | None, value: bytes) -> None:
                    await producer.send_and_wait(topic, value, key=key)

                worker = StoreWorker(
                    settings, engine, consumer, DeadLetters(topics.deadletter, SERVICE, send)
                )
                _log.info("store worker started", extra={"database": engine.dialect.name, "group": group})
                if ready is not None:
                    ready.set()
                await worker.run(stop)
            finally:
                await consumer.stop()
        finally:
            await producer.stop()
    finally:
        await engine.dispose()


def run(settings: Settings) -> None:
    """Foreground entry point: stops cleanly on SIGINT/SIGTERM after the batch in hand, and leaves
    the consumer group as it goes (a dynamic member; see kafka/membership.py)."""
    connectivity.install(
        SERVICE, settings.kafka_bootstrap,
        log_interval=settings.kafka_outage_log_interval, backoff_max=settings.kafka_reconnect_backoff_max,
    )  # fmt: skip
    serve_metrics(settings.metrics_port)
    tune_gc()

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        await run_store(settings, stop=stop)

    asyncio.run(main())
