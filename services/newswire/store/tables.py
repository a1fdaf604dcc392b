"""The store's schema as SQLAlchemy Core tables: one definition for PostgreSQL and SQLite.

articles >── entities (articles.entity_ids: the distinct entities an article names; its mentions,
                      with offsets, as JSON in articles.mentions)
events ──< event_participants >── entities
events ──< event_evidence >── articles (evidence.article_id: every source behind an event)
alerts ──< alert_sources >── articles

Full-text search differs per dialect and lives in the migrations: PostgreSQL gets a `search`
tsvector column (written by the store, built by newswire.fulltext) with a GIN index, SQLite an FTS5
table kept in step by triggers keyed on
`articles.doc_key` (a stable integer: SQLite may renumber implicit rowids on VACUUM).

Mentions are not rows. A real article names ~19 distinct entities in ~31 mentions; as one indexed row
per mention they cost ~270 µs of PostgreSQL time per article, more than anything else the store
writes. PostgreSQL instead keeps `entity_ids` as a `text[]` with a GIN index (~15 µs per article);
SQLite, which has no arrays, gets a JSON list and an `article_entities` table kept in step by
triggers (migration 0006), so "articles naming X" is an index lookup on both.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Date,
    DateTime,
    Dialect,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.types import TypeDecorator

__all__ = [
    "UTCDateTime",
    "alert_sources",
    "alerts",
    "article_entities",
    "articles",
    "entities",
    "event_evidence",
    "event_participants",
    "events",
    "metadata",
]


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out. SQLite keeps naive UTC text, so comparisons stay lexical-safe."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; contracts only carry aware ones")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "pk": "pk_%(table_name)s",
    }
)

articles = Table(
    "articles",
    metadata,
    Column("id", String(128), primary_key=True),
    Column("doc_key", BigInteger, nullable=False, unique=True),
    Column("url", Text),
    Column("source", String(200), nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("published_at", UTCDateTime, nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
    Column("language", String(16), nullable=False),
    Column("dateline", Text),
    Column("agency", Text),
    Column("model", Text),
    Column("pipeline_version", Text),
    # Distinct entity ids, sorted. PostgreSQL: text[] under a GIN index (migration 0006).
    Column("entity_ids", JSON().with_variant(ARRAY(Text), "postgresql"), nullable=False),
    # [{"start", "end", "entity_id", "text", "label"}, ...] in text order: shown, never searched.
    Column("mentions", JSON, nullable=False),
    Index(None, "published_at", "id"),
    Index(None, "source", "published_at"),
)

entities = Table(
    "entities",
    metadata,
    Column("id", Text, primary_key=True),  # Wikidata QID, or "name:<canonical name>"
    Column("name", Text, nullable=False),
    Column("name_key", Text, nullable=False),  # casefolded name, for lookups by name
    Column("label", String(32), nullable=False),
    Index(None, "name_key"),
)

events = Table(
    "events",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("type", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("medium", String(16)),
    Column("location_name", Text),
    Column("location_key", Text),  # casefolded location name
    Column("location_country", String(8)),
    Column("date", Date),  # as reported; may be unknown
    Column("day", Date, nullable=False),  # date, else the first evidence's publication day: sort key
    Column("confidence", Float, nullable=False),
    Index(None, "day", "id"),
    Index(None, "type", "day"),
    Index(None, "location_key"),
)

event_participants = Table(
    "event_participants",
    metadata,
    Column("event_id", String(200), primary_key=True),
    Column("participant_id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("name_key", Text, nullable=False),
    Column("role", Text),
    Column("country", String(8)),
    Column("day", Date, nullable=False),  # = events.day, kept in step by the writer: newest-first by person
    Index(None, "participant_id", "day", "event_id"),
    Index(None, "name_key", "day", "event_id"),
)

event_evidence = Table(
    "event_evidence",
    metadata,
    Column("event_id", String(200), primary_key=True),
    Column("article_id", String(128), primary_key=True),
    Column("start", Integer, primary_key=True),
    Column("end", Integer, nullable=False),
    Column("sentence", Text, nullable=False),
    Column("url", Text),
    Column("title", Text),
    Column("source", Text),
    Column("published_at", UTCDateTime),
    Index(None, "article_id"),
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", String(300), primary_key=True),
    Column("rule", Text, nullable=False),
    Column("severity", String(32), nullable=False),
    Column("state", String(16), nullable=False),
    Column("title", Text, nullable=False),
    Column("event_id", String(200), nullable=False),
    Column("event_type", String(16), nullable=False),
    Column("event_status", String(16), nullable=False),
    Column("medium", String(16)),
    Column("participants", JSON, nullable=False),
    Column("location", JSON),
    Column("date", Date),
    Column("evidence", Text, nullable=False),
    Column("source_count", Integer, nullable=False),
    Column("first_seen", UTCDateTime, nullable=False),
    Column("last_seen", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime, nullable=False),
    Index(None, "last_seen", "id"),
    Index(None, "event_id"),
    Index(None, "rule", "last_seen"),
)

alert_sources = Table(
    "alert_sources",
    metadata,
    Column("alert_id", String(300), primary_key=True),
    Column("article_id", String(128), primary_key=True),
    Column("url", Text),
    Column("title", Text),
    Column("source", Text),
)


# SQLite only (PostgreSQL reads articles.entity_ids through its GIN index): one row per (entity,
# article), written by triggers on articles, never by the store. Not in `metadata`, like the FTS5
# table, because it is not part of the PostgreSQL schema.
article_entities = Table(
    "article_entities",
    MetaData(),
    Column("entity_id", Text, primary_key=True),
    Column("article_id", String(128), primary_key=True),
)
