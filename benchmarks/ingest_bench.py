"""Ingest benchmark: feed entries/s (fetch + parse + normalise + dedup + produce, acks=all) and
publish-to-raw-topic latency for a feed polled every INTERVAL seconds. Prints one JSON object.

    .venv/bin/python benchmarks/ingest_bench.py [--entries 5000] [--interval 1.0] [--rounds 5]
        [--runs 3] [--workers N] [--bootstrap HOST:PORT]   # default: a throw-away local broker

Everything is local: a feed served by http.server on 127.0.0.1, a real Kafka broker.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import tempfile
import threading
import time
import uuid
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from aiokafka import AIOKafkaConsumer

from newswire.contracts import utcnow
from newswire.ingest.config import IngestConfig
from newswire.ingest.dedup import SeenSet
from newswire.ingest.feeds import FeedSpec, parse_feed
from newswire.ingest.fetch import Fetcher
from newswire.ingest.pipeline import Candidate, Ingestor, prepare
from newswire.ingest.poller import Poller
from newswire.ingest.sink import KafkaSink
from newswire.ingest.state import open_state
from newswire.ingest.workers import CpuPool
from newswire.kafka import Topics, ensure_topics
from newswire.kafka.local_broker import LocalBroker
from newswire.settings import Settings

BODY = (
    "<p>{place} (AP) — Officials from both governments met on Thursday to discuss trade, energy and "
    "security, the {n}th round of talks this year.</p><p>The delegations agreed to meet again next "
    "month, according to a statement released after the meeting by the foreign ministry.</p>"
)
PLACES = ["BEIJING", "WASHINGTON", "MOSCOW", "NEW DELHI", "BERLIN"]


def item(n: int, tag: str) -> str:
    return (
        f"<item><title>Talks round {n} ({tag})</title><link>http://example.org/{tag}/{n}</link>"
        f"<description><![CDATA[{BODY.format(place=PLACES[n % 5], n=n)}]]></description>"
        f"<pubDate>Thu, 16 May 2024 09:00:00 GMT</pubDate><guid>{tag}-{n}</guid></item>"
    )


def write_feed(path: Path, items: list[str]) -> None:
    doc = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Bench</title>'
        f"<link>http://example.org/</link><description>b</description>{''.join(items)}</channel></rss>"
    )
    tmp = path.with_suffix(".tmp")
    tmp.write_text(doc, encoding="utf-8")
    tmp.replace(path)  # atomic: the poller never sees half a feed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        return None


async def throughput(
    settings: Settings, config: IngestConfig, base: str, www: Path, n: int, runs: int
) -> dict[str, object]:
    """`runs` polls of a fresh N-entry feed each (new links: nothing is a duplicate)."""
    feeds = []
    for r in range(runs):
        write_feed(www / f"big{r}.xml", [item(i, f"tp{r}") for i in range(n)])
        feeds.append(FeedSpec(url=f"{base}/big{r}.xml", name=f"bench{r}"))
    content = (www / "big0.xml").read_bytes()
    t = time.perf_counter()
    parsed = parse_feed(content, spec=feeds[0], now=utcnow())
    parse_s = time.perf_counter() - t
    t = time.perf_counter()
    for e in parsed.entries:
        prepare(e.candidate)
    normalise_s = time.perf_counter() - t
    rates = []
    async with KafkaSink(settings) as sink, Fetcher(config) as fetcher:
        ingestor = Ingestor(sink, SeenSet(open_state(config.state_path)))
        await ingestor.submit([Candidate("warm-up", {"body": "warm", "published_at": utcnow()})], "bench")
        pool = CpuPool(config.ingest_cpu_workers)
        await pool.warm_up()  # as the service does at start-up
        poller = Poller(feeds, fetcher, ingestor, pool=pool)
        for spec in feeds:
            t = time.perf_counter()
            report = await poller.poll(spec)  # fetch + parse + normalise + dedup + produce, all acked
            rates.append(n / (time.perf_counter() - t))
            assert len(report.produced) == n, report.summary()
        pool.close()
    return {
        "entries_per_run": n,
        "cpu_workers": config.ingest_cpu_workers,
        "entries_per_s_runs": [round(r, 1) for r in rates],
        "entries_per_s_median": round(statistics.median(rates), 1),
        "entries_per_s_best": round(max(rates), 1),
        "parse_only_entries_per_s": round(n / parse_s, 1),
        "normalise_validate_only_entries_per_s": round(n / normalise_s, 1),
    }


async def latency(
    settings: Settings, config: IngestConfig, url: str, feed: Path, interval: float, rounds: int
) -> dict:
    spec = FeedSpec(url=url, name="latency", interval=interval)
    items = [item(i, "lat-old") for i in range(20)]
    write_feed(feed, items)
    raw = Topics.from_settings(settings).raw
    consumer = AIOKafkaConsumer(raw, bootstrap_servers=settings.kafka_bootstrap, auto_offset_reset="latest")
    await consumer.start()
    stop = asyncio.Event()
    samples = []
    async with KafkaSink(settings) as sink, Fetcher(config) as fetcher:
        poller = Poller([spec], fetcher, Ingestor(sink, SeenSet(open_state(None))))
        task = asyncio.create_task(poller.run(stop))
        await asyncio.sleep(interval + 1.5)  # first poll done; consumer positioned
        await consumer.getmany(timeout_ms=500)
        for r in range(rounds):
            await asyncio.sleep(1.1)  # Last-Modified has 1 s resolution
            items.insert(0, item(r, "lat-new"))
            write_feed(feed, items)
            t0 = time.monotonic()
            want = f"Talks round {r} (lat-new)".encode()
            found = False
            while not found and time.monotonic() - t0 < interval + 10:
                for recs in (await consumer.getmany(timeout_ms=50)).values():
                    found = found or any(want in rec.value for rec in recs)
            samples.append(time.monotonic() - t0)
        stop.set()
        await task
    await consumer.stop()
    return {
        "poll_interval_s": interval,
        "rounds": rounds,
        "latency_s_max": round(max(samples), 3),
        "latency_s_median": round(statistics.median(samples), 3),
        "target_s": interval + 1.0,
        "met": max(samples) <= interval + 1.0,
    }


async def main(args: argparse.Namespace) -> dict[str, object]:
    work = Path(tempfile.mkdtemp(prefix="ingest-bench-"))
    broker = None
    bootstrap = args.bootstrap
    if not bootstrap:
        broker = LocalBroker(
            home=Path.home() / ".cache" / "newswire" / "kafka",
            port=free_port(),
            controller_port=free_port(),
            heap="512m",
            state=work / "kafka",
        )
        broker.start()
        bootstrap = broker.bootstrap
    www = work / "www"
    www.mkdir()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(www)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        settings = Settings(
            kafka_bootstrap=bootstrap, topic_prefix=f"bench{uuid.uuid4().hex[:6]}", data_dir=work / "data"
        )
        config = IngestConfig.from_settings(settings, ingest_cpu_workers=args.workers)
        await ensure_topics(settings)
        out: dict[str, object] = {
            "throughput": await throughput(settings, config, base, www, args.entries, args.runs)
        }
        out["latency"] = await latency(
            settings, config, f"{base}/wire.xml", www / "wire.xml", args.interval, args.rounds
        )
        out["machine"] = {
            "cpus": os.cpu_count(),
            # the cores are shared with other work: read the numbers with this
            "load_avg_1m_at_end": round(os.getloadavg()[0], 2),
            "broker": "local KRaft, 1 node, same machine" if broker else bootstrap,
        }
        return out
    finally:
        httpd.shutdown()
        if broker:
            broker.stop()


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--entries", type=int, default=5_000)
    p.add_argument("--interval", type=float, default=1.0)
    p.add_argument("--rounds", type=int, default=5, help="latency samples")
    p.add_argument("--runs", type=int, default=3, help="throughput runs (the machine is shared: median)")
    p.add_argument("--bootstrap", default=None)
    p.add_argument("--workers", type=int, default=None, help="ingest_cpu_workers (default: IngestConfig's)")
    print(json.dumps(asyncio.run(main(p.parse_args())), indent=2))
