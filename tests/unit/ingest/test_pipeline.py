from __future__ import annotations

import pytest

from newswire.errors import TransientError
from newswire.ingest.dedup import SeenSet
from newswire.ingest.pipeline import Candidate, Ingestor
from newswire.ingest.state import open_state
from unit.ingest.fakes import FlakySink, ListSink


def cand(n: int, **extra: object) -> Candidate:
    fields = {"title": f"T{n}", "body": f"Body {n}.", "published_at": "2024-05-16T09:00:00Z", **extra}
    return Candidate("test.jsonl", fields, raw=b"{}", line=n)


async def test_produces_once_and_reports_duplicates_and_rejections() -> None:
    sink = ListSink()
    ingestor = Ingestor(sink, SeenSet(open_state(None)))
    report = await ingestor.submit(
        [cand(1), cand(2), cand(1), cand(3, color="red"), cand(4, body="  ")], "file"
    )
    assert [a.title for a in sink.articles] == ["T1", "T2"]
    assert report.produced == [a.id for a in sink.articles]
    assert len(report.duplicates) == 1
    assert [w for w, _ in report.rejected] == ["test.jsonl:3", "test.jsonl:4"]
    assert "color: Extra inputs are not permitted" in report.rejected[0][1]
    assert "body: String should have at least 1 character" in report.rejected[1][1]
    assert [(o, n) for o, n, _ in sink.dead] == [("test.jsonl", 3), ("test.jsonl", 4)]
    again = await ingestor.submit([cand(1), cand(2)], "file")
    assert (again.produced, len(again.duplicates)) == ([], 2)


async def test_without_dedup_everything_is_produced() -> None:
    sink = ListSink()
    await Ingestor(sink, None).submit([cand(1), cand(1)], "file")
    assert len(sink.articles) == 2


async def test_undelivered_articles_stay_unseen_so_a_retry_produces_them() -> None:
    sink = FlakySink(failures=1)
    ingestor = Ingestor(sink, SeenSet(open_state(None)))
    with pytest.raises(TransientError, match="2 of 2 articles not delivered"):
        await ingestor.submit([cand(1), cand(2)], "file")
    report = await ingestor.submit([cand(1), cand(2)], "file")
    assert len(report.produced) == 2 and len(sink.articles) == 2
