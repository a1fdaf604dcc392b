"""One Enricher (spaCy + knowledge base, ~4 s to build) for the whole enrich test session."""

from __future__ import annotations

import datetime as dt

import pytest

from newswire.contracts import EnrichedArticle, RawArticle
from newswire.enrich.pipeline import Enricher
from newswire.settings import Settings


@pytest.fixture(scope="session")
def enricher() -> Enricher:
    return Enricher.from_settings(Settings())


@pytest.fixture(scope="session")
def enrich_one(enricher: Enricher):  # type: ignore[no-untyped-def]
    def run(body: str, *, day: str, title: str = "", url: str | None = None) -> EnrichedArticle:
        published = dt.datetime.fromisoformat(day).replace(hour=12, tzinfo=dt.UTC)
        article = RawArticle(title=title, body=body, published_at=published, url=url, source="test")
        return enricher.enrich([article])[0]

    return run
