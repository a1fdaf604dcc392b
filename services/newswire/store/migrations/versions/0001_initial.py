"""Initial schema: articles, entities, mentions, events, participants, evidence, alerts, full-text search.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from newswire.store.tables import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_SQLITE_FTS = [
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, tokenize = 'porter unicode61')",
    """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
         INSERT INTO articles_fts(rowid, title, body) VALUES (new.doc_key, new.title, new.body);
       END""",
    """CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body ON articles
       WHEN old.title IS NOT new.title OR old.body IS NOT new.body BEGIN
         DELETE FROM articles_fts WHERE rowid = old.doc_key;
         INSERT INTO articles_fts(rowid, title, body) VALUES (new.doc_key, new.title, new.body);
       END""",
    """CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
         DELETE FROM articles_fts WHERE rowid = old.doc_key;
       END""",
]


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.String(128), nullable=False),
        sa.Column("doc_key", sa.BigInteger, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("published_at", UTCDateTime, nullable=False),
        sa.Column("received_at", UTCDateTime, nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("dateline", sa.Text),
        sa.Column("agency", sa.Text),
        sa.Column("model", sa.Text),
        sa.Column("pipeline_version", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_articles"),
        sa.UniqueConstraint("doc_key", name="uq_articles_doc_key"),
    )
    op.create_index("ix_articles_published_at_id", "articles", ["published_at", "id"])
    op.create_index("ix_articles_source_published_at", "articles", ["source", "published_at"])

    op.create_table(
        "entities",
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("name_key", sa.Text, nullable=False),
        sa.Column("label", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_entities"),
    )
    op.create_index("ix_entities_name_key", "entities", ["name_key"])

    op.create_table(
        "mentions",
        sa.Column("article_id", sa.String(128), nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("entity_id", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("label", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("article_id", "start", "end", name="pk_mentions"),
    )
    op.create_index("ix_mentions_entity_id_article_id", "mentions", ["entity_id", "article_id"])

    op.create_table(
        "events",
        sa.Column("id", sa.String(200), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("medium", sa.String(16)),
        sa.Column("location_name", sa.Text),
        sa.Column("location_key", sa.Text),
        sa.Column("location_country", sa.String(8)),
        sa.Column("date", sa.Date),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
    )
    op.create_index("ix_events_day_id", "events", ["day", "id"])
    op.create_index("ix_events_type_day", "events", ["type", "day"])
    op.create_index("ix_events_location_key", "events", ["location_key"])

    op.create_table(
        "event_participants",
        sa.Column("event_id", sa.String(200), nullable=False),
        sa.Column("participant_id", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("name_key", sa.Text, nullable=False),
        sa.Column("role", sa.Text),
        sa.Column("country", sa.String(8)),
        sa.PrimaryKeyConstraint("event_id", "participant_id", name="pk_event_participants"),
    )
    op.create_index(
        "ix_event_participants_participant_id_event_id", "event_participants", ["participant_id", "event_id"]
    )
    op.create_index("ix_event_participants_name_key_event_id", "event_participants", ["name_key", "event_id"])

    op.create_table(
        "event_evidence",
        sa.Column("event_id", sa.String(200), nullable=False),
        sa.Column("article_id", sa.String(128), nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("sentence", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("source", sa.Text),
        sa.Column("published_at", UTCDateTime),
        sa.PrimaryKeyConstraint("event_id", "article_id", "start", name="pk_event_evidence"),
    )
    op.create_index("ix_event_evidence_article_id", "event_evidence", ["article_id"])

    op.create_table(
        "alerts",
        sa.Column("id", sa.String(300), nullable=False),
        sa.Column("rule", sa.Text, nullable=False),
        sa.Column("severity", sa.String(32), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("event_id", sa.String(200), nullable=False),
        sa.Column("event_type", sa.String(16), nullable=False),
        sa.Column("event_status", sa.String(16), nullable=False),
        sa.Column("medium", sa.String(16)),
        sa.Column("participants", sa.JSON, nullable=False),
        sa.Column("location", sa.JSON),
        sa.Column("date", sa.Date),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("source_count", sa.Integer, nullable=False),
        sa.Column("first_seen", UTCDateTime, nullable=False),
        sa.Column("last_seen", UTCDateTime, nullable=False),
        sa.Column("sent_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_alerts"),
    )
    op.create_index("ix_alerts_last_seen_id", "alerts", ["last_seen", "id"])
    op.create_index("ix_alerts_event_id", "alerts", ["event_id"])
    op.create_index("ix_alerts_rule_last_seen", "alerts", ["rule", "last_seen"])

    op.create_table(
        "alert_sources",
        sa.Column("alert_id", sa.String(300), nullable=False),
        sa.Column("article_id", sa.String(128), nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("source", sa.Text),
        sa.PrimaryKeyConstraint("alert_id", "article_id", name="pk_alert_sources"),
    )

    # Full-text search over title + body.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS "
            "(to_tsvector('english', coalesce(title, '') || ' ' || body)) STORED"
        )
        op.execute("CREATE INDEX ix_articles_search ON articles USING gin (search)")
    else:
        for statement in _SQLITE_FTS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS articles_fts")
    for table in (
        "alert_sources", "alerts", "event_evidence", "event_participants", "events", "mentions", "entities",
        "articles",
    ):  # fmt: skip
        op.drop_table(table)
