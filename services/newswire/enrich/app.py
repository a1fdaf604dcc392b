"""Enrich worker (faust): raw topic -> enriched topic + events topic, batched NLP.

Delivery: at least once. `take_events` acks a batch after the loop body returns, so the body never
raises: bad records become dead letters, and sends are awaited (retried by the producer) before the
next batch is taken.
"""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor

import faust

from newswire.bootstrap import tune_gc
from newswire.enrich.handler import EnrichBatch, InRecord, Outbox
from newswire.kafka import DeadLetters, Topics, connectivity, encode, encode_key, ensure_topics
from newswire.kafka.membership import faust_group_options
from newswire.kafka.security import faust_security
from newswire.observability import MESSAGES, STAGE_SECONDS, log, logging_config, serve_metrics
from newswire.settings import Settings

__all__ = ["build_app", "run"]

_log = log("enrich")
SERVICE = "enrich"


def build_app(
    settings: Settings,
    *,
    tune_gc_after_load: bool = False,
    load_now: bool = False,
    abandoned: threading.Event | None = None,
) -> faust.App:
    """The faust app; `tune_gc_after_load` (the worker process, not tests) freezes the loaded model
    out of garbage collection and collects less often (bootstrap.tune_gc). `load_now` starts
    loading the model at once, so it loads while the worker joins its group (faust starts app
    tasks only after the join and table recovery: a restart used to wait for both in turn).
    `abandoned`, once set (the broker refused the start), keeps that load from logging after the
    error line, which must stay the process's last."""
    topics = Topics.from_settings(settings)
    app = faust.App(
        f"{settings.topic_prefix}-enrich",
        broker=f"kafka://{settings.kafka_bootstrap}",
        **faust_security(settings),
        store="memory://",
        web_enabled=False,
        datadir=str(settings.data_dir / "enrich"),
        topic_partitions=settings.topic_partitions,
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        **faust_group_options(settings, SERVICE),
    )
    raw = app.topic(topics.raw, key_serializer="raw", value_serializer="raw")
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nlp")
    loading: list[Future[EnrichBatch]] = []

    async def send(topic: str, key: bytes | None, value: bytes) -> None:
        fut = await app.producer.send(topic, key, value, partition=None, timestamp=None, headers=None)
        await fut

    dead_letters = DeadLetters(topics.deadletter, SERVICE, send)

    def load() -> EnrichBatch:
        from newswire.enrich.pipeline import Enricher

        batch = EnrichBatch(Enricher.from_settings(settings))
        if tune_gc_after_load:
            tune_gc()
        if abandoned is None or not abandoned.is_set():  # after a refused start the error stays last
            _log.info("model loaded", extra={"model": settings.spacy_model})
        return batch

    def model() -> Future[EnrichBatch]:
        # Loading spaCy takes seconds: once, off the event loop, before the first batch.
        if not loading:
            loading.append(executor.submit(load))
        return loading[0]

    if load_now:
        model()

    @app.task
    async def load_model() -> None:
        await asyncio.wrap_future(model())

    @app.agent(raw)
    async def enrich(stream: faust.StreamT) -> None:
        size, within = settings.enrich_batch_size, settings.enrich_batch_seconds
        # take_events exists on faust-streaming's Stream but not on its StreamT protocol.
        async for batch in stream.take_events(size, within=within):  # type: ignore[attr-defined]
            batcher = await asyncio.wrap_future(model())
            messages = [e.message for e in batch]
            records = [InRecord(m.topic, m.partition, m.offset, m.key, m.value) for m in messages]
            started = time.perf_counter()
            out = await asyncio.get_running_loop().run_in_executor(executor, batcher, records)
            STAGE_SECONDS.labels(SERVICE, "nlp").observe(time.perf_counter() - started)
            await publish(out)

    async def publish(out: Outbox) -> None:
        sends = [send(topics.enriched, encode_key(a.id), encode(a)) for a in out.enriched]
        sends += [send(topics.events, encode_key(ev.id), encode(ev)) for ev in out.events]
        await asyncio.gather(*sends)
        for rec, reason in out.dead:
            await dead_letters.publish(
                topic=rec.topic, partition=rec.partition, offset=rec.offset,
                key=rec.key, value=rec.value, error=reason,
            )  # fmt: skip
        MESSAGES.labels(SERVICE, "enriched").inc(len(out.enriched))
        MESSAGES.labels(SERVICE, "dead").inc(len(out.dead))
        if out.enriched:
            _log.info("batch enriched", extra={"articles": len(out.enriched), "events": len(out.events)})

    return app


def run(settings: Settings) -> None:
    """Create missing topics, then run the worker until SIGINT/SIGTERM."""
    connectivity.install(
        SERVICE, settings.kafka_bootstrap,
        log_interval=settings.kafka_outage_log_interval, backoff_max=settings.kafka_reconnect_backoff_max,
    )  # fmt: skip
    abandoned = threading.Event()
    app = build_app(settings, tune_gc_after_load=True, load_now=True, abandoned=abandoned)  # loads meanwhile
    try:
        asyncio.run(ensure_topics(settings))
    except BaseException:
        abandoned.set()
        raise
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    serve_metrics(settings.metrics_port)
    worker = faust.Worker(
        app,
        loglevel=settings.log_level.lower(),
        logging_config=logging_config(settings.log_level, settings.log_format),  # our JSON lines, once
        quiet=True,
        redirect_stdouts=False,
    )
    worker.execute_from_commandline()
