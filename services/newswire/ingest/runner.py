"""The one-shot doors behind `newswire ingest file|feed`: same Ingestor, a Kafka or dry-run sink,
a report on the terminal. Exit codes: 0 all produced (or duplicates), 1 some input rejected (each
reported as "where: reason" and dead-lettered), 3 not delivered (Kafka unreachable)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Coroutine
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any, TextIO

from newswire.errors import TransientError
from newswire.ingest.config import IngestConfig
from newswire.ingest.dedup import SeenSet
from newswire.ingest.feeds import FeedSpec
from newswire.ingest.fetch import Fetcher
from newswire.ingest.files import ingest_path
from newswire.ingest.pipeline import Ingestor, Report, Sink
from newswire.ingest.poller import FeedError, Poller
from newswire.ingest.sink import DryRunSink, KafkaSink
from newswire.ingest.state import open_state
from newswire.ingest.watch import FileLedger, watch_dir
from newswire.kafka import Topics, ensure_topics
from newswire.progress import progress
from newswire.settings import Settings

__all__ = ["EXIT_NOT_DELIVERED", "EXIT_REJECTED", "run_feed", "run_files"]

EXIT_REJECTED = 1
EXIT_NOT_DELIVERED = 3


@asynccontextmanager
async def _door(
    settings: Settings, config: IngestConfig, *, dry_run: bool, dedup: bool, out: TextIO
) -> AsyncIterator[tuple[Ingestor, sqlite3.Connection, str]]:
    path = config.state_path
    # A dry run reads the durable seen-set when there is one, and never writes it.
    db = open_state(None if dry_run and not path.exists() else path)
    try:
        async with AsyncExitStack() as stack:
            sink: Sink
            if dry_run:
                sink, target = DryRunSink(out), "stdout (dry run)"
            else:
                await ensure_topics(settings)
                sink = await stack.enter_async_context(KafkaSink(settings))
                target = Topics.from_settings(settings).raw
            seen = SeenSet(db, capacity=config.ingest_dedup_capacity, readonly=dry_run) if dedup else None
            yield Ingestor(sink, seen), db, target
    finally:
        db.close()


def _report(report: Report, label: str, target: str, out: TextIO, err: TextIO) -> int:
    for where, reason in report.rejected:
        err.write(f"{where}: {reason}\n")
    out.write(f"{label}: {report.summary()} -> {target}\n")
    out.flush()
    return EXIT_REJECTED if report.rejected else 0


async def run_files(
    settings: Settings, config: IngestConfig, path: Path, *, watch: bool, dry_run: bool, dedup: bool,
    out: TextIO, err: TextIO,
) -> int:  # fmt: skip
    summary_to = err if dry_run else out  # keep a dry run's stdout pure JSON lines
    if not path.exists():  # noqa: ASYNC240 (one stat before anything starts)
        err.write(f"{path}: no such file or directory\n")
        return 2
    try:
        async with _door(settings, config, dry_run=dry_run, dedup=dedup, out=out) as (ingestor, db, target):
            if not watch:
                # A dry run's articles go to stdout as they are read: no bar when that is the terminal.
                with progress(f"ingest {path}", to=err, beside=out if dry_run else None) as advance:
                    report = await ingest_path(ingestor, path, advance=advance)
                return _report(report, str(path), target, summary_to, err)

            async def handle(file: Path) -> None:
                _report(await ingest_path(ingestor, file), str(file), target, summary_to, err)

            err.write(f"watching {path} (Ctrl-C to stop)\n")
            await watch_dir(path, handle, FileLedger(db), interval=config.ingest_watch_interval)
            return 0
    except TransientError as e:
        err.write(f"error: not delivered: {e}\n")
        return EXIT_NOT_DELIVERED


async def run_feed(
    settings: Settings, config: IngestConfig, spec: FeedSpec, *, once: bool, dry_run: bool, dedup: bool,
    out: TextIO, err: TextIO,
) -> int:  # fmt: skip
    summary_to = err if dry_run else out
    try:
        async with (
            _door(settings, config, dry_run=dry_run, dedup=dedup, out=out) as (ingestor, db, target),
            Fetcher(config) as fetcher,
        ):
            poller = Poller(
                [spec], fetcher, ingestor, db=db, backoff_max=config.ingest_backoff_max, remember=not dry_run
            )
            if not once:
                await poller.run()
                return 0
            try:
                report = await poller.poll(spec)
            except FeedError as e:
                err.write(f"{spec.url}: {e.kind}: {e}\n")
                return EXIT_REJECTED
            return _report(report, spec.url, target, summary_to, err)
    except TransientError as e:
        err.write(f"error: not delivered: {e}\n")
        return EXIT_NOT_DELIVERED


def run(coro: Coroutine[Any, Any, int]) -> int:
    try:
        return asyncio.run(coro)
    except KeyboardInterrupt:
        return 130
