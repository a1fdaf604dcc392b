"""`newswire ingest publish seeds/` + the poller: the demo's seed arrives through the feed door
with the same title, body and dateline as through the file door."""

from __future__ import annotations

import json
from pathlib import Path

from newswire.ingest.config import IngestConfig
from newswire.ingest.dedup import SeenSet
from newswire.ingest.feeds import FeedSpec
from newswire.ingest.fetch import Fetcher
from newswire.ingest.localfeed import FeedPublisher
from newswire.ingest.pipeline import Ingestor
from newswire.ingest.poller import Poller
from newswire.ingest.state import open_state
from unit.ingest.fakes import ListSink

ROOT = Path(__file__).resolve().parents[3]


async def test_seeds_through_a_local_feed(tmp_path: Path) -> None:
    drop = tmp_path / "seeds"
    drop.mkdir()
    seed = (ROOT / "seeds" / "2024-05-16_xi-putin-beijing.jsonl").read_text(encoding="utf-8")
    (drop / "a.jsonl").write_text(seed, encoding="utf-8")
    publisher = FeedPublisher(drop).start()
    try:
        spec = FeedSpec(url=publisher.url, name="local")
        sink = ListSink()
        async with Fetcher(IngestConfig()) as fetcher:
            poller = Poller([spec], fetcher, Ingestor(sink, SeenSet(open_state(None))))
            assert len((await poller.poll(spec)).produced) == 1
            assert (await poller.poll(spec)).produced == []  # 304 by ETag
            more = {"title": "Second", "body": "MOSCOW (AP) — Later.", "published_at": "2024-05-17T08:00:00Z"}
            (drop / "b.jsonl").write_text(json.dumps(more) + "\n", encoding="utf-8")  # "publishing"
            assert len((await poller.poll(spec)).produced) == 1
    finally:
        publisher.stop()
    original = json.loads(seed)
    via_feed = sink.articles[0]
    assert (via_feed.title, via_feed.body) == (original["title"], original["body"])
    assert (via_feed.dateline, via_feed.agency, via_feed.language) == ("BEIJING", "Agencies", "en")
    assert via_feed.published_at.isoformat() == original["published_at"]
    assert [a.title for a in sink.articles] == [original["title"], "Second"]
