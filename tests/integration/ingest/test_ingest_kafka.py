"""Doors to the real raw topic: `newswire ingest file` as the demo runs it, and the service
(`newswire run ingest`: HTTP push + feed poller) against a local feed server."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from conftest import free_port
from integration.ingest.feedserver import FeedServer, rss
from integration.ingest.topic_reader import read_topic
from newswire.contracts import DeadLetter, RawArticle
from newswire.ingest.app import serve
from newswire.ingest.config import IngestConfig
from newswire.ingest.localfeed import FeedPublisher
from newswire.kafka import Topics, decode, ensure_topics
from newswire.settings import Settings

ROOT = Path(__file__).resolve().parents[3]


def _env(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "NEWSWIRE_KAFKA_BOOTSTRAP": settings.kafka_bootstrap,
        "NEWSWIRE_TOPIC_PREFIX": settings.topic_prefix,
        "NEWSWIRE_TOPIC_PARTITIONS": str(settings.topic_partitions),
        "NEWSWIRE_DATA_DIR": str(settings.data_dir),
        "NEWSWIRE_LOG_FORMAT": "text",
    }


def cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newswire", "ingest", *args],
        env=_env(settings),
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_ingest_file_seeds_as_the_demo_does(settings: Settings) -> None:
    first = cli(settings, "file", str(ROOT / "seeds"))
    assert first.returncode == 0, first.stderr
    assert "produced 1, duplicates 0, rejected 0" in first.stdout
    topics = Topics.from_settings(settings)
    (record,) = await read_topic(settings.kafka_bootstrap, topics.raw, expect=1)
    article = decode(RawArticle, record.value)
    assert record.key == article.id.encode()
    assert (article.dateline, article.agency, article.source) == ("BEIJING", "Agencies", "seed")

    again = cli(settings, "file", str(ROOT / "seeds"))
    assert again.returncode == 0 and "produced 0, duplicates 1, rejected 0" in again.stdout
    forced = cli(settings, "file", str(ROOT / "seeds"), "--no-dedup")
    assert forced.returncode == 0 and "produced 1, duplicates 0, rejected 0" in forced.stdout
    records = await read_topic(settings.kafka_bootstrap, topics.raw, expect=2)
    assert [r.key for r in records] == [record.key, record.key]  # same id on every replay


async def test_bad_lines_are_reported_dead_lettered_and_the_rest_produced(
    settings: Settings, tmp_path: Path
) -> None:
    f = tmp_path / "mixed.jsonl"
    good = {"title": "Ok", "body": "Fine body.", "published_at": "2024-05-16T09:00:00Z"}
    f.write_text(
        # An undated article is an article (no day is guessed for it later); a bodiless one is not.
        "\n".join([json.dumps(good), "{broken", json.dumps({"title": "no body"}),
                   json.dumps({"body": "no date"})]) + "\n",
        encoding="utf-8",
    )
    out = cli(settings, "file", str(f))
    assert out.returncode == 1
    assert "produced 2, duplicates 0, rejected 2" in out.stdout
    assert f"{f}:2: not JSON" in out.stderr
    assert f"{f}:3: invalid RawArticle: body" in out.stderr and f"{f}:4:" not in out.stderr
    topics = Topics.from_settings(settings)
    records = await read_topic(settings.kafka_bootstrap, topics.deadletter, expect=2)
    dead = sorted((decode(DeadLetter, r.value) for r in records), key=lambda d: d.offset or 0)  # 2 partitions
    assert [(d.topic, d.offset, d.service) for d in dead] == [(str(f), 2, "ingest"), (str(f), 3, "ingest")]
    assert dead[0].error.startswith("not JSON")


async def test_dry_run_prints_and_produces_nothing(settings: Settings) -> None:
    out = cli(settings, "file", str(ROOT / "seeds"), "--dry-run")
    assert out.returncode == 0
    (line,) = out.stdout.splitlines()
    assert RawArticle.model_validate_json(line).source == "seed"
    assert "produced 1" in out.stderr
    await ensure_topics(settings)  # a dry run creates nothing, not even topics
    assert (
        await read_topic(settings.kafka_bootstrap, Topics.from_settings(settings).raw, expect=1, within=3)
        == []
    )


async def test_feed_command_once_dry_run(settings: Settings, feed_server: FeedServer) -> None:
    (feed_server.root / "feed.xml").write_bytes(
        rss([{"title": "One", "link": "http://example.org/1", "description": "First body."}])
    )
    out = await asyncio.to_thread(cli, settings, "feed", feed_server.url("feed.xml"), "--once", "--dry-run")
    assert out.returncode == 0, out.stderr
    (line,) = out.stdout.splitlines()
    assert RawArticle.model_validate_json(line).url == "http://example.org/1"


async def test_service_push_and_feed_each_article_once_within_interval(
    settings: Settings, feed_server: FeedServer, tmp_path: Path
) -> None:
    settings = settings.model_copy(update={"ingest_port": free_port()})
    interval = 0.5
    items = [{"title": "Old news", "link": "http://example.org/old", "description": "Was there first."}]
    (feed_server.root / "wire.xml").write_bytes(rss(items))
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(
        f"feeds:\n  - url: {feed_server.url('wire.xml')}\n    name: local-wire\n    interval: {interval}\n"
    )
    stop = asyncio.Event()
    service = asyncio.create_task(
        serve(settings, IngestConfig.from_settings(settings, feeds_file=feeds), stop=stop)
    )
    topics = Topics.from_settings(settings)
    try:
        base = f"http://127.0.0.1:{settings.ingest_port}"
        async with httpx.AsyncClient(base_url=base) as http:
            for _ in range(100):
                try:
                    if (await http.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
            pushed = {
                "title": "Pushed",
                "body": "WASHINGTON (AP) — Pushed body.",
                "published_at": "2024-05-16T09:00:00Z",
            }
            r = await http.post("/articles", json=[pushed, pushed])
            assert r.status_code == 202 and r.json()["produced"] == 1 and r.json()["duplicates"] == 1
            await read_topic(settings.kafka_bootstrap, topics.raw, expect=2, settle=0)  # old news + pushed
            items.insert(
                0, {"title": "Breaking", "link": "http://example.org/new", "description": "Just now."}
            )
            (feed_server.root / "wire.xml").write_bytes(rss(items))
            published = time.monotonic()
            records = await read_topic(settings.kafka_bootstrap, topics.raw, expect=3, settle=0)
            latency = time.monotonic() - published
            assert latency <= interval + 1.0, latency
            await asyncio.sleep(4 * interval)  # a few more polls: nothing new must appear
            records = await read_topic(settings.kafka_bootstrap, topics.raw, expect=3, settle=0.5)
            metrics = (await http.get("/metrics")).text
    finally:
        stop.set()
        await asyncio.wait_for(service, 30)
    titles = sorted(decode(RawArticle, r.value).title for r in records)
    assert titles == ["Breaking", "Old news", "Pushed"]
    assert 'newswire_ingest_feed_polls_total{feed="local-wire",outcome="not_modified"}' in metrics


async def test_service_process_fed_by_a_local_feed_stops_cleanly(settings: Settings, tmp_path: Path) -> None:
    """The service as a process (`newswire ingest serve --feeds`, i.e. `newswire run ingest` plus a
    feeds file), polling `newswire ingest publish seeds/`; SIGTERM ends it cleanly."""
    publisher = FeedPublisher(ROOT / "seeds").start()
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(f"- url: {publisher.url}\n  name: local-seeds\n  interval: 0.5\n")
    env = {**_env(settings), "NEWSWIRE_INGEST_PORT": str(free_port())}
    proc = subprocess.Popen(  # starting it does not block; waiting runs in a thread
        [sys.executable, "-m", "newswire", "ingest", "serve", "--feeds", str(feeds)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        records = await read_topic(
            settings.kafka_bootstrap, Topics.from_settings(settings).raw, expect=1, settle=2.0
        )
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.to_thread(proc.communicate, timeout=30)
        publisher.stop()
    assert len(records) == 1  # polled several times, produced once
    assert decode(RawArticle, records[0].value).dateline == "BEIJING"
    assert proc.returncode == 0, err[-2000:]
    assert "Traceback" not in err, err[-2000:]
