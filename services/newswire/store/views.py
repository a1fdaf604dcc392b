"""What the query API and `newswire query` return: response models, one per resource."""

from __future__ import annotations

import datetime as dt
from typing import Generic, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from newswire.contracts import AlertSource, EventStatus, EventType, Location, Medium, Participant

__all__ = [
    "AlertOut",
    "ArticleDetail",
    "ArticleOut",
    "CoMention",
    "EntityDetail",
    "EntityOut",
    "EventDetail",
    "EventOut",
    "EvidenceOut",
    "MentionOut",
    "Page",
    "Problem",
    "SourceArticle",
]

T = TypeVar("T")


class View(BaseModel):
    model_config = ConfigDict(frozen=True)


class Page(View, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class Problem(View):
    """Body of every 4xx answer that is not a validation error."""

    detail: str


class ArticleOut(View):
    id: str
    url: str | None
    source: str
    title: str
    published_at: AwareDatetime
    language: str
    dateline: str | None
    agency: str | None
    snippet: str = Field(description="The first 280 characters of the body.")


class MentionOut(View):
    article_id: str
    title: str
    published_at: AwareDatetime
    text: str
    start: int
    end: int


class ArticleMention(View):
    entity_id: str | None = Field(description="None for values (dates, numbers, amounts): not entities.")
    text: str
    label: str
    start: int
    end: int


class ArticleDetail(ArticleOut):
    body: str
    model: str | None
    pipeline_version: str | None
    mentions: list[ArticleMention]
    event_ids: list[str]


class EntityOut(View):
    id: str
    name: str
    label: str


# Co-mentions are counted over an entity's latest articles only: the answer stays current, and its
# cost bounded for an entity half the wire names.
CO_MENTION_WINDOW = 1_000


class CoMention(EntityOut):
    articles: int = Field(description="Articles that mention both.")


class EventOut(View):
    id: str
    type: EventType
    status: EventStatus
    medium: Medium | None
    date: dt.date | None = Field(description="The date reported for the event, when known.")
    day: dt.date = Field(description="`date`, else the day of the first report: what since/until filter on.")
    location: Location | None
    confidence: float
    participants: list[Participant]
    source_count: int


# Counting what half the wire names would read half the articles table on every entity page.
ARTICLE_COUNT_CAP = 10_000


class EntityDetail(EntityOut):
    article_count: int = Field(
        description=f"Articles that name it, counted up to {ARTICLE_COUNT_CAP:,} (that many or more)."
    )
    mentions: list[MentionOut] = Field(description="Its mentions in the most recent articles, newest first.")
    co_mentioned: list[CoMention] = Field(
        description=f"Entities named in the same articles (its latest {CO_MENTION_WINDOW:,}), "
        "most shared first."
    )
    meetings: list[EventOut] = Field(description="MEET events this entity took part in, most recent first.")


class EvidenceOut(View):
    article_id: str
    sentence: str
    start: int
    end: int


class SourceArticle(View):
    article_id: str
    url: str | None
    title: str | None
    source: str | None
    published_at: AwareDatetime | None
    stored: bool = Field(description="True when the article itself is in the store (see /articles/{id}).")


class EventDetail(EventOut):
    evidence: list[EvidenceOut]
    sources: list[SourceArticle]


class AlertOut(View):
    id: str
    rule: str
    severity: str
    state: str
    title: str
    event_id: str
    event_type: EventType
    event_status: EventStatus
    medium: Medium | None
    participants: list[Participant]
    location: Location | None
    date: dt.date | None
    evidence: str
    source_count: int
    first_seen: AwareDatetime
    last_seen: AwareDatetime
    sent_at: AwareDatetime
    sources: list[AlertSource]
