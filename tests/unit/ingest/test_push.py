"""POST /articles through the ASGI app in-process (no socket, no Kafka)."""

from __future__ import annotations

import httpx
import pytest

from newswire.apikeys import ApiKeys
from newswire.ingest.config import IngestConfig
from newswire.ingest.dedup import SeenSet
from newswire.ingest.pipeline import Ingestor
from newswire.ingest.push import create_app
from newswire.ingest.state import open_state
from unit.ingest.fakes import FlakySink, ListSink

ARTICLE = {
    "title": "Xi meets Putin",
    "body": "BEIJING (AP) — They met.",
    "published_at": "2024-05-16T09:00:00Z",
}


def client(sink: ListSink, *, api_keys: ApiKeys | None = None, **config: int) -> httpx.AsyncClient:
    app = create_app(Ingestor(sink, SeenSet(open_state(None))), IngestConfig(**config), api_keys=api_keys)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ingest")


async def test_one_or_a_batch_gets_202_with_ids() -> None:
    sink = ListSink()
    async with client(sink) as c:
        r = await c.post("/articles", json=ARTICLE)
        assert r.status_code == 202
        assert r.json() == {"ids": [sink.articles[0].id], "produced": 1, "duplicates": 0}
        assert sink.articles[0].dateline == "BEIJING"
        r = await c.post(
            "/articles", json=[ARTICLE, {**ARTICLE, "url": "http://example.org/2", "body": "Another story."}]
        )
        assert r.status_code == 202
        assert r.json()["produced"] == 1 and r.json()["duplicates"] == 1 and len(r.json()["ids"]) == 2


async def test_invalid_bodies_get_422_with_field_errors_and_nothing_is_produced() -> None:
    sink = ListSink()
    async with client(sink) as c:
        r = await c.post("/articles", json=[ARTICLE, {"title": "x", "published_at": "yesterday-ish"}, 7])
        assert r.status_code == 422
        errors = r.json()["detail"]
        assert {(e["index"], tuple(e["loc"])) for e in errors} == {
            (1, ("body",)),
            (1, ("published_at",)),
            (2, ()),
        }
        r = await c.post("/articles", content=b"{not json", headers={"content-type": "application/json"})
        assert r.status_code == 422 and r.json()["detail"][0]["msg"].startswith("not JSON")
    assert sink.articles == []


async def test_api_key_and_size_limits() -> None:
    sink = ListSink()
    keys = ApiKeys.of(admin=("s3cret",), read=("reader",))
    async with client(sink, api_keys=keys, ingest_max_request_bytes=2_048, ingest_max_batch=2) as c:
        assert (await c.post("/articles", json=ARTICLE)).status_code == 401
        assert (await c.post("/articles", json=ARTICLE, headers={"X-API-Key": "wrong"})).status_code == 401
        assert (await c.post("/articles", json=ARTICLE, headers={"X-API-Key": "reader"})).status_code == 403
        assert sink.articles == []
        ok = {"X-API-Key": "s3cret"}
        assert (
            await c.post("/articles", json={**ARTICLE, "body": "x" * 5_000}, headers=ok)
        ).status_code == 413
        assert (await c.post("/articles", json=[ARTICLE] * 3, headers=ok)).status_code == 413
        assert (await c.post("/articles", json=ARTICLE, headers=ok)).status_code == 202
        assert (await c.get("/healthz")).json() == {"status": "ok"}
        assert "newswire_ingest_articles_total" in (await c.get("/metrics")).text


@pytest.mark.parametrize("failures", [1])
async def test_broker_down_is_503_and_the_retry_succeeds(failures: int) -> None:
    sink = FlakySink(failures)
    async with client(sink) as c:
        r = await c.post("/articles", json=ARTICLE)
        assert r.status_code == 503 and r.headers["retry-after"] == "5"
        assert (await c.post("/articles", json=ARTICLE)).json()["produced"] == 1
