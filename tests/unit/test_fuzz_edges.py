"""Generated bad records at every door that parses bytes: the Kafka decoder (enrich, store), the
.jsonl reader, POST /articles and the API cursor. Each says why, none raises anything else."""

from __future__ import annotations

import json

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz_records import Record, bad_record, good_article, hostile_article
from newswire.contracts import RawArticle
from newswire.errors import BadMessage
from newswire.ingest.config import IngestConfig
from newswire.ingest.dedup import SeenSet
from newswire.ingest.files import read_jsonl
from newswire.ingest.pipeline import Ingestor
from newswire.ingest.push import create_app
from newswire.ingest.state import open_state
from newswire.kafka.serde import decode, encode
from newswire.store.cursor import BadCursor, decode_cursor
from unit.ingest.fakes import ListSink

FUZZ = settings(max_examples=400, deadline=None, database=None, suppress_health_check=list(HealthCheck))


@FUZZ
@given(bad_record)
def test_every_bad_record_is_a_bad_message_with_its_reason(rec: Record) -> None:
    with pytest.raises(BadMessage) as err:
        decode(RawArticle, rec.value)
    assert rec.expect is not None and str(err.value).startswith(rec.expect), (rec.kind, str(err.value))
    assert "\n" not in str(err.value)


@FUZZ
@given(st.integers(0, 10**6).flatmap(lambda n: good_article(n) | hostile_article(n)))
def test_good_and_hostile_articles_decode_and_encode_again(article: dict[str, object]) -> None:
    decoded = decode(RawArticle, json.dumps(article).encode())
    assert decoded.body == article["body"]
    assert decode(RawArticle, encode(decoded)) == decoded


@settings(max_examples=200, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(bad_record)
def test_jsonl_reader_reports_every_bad_line(rec: Record) -> None:
    [candidate] = list(read_jsonl([rec.value.replace(b"\n", b" ") + b"\n"], "fuzz.jsonl")) or [None]
    if candidate is None:  # a blank line is skipped, not an article
        assert not rec.value.strip()
        return
    if candidate.error is None:  # parsed as an object: the contract rejects it downstream
        assert isinstance(candidate.fields, dict)
    else:
        assert candidate.error.startswith(("not UTF-8", "not JSON", "not a JSON object")), candidate.error


@pytest.mark.parametrize("opener", ["[", '{"a":'])
async def test_post_articles_nested_too_deeply_is_422(opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    body = opener * 50_000 + "1" + closer * 50_000
    app = create_app(Ingestor(ListSink(), SeenSet(open_state(None))), IngestConfig())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://i") as c:
        r = await c.post("/articles", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422 and "nested too deeply" in r.text


def test_a_deeply_nested_cursor_is_a_bad_cursor() -> None:
    import base64

    cursor = base64.urlsafe_b64encode(b"[" * 1_400).decode().rstrip("=")
    with pytest.raises(BadCursor):
        decode_cursor("articles", cursor)


@pytest.mark.parametrize("when", [0, 5, 1.5, 1715850000, "0", " 1.5", "1715850000"])
def test_published_at_as_a_number_is_refused_not_read_as_1970(when: float | str) -> None:
    """Found by the pipeline fuzz: pydantic took numbers as Unix seconds."""
    raw = {"body": "A b c.", "published_at": when}
    with pytest.raises(BadMessage, match="published_at: Value error, must be an ISO 8601 string"):
        decode(RawArticle, json.dumps(raw).encode())


# The families bad at every door: this door also takes a list as a batch and normalises times
# (a missing or naive published_at is repaired here), so shape-level families differ at it.
_UNPARSABLE = {"not_json", "truncated", "not_utf8", "deep", "control", "empty"}


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(bad_record.filter(lambda r: r.kind in _UNPARSABLE), min_size=1, max_size=3),
    st.integers(0, 10**6).flatmap(good_article),
)
async def test_post_articles_answers_4xx_for_bad_bodies_and_202_for_good(
    bad: list[Record], good: dict[str, object]
) -> None:
    """POST /articles with generated bad bodies (alone and as list items): a 4xx saying why, never a
    5xx, nothing produced; a good article after them is still accepted."""
    sink = ListSink()
    app = create_app(Ingestor(sink, SeenSet(open_state(None))), IngestConfig())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://i") as c:
        for rec in bad:
            r = await c.post("/articles", content=rec.value, headers={"content-type": "application/json"})
            assert r.status_code in (413, 422), (rec.kind, r.status_code, r.text[:300])
            assert r.json()["detail"]
        assert sink.articles == []
        r = await c.post("/articles", json=good)
        assert r.status_code == 202, r.text
        assert len(sink.articles) == 1
