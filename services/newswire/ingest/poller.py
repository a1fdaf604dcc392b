"""The feed poller: one loop per feed, conditional GET, per-feed exponential backoff, optional
full-text fetch, everything through the shared `Ingestor`. A feed's problems are logged and
counted; they never stop the other feeds or the service."""

from __future__ import annotations

import asyncio
import functools
import random
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass

from newswire.contracts import utcnow
from newswire.errors import TransientError
from newswire.ingest.dedup import url_key
from newswire.ingest.feeds import FeedEntry, FeedSpec, parse_feed
from newswire.ingest.fetch import Fetcher, FetchError
from newswire.ingest.metrics import ARTICLES, FEED_POLLS, FEED_PROBLEMS
from newswire.ingest.pipeline import Candidate, Ingestor, Report, prepare_many
from newswire.ingest.workers import CpuPool
from newswire.observability import log

__all__ = ["FeedError", "Poller", "backoff_delay"]

_log = log("ingest.feeds")
_CHUNK = 250  # entries per worker task: small enough to pipeline, large enough to amortise pickling


class FeedError(Exception):
    def __init__(self, kind: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.retry_after = retry_after


def backoff_delay(interval: float, failures: int, cap: float, retry_after: float | None = None) -> float:
    """interval * 2^failures (jittered ±10 %), at most `cap`; a server's Retry-After wins if longer."""
    delay = min(cap, interval * 2 ** min(failures, 20)) * random.uniform(0.9, 1.1)
    return float(max(delay, min(retry_after or 0.0, cap)))


@dataclass
class _Validators:
    etag: str | None = None
    last_modified: str | None = None


class Poller:
    def __init__(
        self,
        feeds: Sequence[FeedSpec],
        fetcher: Fetcher,
        ingestor: Ingestor,
        *,
        db: sqlite3.Connection | None = None,
        backoff_max: float = 3_600.0,
        remember: bool = True,
        pool: CpuPool | None = None,
    ) -> None:
        self.feeds = list(feeds)
        self.fetcher = fetcher
        self.ingestor = ingestor
        self.backoff_max = backoff_max
        self._db = db
        self._remember = remember  # False for dry runs: no validators written
        self.pool = pool or CpuPool(0)
        self._validators: dict[str, _Validators] = {}

    # ------------------------------------------------------------------ one poll

    async def poll(self, spec: FeedSpec) -> Report:
        """Fetch, parse and ingest one feed once. Raises FeedError or TransientError."""
        v = self._load(spec.url)
        try:
            fetched = await self.fetcher.get(spec.url, etag=v.etag, last_modified=v.last_modified)
        except FetchError as e:
            self._problem(spec, e.kind, str(e))
            raise FeedError(e.kind, str(e), e.retry_after) from None
        if fetched.not_modified:
            FEED_POLLS.labels(spec.name, "not_modified").inc()
            return Report()
        parse = functools.partial(
            parse_feed,
            fetched.content,
            spec=spec,
            now=utcnow(),
            content_type=fetched.headers.get("content-type"),
        )
        parsed = await self.pool.run(parse)
        for kind, detail in parsed.problems:
            self._problem(spec, kind, detail)
        if parsed.fatal:
            raise FeedError("malformed", parsed.fatal)
        report, fresh = Report(), []
        for entry in parsed.entries:
            if self._seen_link(entry):  # cheap check first: known links skip normalisation and page fetches
                report.duplicates.append(entry.link or "")
                continue
            fresh.append(entry)
            for kind in entry.problems:  # counted once per new entry, not on every poll
                self._problem(spec, kind, f"{entry.candidate.where}: {entry.link or '(no link)'}")
        if report.duplicates:
            ARTICLES.labels("feed", "duplicate").inc(len(report.duplicates))
        if spec.full_text:
            fresh = await asyncio.gather(*(self._with_full_text(spec, e) for e in fresh))
        # Workers prepare chunk k+1 while this loop produces chunk k.
        chunks = [[e.candidate for e in fresh[i : i + _CHUNK]] for i in range(0, len(fresh), _CHUNK)]
        pending = [asyncio.ensure_future(self.pool.run(prepare_many, chunk)) for chunk in chunks]
        try:
            for future in pending:
                report.merge(await self.ingestor.submit_prepared(await future, "feed"))
        except TransientError as e:
            self._problem(spec, "produce", str(e))
            raise
        finally:
            for future in pending:
                future.cancel()
        self._store(spec.url, _Validators(fetched.headers.get("etag"), fetched.headers.get("last-modified")))
        FEED_POLLS.labels(spec.name, "ok").inc()
        _log.info(
            "feed polled",
            extra={"feed": spec.name, "entries": len(parsed.entries), "produced": len(report.produced),
                   "duplicates": len(report.duplicates), "rejected": len(report.rejected)},
        )  # fmt: skip
        return report

    def _seen_link(self, entry: FeedEntry) -> bool:
        seen = self.ingestor.seen
        return bool(seen is not None and entry.link and seen.seen([url_key(entry.link)]))

    async def _with_full_text(self, spec: FeedSpec, entry: FeedEntry) -> FeedEntry:
        if not (entry.summary_only and entry.link and entry.candidate.fields):
            return entry
        try:
            page = await self.fetcher.get(entry.link, kind="page")
            text = await asyncio.to_thread(_extract, page.content, page.url)
        except FetchError as e:
            text, why = None, f"{e.kind}: {e}"
        except Exception as e:  # the extractor choked on the page: the summary will do
            text, why = None, repr(e)
        else:
            why = "no main text found"
        if not text:
            self._problem(spec, "full_text_failed", f"{entry.link}: {why}")
            return entry
        c = entry.candidate
        fields = {**c.fields, "body": text} if c.fields is not None else None
        return FeedEntry(Candidate(c.origin, fields, c.raw, c.line, c.error, c.language), entry.link, False)

    # ------------------------------------------------------------------ loops

    async def run(self, stop: asyncio.Event | None = None) -> None:
        stop = stop or asyncio.Event()
        await asyncio.gather(*(self._loop(spec, stop) for spec in self.feeds))

    async def _loop(self, spec: FeedSpec, stop: asyncio.Event) -> None:
        failures = 0
        while not stop.is_set():
            started = time.monotonic()
            try:
                await self.poll(spec)
                failures, delay = 0, spec.interval
            except (FeedError, TransientError) as e:
                failures += 1
                delay = backoff_delay(
                    spec.interval, failures, self.backoff_max, getattr(e, "retry_after", None)
                )
                FEED_POLLS.labels(spec.name, "error").inc()
                _log.warning(
                    "feed poll failed",
                    extra={"feed": spec.name, "error": str(e), "retry_in": round(delay, 2)},
                )
            except Exception:  # a bug must not take the other feeds down with it
                failures += 1
                delay = backoff_delay(spec.interval, failures, self.backoff_max)
                FEED_POLLS.labels(spec.name, "error").inc()
                _log.exception("feed poll crashed", extra={"feed": spec.name})
            remaining = delay - (time.monotonic() - started) if failures == 0 else delay
            try:
                await asyncio.wait_for(stop.wait(), timeout=max(0.0, remaining))
            except TimeoutError:
                pass

    # ------------------------------------------------------------------ state

    def _problem(self, spec: FeedSpec, kind: str, detail: str) -> None:
        FEED_PROBLEMS.labels(spec.name, kind).inc()
        _log.warning("feed problem", extra={"feed": spec.name, "kind": kind, "detail": detail[:300]})

    def _load(self, url: str) -> _Validators:
        if url not in self._validators:
            row = None
            if self._db is not None:
                row = self._db.execute(
                    "SELECT etag, last_modified FROM feeds WHERE url = ?", (url,)
                ).fetchone()
            self._validators[url] = _Validators(*row) if row else _Validators()
        return self._validators[url]

    def _store(self, url: str, v: _Validators) -> None:
        if not self._remember:
            return
        self._validators[url] = v
        if self._db is not None:
            self._db.execute("INSERT OR REPLACE INTO feeds VALUES (?, ?, ?)", (url, v.etag, v.last_modified))


def _extract(html: bytes, url: str) -> str | None:
    import trafilatura  # heavy import, only for feeds that ask for full text

    text = trafilatura.extract(
        html, url=url, include_comments=False, include_tables=False, favor_precision=True
    )
    return str(text) if text else None
