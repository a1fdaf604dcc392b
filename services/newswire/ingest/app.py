"""Composition root of the ingest service (`newswire run ingest`): the HTTP push server
(/articles, /healthz, /metrics), the feed poller when a feeds file is configured and the
file-drop watcher when a watch directory is, all sharing one producer and one seen-set."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import signal
from collections.abc import Iterator
from pathlib import Path

import uvicorn

from newswire.apikeys import ApiKeys
from newswire.ingest.config import IngestConfig
from newswire.ingest.dedup import SeenSet
from newswire.ingest.feeds import load_feeds
from newswire.ingest.fetch import Fetcher
from newswire.ingest.files import ingest_path
from newswire.ingest.pipeline import Ingestor
from newswire.ingest.poller import Poller
from newswire.ingest.push import create_app
from newswire.ingest.sink import KafkaSink
from newswire.ingest.state import open_state
from newswire.ingest.watch import FileLedger, watch_dir
from newswire.ingest.workers import CpuPool
from newswire.kafka import connectivity, ensure_topics
from newswire.observability import log
from newswire.settings import Settings

__all__ = ["run", "serve"]

_log = log("ingest")


async def serve(settings: Settings, config: IngestConfig, *, stop: asyncio.Event | None = None) -> None:
    """Run until SIGINT/SIGTERM or until `stop` is set; then finish in-flight work and close."""
    feeds = load_feeds(config.feeds_file) if config.feeds_file else []  # a bad feeds file fails now
    stop = stop or asyncio.Event()
    await ensure_topics(settings)
    db = open_state(config.state_path)
    try:
        async with (
            KafkaSink(settings) as sink,
            Fetcher(config) as fetcher,
            contextlib.AsyncExitStack() as stack,
        ):
            ingestor = Ingestor(sink, SeenSet(db, capacity=config.ingest_dedup_capacity))
            tasks = []
            if feeds:
                pool = CpuPool(config.ingest_cpu_workers)
                stack.callback(pool.close)
                await pool.warm_up()
                poller = Poller(
                    feeds, fetcher, ingestor, db=db, backoff_max=config.ingest_backoff_max, pool=pool
                )
                tasks.append(asyncio.create_task(poller.run(stop), name="feeds"))
            if config.ingest_watch_dir:
                handle = functools.partial(_ingest_file, ingestor)
                watch = watch_dir(
                    config.ingest_watch_dir,
                    handle,
                    FileLedger(db),
                    interval=config.ingest_watch_interval,
                    stop=stop,
                )
                tasks.append(asyncio.create_task(watch, name="watch"))
            server = _Server(
                uvicorn.Config(
                    create_app(ingestor, config, api_keys=ApiKeys.from_settings(settings)),
                    host=settings.ingest_host,
                    port=settings.ingest_port,
                    log_config=None,
                    access_log=False,
                    lifespan="off",
                )
            )
            tasks.append(asyncio.create_task(_exit_on(stop, server), name="stop"))
            _log.info(
                "ingest running",
                extra={"http": f"{settings.ingest_host}:{settings.ingest_port}", "feeds": len(feeds),
                       "watch": str(config.ingest_watch_dir or "")},
            )  # fmt: skip
            try:
                with _stop_on_signals(stop):
                    await server.serve()
            finally:
                stop.set()
                await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        db.close()


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # uvicorn would re-raise SIGTERM after its own shutdown and so kill the process before the
        # producer, the workers and the state file are closed; `serve` owns the signals instead.
        yield


@contextlib.contextmanager
def _stop_on_signals(stop: asyncio.Event) -> Iterator[None]:
    loop = asyncio.get_running_loop()
    installed = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
            installed.append(sig)
        except (RuntimeError, ValueError):  # not the main thread (tests): `stop` is the way
            pass
    try:
        yield
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)


async def _exit_on(stop: asyncio.Event, server: uvicorn.Server) -> None:
    await stop.wait()
    server.should_exit = True


async def _ingest_file(ingestor: Ingestor, path: Path) -> None:
    report = await ingest_path(ingestor, path)  # rejections are logged and dead-lettered on the way
    _log.info("file ingested", extra={"path": str(path), "summary": report.summary()})


def run(settings: Settings, config: IngestConfig | None = None) -> None:
    connectivity.install(
        "ingest", settings.kafka_bootstrap,
        log_interval=settings.kafka_outage_log_interval, backoff_max=settings.kafka_reconnect_backoff_max,
    )  # fmt: skip
    asyncio.run(serve(settings, config or IngestConfig.from_settings(settings)))
