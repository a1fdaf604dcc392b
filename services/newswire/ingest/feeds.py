"""Feeds file and feed documents: RSS 0.9x/1.0/2.0 and Atom via feedparser -> Candidates.

Feeds file (YAML), a list or a mapping with `feeds:`:

    feeds:
      - url: https://example.org/world.rss
        name: example-world      # source of its articles; default: the host
        interval: 300            # seconds between polls
        language: en             # optional; default: detected per article
        full_text: true          # entries with only a summary: fetch the page, extract the text
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from newswire.errors import ConfigError
from newswire.ingest.pipeline import Candidate, validation_reason

__all__ = ["FeedEntry", "FeedSpec", "ParsedFeed", "load_feeds", "parse_feed"]


class FeedSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    url: str = Field(max_length=4_000)
    name: str = Field(default="", max_length=200)
    interval: float = Field(default=300.0, ge=0.1, description="Seconds between polls.")
    language: str | None = Field(default=None, max_length=16)
    full_text: bool = False

    @field_validator("url")
    @classmethod
    def _http(cls, v: str) -> str:
        parts = urlsplit(v.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http(s) URL")
        return v.strip()

    @model_validator(mode="after")
    def _default_name(self) -> FeedSpec:
        if not self.name:
            object.__setattr__(self, "name", urlsplit(self.url).hostname or self.url)
        return self


def load_feeds(path: Path) -> list[FeedSpec]:
    """Read and validate a feeds file; ConfigError names the file and the entry."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise ConfigError(f"{path}: cannot read: {e.strerror or e}") from None
    except yaml.YAMLError as e:
        raise ConfigError(f"{path}: not YAML: {e}") from None
    items = data.get("feeds") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ConfigError(f"{path}: expected a list of feeds (or `feeds:` with a list)")
    specs = []
    for n, item in enumerate(items):
        try:
            specs.append(FeedSpec.model_validate(item))
        except ValidationError as e:
            raise ConfigError(f"{path}: feeds[{n}]: {validation_reason(e)}") from None
    names = [s.name for s in specs]
    if len(set(names)) != len(names):
        raise ConfigError(
            f"{path}: feed names must be unique: {sorted({n for n in names if names.count(n) > 1})}"
        )
    return specs


@dataclass(frozen=True)
class FeedEntry:
    candidate: Candidate
    link: str | None
    summary_only: bool  # the entry had no full content: a page fetch may improve it
    problems: tuple[str, ...] = ()  # no_link | no_date | no_body


@dataclass
class ParsedFeed:
    entries: list[FeedEntry] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # feed-level (kind, detail)
    fatal: str | None = None  # why nothing could be read


def _problem_kind(exc: Exception) -> str:
    return "encoding" if "Encoding" in type(exc).__name__ else "malformed"


def parse_feed(
    content: bytes, *, spec: FeedSpec, now: datetime, content_type: str | None = None
) -> ParsedFeed:
    headers = {"content-type": content_type} if content_type else {}
    # Text is extracted later from the HTML, so feedparser's (slow) sanitising is not needed.
    doc = feedparser.parse(
        content, response_headers=headers, sanitize_html=False, resolve_relative_uris=False
    )
    out = ParsedFeed()
    if doc.get("bozo"):
        exc = doc.get("bozo_exception") or Exception("unknown")
        out.problems.append((_problem_kind(exc), f"{type(exc).__name__}: {exc}"[:300]))
    if not doc.entries:
        if not doc.get("version") and doc.get("bozo"):
            out.fatal = out.problems[-1][1] if out.problems else "not a feed"
        return out
    hint = doc.feed.get("language")
    origin = f"feed:{spec.name}"
    for n, entry in enumerate(doc.entries, start=1):
        out.entries.append(_entry(entry, spec, origin, n, now, hint))
    return out


def _entry(entry: Any, spec: FeedSpec, origin: str, n: int, now: datetime, hint: str | None) -> FeedEntry:
    problems = []
    link = entry.get("link") or None
    if link and urlsplit(link).scheme not in ("http", "https"):
        link = None
    if not link:
        problems.append("no_link")
    contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    body = max(contents, key=len) if contents else entry.get("summary", "") or entry.get("description", "")
    title = entry.get("title", "")
    if not body.strip():
        problems.append("no_body")
        body = title  # a headline-only wire flash is still news
    stamp = entry.get("published_parsed") or entry.get("updated_parsed") or entry.get("created_parsed")
    if stamp is None:
        problems.append("no_date")
    fields: dict[str, Any] = {
        "url": link,
        "source": spec.name,
        "title": title,
        "body": body,
        "published_at": stamp or now,
    }
    if spec.language:
        fields["language"] = spec.language
    raw = json.dumps({"title": title, "link": link, "body": body[:2_000]}, ensure_ascii=False).encode()
    candidate = Candidate(origin, fields, raw=raw, line=n, language=hint)
    return FeedEntry(candidate, link, summary_only=not contents, problems=tuple(problems))
