"""Ingest metrics (Prometheus). Label values are door names, feed names from the feeds file and a
fixed set of problem kinds, so cardinality stays bounded."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

__all__ = ["ARTICLES", "FEED_POLLS", "FEED_PROBLEMS", "FETCH_SECONDS"]

ARTICLES = Counter("newswire_ingest_articles_total", "Articles seen by a door", ["door", "outcome"])
"""outcome: produced | duplicate | rejected"""

FEED_POLLS = Counter("newswire_ingest_feed_polls_total", "Feed polls", ["feed", "outcome"])
"""outcome: ok | not_modified | error"""

FEED_PROBLEMS = Counter("newswire_ingest_feed_problems_total", "Feed and entry problems", ["feed", "kind"])
"""kind: timeout | connect | http_status | redirects | too_large | malformed | encoding | no_link |
no_date | no_body | full_text_failed | produce"""

FETCH_SECONDS = Histogram(
    "newswire_ingest_fetch_seconds",
    "Feed and page fetch time",
    ["kind"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
