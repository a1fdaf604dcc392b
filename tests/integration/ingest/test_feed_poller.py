"""The poller against a real HTTP server on 127.0.0.1 serving feed files written here, broken ones
included. No Kafka: articles land in a ListSink."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from prometheus_client import REGISTRY

from integration.ingest.feedserver import FeedServer, rss
from newswire.ingest.config import IngestConfig
from newswire.ingest.dedup import SeenSet
from newswire.ingest.feeds import FeedSpec
from newswire.ingest.fetch import Fetcher
from newswire.ingest.pipeline import Ingestor
from newswire.ingest.poller import FeedError, Poller
from newswire.ingest.state import open_state
from unit.ingest.fakes import ListSink

CONFIG = IngestConfig(
    ingest_fetch_max_bytes=1024 * 1024, ingest_fetch_timeout=2.0, ingest_fetch_total_timeout=3.0
)


def item(n: int, **over: str) -> dict[str, str]:
    base = {
        "title": f"Story {n}",
        "link": f"http://example.org/{n}",
        "description": f"&lt;p&gt;Body of story {n}, long enough to be an article.&lt;/p&gt;",
        "pubDate": "Thu, 16 May 2024 09:00:00 GMT",
    }
    return {**base, **over}


def problems(feed: str, kind: str) -> float:
    return (
        REGISTRY.get_sample_value("newswire_ingest_feed_problems_total", {"feed": feed, "kind": kind}) or 0.0
    )


def poller_for(specs: list[FeedSpec], sink: ListSink, db_path: Path | None = None) -> tuple[Poller, Fetcher]:
    db = open_state(db_path)
    fetcher = Fetcher(CONFIG)
    return Poller(specs, fetcher, Ingestor(sink, SeenSet(db)), db=db, backoff_max=2.0), fetcher


async def test_conditional_get_and_each_article_once(feed_server: FeedServer) -> None:
    (feed_server.root / "feed.xml").write_bytes(rss([item(1), item(2)]))
    spec = FeedSpec(url=feed_server.url("feed.xml"), name="cond")
    sink = ListSink()
    poller, fetcher = poller_for([spec], sink)
    async with fetcher:
        assert len((await poller.poll(spec)).produced) == 2
        assert len((await poller.poll(spec)).produced) == 0  # 304
        assert feed_server.requests[-1][1].get("if-none-match")
        assert "newswire-ingest" in feed_server.requests[-1][1]["user-agent"]
        (feed_server.root / "feed.xml").write_bytes(rss([item(3), item(1), item(2)]))
        report = await poller.poll(spec)
    assert len(report.produced) == 1 and len(report.duplicates) == 2
    assert [a.title for a in sink.articles] == ["Story 1", "Story 2", "Story 3"]
    assert sink.articles[0].body == "Body of story 1, long enough to be an article."
    assert sink.articles[0].source == "cond"


async def test_dedup_survives_a_restart(feed_server: FeedServer, tmp_path: Path) -> None:
    (feed_server.root / "feed.xml").write_bytes(rss([item(1)]))
    spec = FeedSpec(url=feed_server.url("feed.xml"), name="restart")
    for expected in (1, 0):
        sink = ListSink()
        poller, fetcher = poller_for([spec], sink, tmp_path / "state.sqlite3")
        async with fetcher:
            await poller.poll(spec)
        assert len(sink.articles) == expected


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("status/500", "http_status"),
        ("status/404", "http_status"),
        ("loop", "redirects"),
        ("huge.bin", "too_large"),
        ("slow", "timeout"),
        ("garbage.xml", "malformed"),
    ],
)
async def test_broken_feeds_raise_feed_errors_and_are_counted(
    feed_server: FeedServer, path: str, kind: str
) -> None:
    (feed_server.root / "garbage.xml").write_bytes(b"<html><body>Oops, <b>not a feed</b></html>\x00\x00")
    with (feed_server.root / "huge.bin").open("wb") as f:  # 50 MB
        f.truncate(50 * 1024 * 1024)
    name = f"broken-{kind}-{path.replace('/', '-')}"
    spec = FeedSpec(url=feed_server.url(path), name=name)
    poller, fetcher = poller_for([spec], ListSink())
    before = problems(name, kind)
    async with fetcher:
        with pytest.raises(FeedError) as err:
            await poller.poll(spec)
    assert err.value.kind == kind
    assert problems(name, kind) == before + 1


async def test_unreachable_host_is_a_connect_error() -> None:
    spec = FeedSpec(url="http://127.0.0.1:9/feed.xml", name="closed-port")
    poller, fetcher = poller_for([spec], ListSink())
    async with fetcher:
        with pytest.raises(FeedError) as err:
            await poller.poll(spec)
    assert err.value.kind == "connect"


async def test_malformed_but_salvageable_feeds_still_deliver(feed_server: FeedServer) -> None:
    sink = ListSink()
    # declared utf-8, actually latin-1
    (feed_server.root / "enc.xml").write_bytes(
        rss([item(1, title="Café crème")], encoding="latin-1", declared="utf-8")
    )
    # unclosed tags and a bare ampersand
    broken = rss([item(2)]).replace(b"</channel></rss>", b"<item><title>Half & half</title>")
    (feed_server.root / "unclosed.xml").write_bytes(broken)
    # no link and no date
    (feed_server.root / "bare.xml").write_bytes(rss([{"title": "Bare", "description": "A bare entry body."}]))
    specs = [FeedSpec(url=feed_server.url(p), name=n) for p, n in
             (("enc.xml", "enc"), ("unclosed.xml", "unclosed"), ("bare.xml", "bare"))]  # fmt: skip
    poller, fetcher = poller_for(specs, sink)
    before = (problems("enc", "encoding"), problems("bare", "no_link"), problems("bare", "no_date"))
    async with fetcher:
        for spec in specs:
            await poller.poll(spec)
    titles = sorted(a.title for a in sink.articles)
    assert "Story 2" in titles and "Bare" in titles
    assert any(t.startswith("Caf") for t in titles)
    after = (problems("enc", "encoding"), problems("bare", "no_link"), problems("bare", "no_date"))
    assert [a - b for a, b in zip(after, before, strict=True)] == [1, 1, 1]
    bare = next(a for a in sink.articles if a.title == "Bare")
    assert bare.url is None and bare.id.startswith("a-")


async def test_full_text_is_fetched_for_summary_only_entries(feed_server: FeedServer) -> None:
    paragraphs = "".join(
        f"<p>Paragraph {i}: the leaders discussed trade, energy and security at length in the capital.</p>"
        for i in range(8)
    )
    page = (
        "<html><head><title>x</title></head><body><nav>Home | World</nav>"
        f"<article><h1>Story</h1>{paragraphs}</article><footer>(c) 2024</footer></body></html>"
    )
    (feed_server.root / "story.html").write_text(page, encoding="utf-8")
    (feed_server.root / "feed.xml").write_bytes(
        rss(
            [
                item(1, link=feed_server.url("story.html"), description="Teaser."),
                item(2, link=feed_server.url("gone.html"), description="Teaser two."),
            ]
        )
    )
    spec = FeedSpec(url=feed_server.url("feed.xml"), name="fulltext", full_text=True)
    sink = ListSink()
    poller, fetcher = poller_for([spec], sink)
    before = problems("fulltext", "full_text_failed")
    async with fetcher:
        await poller.poll(spec)
    full, fallback = sink.articles
    assert "Paragraph 7: the leaders discussed trade" in full.body and "Home | World" not in full.body
    assert fallback.body == "Teaser two."  # 404: the summary is kept
    assert problems("fulltext", "full_text_failed") == before + 1


async def test_poller_loop_keeps_going_past_broken_feeds(feed_server: FeedServer) -> None:
    (feed_server.root / "good.xml").write_bytes(rss([item(1)]))
    specs = [
        FeedSpec(url=feed_server.url("good.xml"), name="loop-good", interval=0.2),
        FeedSpec(url=feed_server.url("status/503"), name="loop-503", interval=0.2),
        FeedSpec(url=feed_server.url("loop"), name="loop-redirect", interval=0.2),
    ]
    sink = ListSink()
    poller, fetcher = poller_for(specs, sink)
    stop = asyncio.Event()
    async with fetcher:
        task = asyncio.create_task(poller.run(stop))
        await asyncio.sleep(0.5)
        (feed_server.root / "good.xml").write_bytes(rss([item(2), item(1)]))
        await asyncio.sleep(1.0)
        stop.set()
        await asyncio.wait_for(task, 5)
    assert [a.title for a in sink.articles] == ["Story 1", "Story 2"]
    hits = [p for p, _ in feed_server.requests]
    assert hits.count("/good.xml") >= 5
    # backoff: the failing feed was retried, but less often than the healthy one was polled
    assert 1 <= hits.count("/status/503") < hits.count("/good.xml")
