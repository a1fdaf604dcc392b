"""The gold-set line format ({id, source, published, title, text, ...}, as in shared/dev-gold) read
as a RawArticle: one mapping for the evaluator, the alert dry-run and the benchmarks."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlparse

from newswire.contracts import RawArticle

__all__ = ["raw_article"]

def raw_article(record: dict[str, Any]) -> RawArticle:
    """The record's text as published at noon UTC on its date (undated when it has none); the source
    is the URL's host."""
    day = record.get("published")
    published = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(12), tzinfo=dt.UTC) if day else None
    url = record.get("source") or None
    return RawArticle(
        id=str(record["id"]),
        url=url,
        source=(urlparse(url).netloc or "gold") if url else "gold",
        title=record.get("title") or "",
        body=record["text"],
        published_at=published,
    )
