"""Alert worker (faust): events -> alert records (Table) -> alerts topic -> receivers.

Three agents share one app and one consumer group:
  regroup   events topic (keyed by event id) -> `<prefix>.alert.grouped`, keyed by participant set,
            so planned and occurred events of the same people meet on one partition (inhibition);
            a record that is not an Event is dead-lettered here.
  evaluate  grouped + ticks (co-partitioned) -> Engine over the partition's slice of Table "state"
            (changelog-backed) -> Alert records on the alerts topic, keyed by alert id.
  notify    alerts topic -> every receiver of the alert's rule, retried with backoff; a receiver
            that still fails is recorded on the dead-letter topic. The alerts topic is the outbox,
            so a crash between the two loses nothing (at-least-once, with an idempotency key).

The HTTP API for silences runs on faust's web server (aiohttp) at settings.alert_http_port.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, TypeVar

import faust
import httpx

from newswire.alert.engine import Engine
from newswire.alert.matching import participant_key
from newswire.alert.names import resolver_for
from newswire.alert.receivers import build_receivers, deliver
from newswire.alert.rules import RuleSet, load_rules
from newswire.alert.silence_store import KafkaSilences
from newswire.alert.state import WakeIndex
from newswire.alert.topics import AlertTopics, ensure_alert_topics
from newswire.alert.web import register_views
from newswire.apikeys import ApiKeys
from newswire.contracts import Alert, Contract, Event, utcnow
from newswire.errors import BadMessage
from newswire.kafka import DeadLetters, Topics, connectivity, decode, encode, encode_key, ensure_topics
from newswire.kafka.membership import faust_group_options
from newswire.kafka.security import faust_security
from newswire.observability import MESSAGES, STAGE_SECONDS, log, logging_config
from newswire.settings import Settings, secret_environment

__all__ = ["build_app", "run"]

C = TypeVar("C", bound=Contract)
_log = log("alert")
SERVICE = "alert"


class TableSlice:
    """The StateStore of one partition: keys `<partition>|<key>` in the shared faust Table, so a
    tick for partition p touches only p's records and every changelog write lands on p."""

    def __init__(self, table: Any, partition: int, wake: WakeIndex) -> None:
        self._t, self._p, self._wake = table, f"{partition}|", wake

    def get(self, key: str) -> Any | None:
        return self._t.get(self._p + key)

    def put(self, key: str, value: Any) -> None:
        self._t[self._p + key] = value
        self._wake.note(key, value)

    def delete(self, key: str) -> None:
        if self._p + key in self._t:
            del self._t[self._p + key]
        self._wake.note(key, None)

    def due(self, now: datetime) -> list[str]:
        return self._wake.due(now)

    def keys(self) -> Iterator[str]:
        return iter([k[len(self._p) :] for k in list(self._t.keys()) if k.startswith(self._p)])


def build_app(
    settings: Settings, *, ruleset: RuleSet | None = None, env: Mapping[str, str] | None = None
) -> faust.App:
    topics, own = Topics.from_settings(settings), AlertTopics.from_settings(settings)
    rules = ruleset or load_rules(settings.rules_file, resolver_for(settings))
    engine = Engine(rules)
    client = httpx.AsyncClient()
    receivers = build_receivers(rules, secret_environment() if env is None else env, client)
    (settings.data_dir / "alert").mkdir(parents=True, exist_ok=True)
    app = faust.App(
        own.app_id,
        broker=f"kafka://{settings.kafka_bootstrap}",
        **faust_security(settings),
        store="memory://",  # the changelog is the durable copy; recovery replays it
        web_enabled=True,
        web_port=settings.alert_http_port,
        web_bind=settings.api_host,
        web_host=settings.api_host,
        datadir=str(settings.data_dir / "alert"),
        topic_partitions=settings.topic_partitions,
        topic_allow_declare=False,  # every topic, the changelog included, is created up front
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        producer_linger_ms=0,
        **faust_group_options(settings, SERVICE),
    )
    events = app.topic(topics.events, key_serializer="raw", value_serializer="raw")
    # The events topic is keyed by event id; alert state is partitioned by the participant set, so
    # a planned and an occurred meeting of the same people (different ids) meet on one partition.
    source = app.topic(own.grouped, own.ticks, key_serializer="raw", value_serializer="raw")
    alerts = app.topic(topics.alerts, key_serializer="raw", value_serializer="raw")
    table = app.Table("state", default=None, partitions=settings.topic_partitions, key_type=str)
    silences = KafkaSilences(settings, own.silences)
    wake: dict[int, WakeIndex] = {}

    async def send(topic: str, key: bytes | None, value: bytes) -> None:
        fut = await app.producer.send(topic, key, value, partition=None, timestamp=None, headers=None)
        await fut

    dead_letters = DeadLetters(topics.deadletter, SERVICE, send)

    async def decoded(model: type[C], msg: Any) -> C | None:
        """The record as `model`, or None after dead-lettering it with the reason."""
        try:
            return decode(model, msg.value)
        except BadMessage as e:
            await dead_letters.publish(
                topic=msg.topic, partition=msg.partition, offset=msg.offset,
                key=msg.key, value=msg.value, error=str(e),
            )  # fmt: skip
            return None

    def slice_for(partition: int) -> TableSlice:
        if partition not in wake:  # first use since start or rebalance: index what recovery restored
            wake[partition] = WakeIndex()
            prefix = f"{partition}|"
            for key in list(table.keys()):
                if key.startswith(prefix):
                    wake[partition].note(key[len(prefix) :], table.get(key))
        return TableSlice(table, partition, wake[partition])

    @app.on_rebalance_complete.connect  # type: ignore[arg-type]  # faust types receivers narrower than it calls them
    async def _reindex(sender: Any, **kwargs: Any) -> None:
        wake.clear()

    @app.task
    async def start_silences() -> None:
        await silences.start()

    @app.timer(interval=1.0)
    async def tick() -> None:
        stamp = utcnow().isoformat().encode()
        for p in range(settings.topic_partitions):
            await app.producer.send(own.ticks, b"tick", stamp, partition=p, timestamp=None, headers=None)

    @app.agent(events)
    async def regroup(stream: faust.StreamT) -> None:
        async for ev in stream.events():
            msg = ev.message
            if (event := await decoded(Event, msg)) is None:
                continue
            await send(own.grouped, participant_key(event.participants).encode(), msg.value)

    @app.agent(source)
    async def evaluate(stream: faust.StreamT) -> None:
        await silences.ready.wait()
        async for ev in stream.events():
            msg = ev.message
            now = utcnow()
            store = slice_for(msg.partition)
            if msg.topic == own.ticks:
                out = engine.on_tick(store, now, silences.book.active(now))
            else:
                if (event := await decoded(Event, msg)) is None:
                    continue
                out = engine.on_event(store, event, now, silences.book.active(now))
                MESSAGES.labels(SERVICE, "event").inc()
            for alert in out:
                await send(topics.alerts, encode_key(alert.id), encode(alert))
                MESSAGES.labels(SERVICE, f"alert_{alert.state.value}").inc()
                _log.info(
                    "alert",
                    extra={"alert_id": alert.id, "state": alert.state.value, "sources": alert.source_count},
                )

    @app.agent(alerts)
    async def notify(stream: faust.StreamT) -> None:
        async for ev in stream.events():
            msg = ev.message
            if (alert := await decoded(Alert, msg)) is None:
                continue
            rule = rules.rule(alert.rule)
            names = [n for n in (rule.receivers if rule else []) if n in receivers]
            started = asyncio.get_running_loop().time()
            outcomes = await asyncio.gather(*(deliver(receivers[n], alert) for n in names))
            STAGE_SECONDS.labels(SERVICE, "deliver").observe(asyncio.get_running_loop().time() - started)
            for o in outcomes:
                if not o.ok:
                    await dead_letters.publish(
                        topic=msg.topic, partition=msg.partition, offset=msg.offset,
                        key=msg.key, value=msg.value,
                    error=f"receiver {o.receiver}: gave up after {o.attempts} attempt(s): {o.error}",
                    )  # fmt: skip

    @app.on_before_shutdown.connect  # type: ignore[arg-type]  # as above
    async def _close(sender: Any, **kwargs: Any) -> None:
        await silences.stop()
        await client.aclose()

    register_views(app, silences, ApiKeys.from_settings(settings))
    app.silences = silences  # type: ignore[attr-defined]  # for tests and the benchmark
    return app


async def prepare(settings: Settings) -> None:
    """Create the pipeline topics and the alert service's own topics (before any subscription)."""
    await ensure_topics(settings)
    await ensure_alert_topics(settings)


def run(settings: Settings) -> None:
    """Create missing topics, then run the worker until SIGINT/SIGTERM."""
    connectivity.install(
        SERVICE, settings.kafka_bootstrap,
        log_interval=settings.kafka_outage_log_interval, backoff_max=settings.kafka_reconnect_backoff_max,
    )  # fmt: skip
    asyncio.run(prepare(settings))
    app = build_app(settings)
    worker = faust.Worker(
        app,
        loglevel=settings.log_level.lower(),
        logging_config=logging_config(settings.log_level, settings.log_format),  # our lines, once
        quiet=True,
        redirect_stdouts=False,
    )
    worker.execute_from_commandline()
