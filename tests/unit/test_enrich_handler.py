"""The enrich batch handler without Kafka: decoding, isolation of failures, dead letters."""

from __future__ import annotations

import json
from collections.abc import Sequence

from newswire.contracts import EnrichedArticle, Processing, RawArticle
from newswire.enrich.handler import EnrichBatch, InRecord


class CountingEnricher:
    """A stand-in NLP stage: records how it was called; fails on bodies containing 'POISON'."""

    def __init__(self) -> None:
        self.calls: list[int] = []

    def enrich(self, articles: Sequence[RawArticle]) -> list[EnrichedArticle]:
        self.calls.append(len(articles))
        if any("POISON" in a.body for a in articles):
            raise RuntimeError("tokenizer exploded")
        proc = Processing(model="fake", model_version="0", pipeline_version="t", took_ms=0)
        return [EnrichedArticle(article=a, processing=proc) for a in articles]


def rec(value: bytes | None, offset: int) -> InRecord:
    return InRecord("raw", 0, offset, None, value)


def art(body: str) -> bytes:
    return json.dumps({"body": body, "published_at": "2024-05-16T09:00:00Z"}).encode()


def test_one_nlp_call_per_batch() -> None:
    enricher = CountingEnricher()
    out = EnrichBatch(enricher)([rec(art(f"b{i}"), i) for i in range(5)])
    assert enricher.calls == [5]
    assert [a.article.body for a in out.enriched] == [f"b{i}" for i in range(5)]
    assert out.dead == []


def test_bad_records_become_dead_letters_and_the_rest_goes_on() -> None:
    records = [rec(b"\xff", 0), rec(b"{", 1), rec(art("fine"), 2), rec(json.dumps({"body": ""}).encode(), 3),
               rec(json.dumps({"body": "undated"}).encode(), 4)]  # no published_at: still an article
    out = EnrichBatch(CountingEnricher())(records)
    assert [a.article.body for a in out.enriched] == ["fine", "undated"]
    assert [(r.offset, reason.split(":")[0]) for r, reason in out.dead] == [
        (0, "not UTF-8"),
        (1, "not JSON"),
        (3, "invalid RawArticle"),
    ]


def test_a_poisoned_article_is_isolated_not_the_batch() -> None:
    enricher = CountingEnricher()
    out = EnrichBatch(enricher)([rec(art("a"), 0), rec(art("POISON"), 1), rec(art("c"), 2)])
    assert enricher.calls == [3, 1, 1, 1]  # the batch, then one by one
    assert [a.article.body for a in out.enriched] == ["a", "c"]
    assert len(out.dead) == 1 and out.dead[0][0].offset == 1
    assert "enrichment failed: RuntimeError: tokenizer exploded" in out.dead[0][1]
