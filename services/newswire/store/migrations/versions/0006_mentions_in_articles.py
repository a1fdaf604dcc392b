"""Mentions move into the article row: `entity_ids` (what the article names) and `mentions` (JSON).

One indexed row per mention was the store's largest write cost: a real article carries ~31 mentions
of ~19 entities, ~270 µs of PostgreSQL time per article in rows and two b-trees. PostgreSQL now
indexes the distinct ids with GIN (~15 µs); the offsets and surface texts, which are shown but
never searched, ride along as JSON. SQLite has no arrays or GIN, so it keeps an (entity, article)
table that triggers on articles maintain, and "articles naming X" stays an index lookup there too.
Dates, numbers and amounts (records.VALUE_LABELS) stop being entities: their mentions are kept with
no entity id, and entity rows no event refers to are dropped. The downgrade gives them back the ids
the old code made ("name:<text>").

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# As records.VALUE_LABELS (kept literal: a migration must not change when the code does).
_VALUES = "('DATE', 'TIME', 'PERCENT', 'MONEY', 'QUANTITY', 'ORDINAL', 'CARDINAL')"

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_SQLITE_TRIGGERS = [
    """CREATE TRIGGER article_entities_insert AFTER INSERT ON articles BEGIN
         INSERT OR IGNORE INTO article_entities (entity_id, article_id)
           SELECT value, new.id FROM json_each(new.entity_ids);
       END""",
    """CREATE TRIGGER article_entities_update AFTER UPDATE OF entity_ids ON articles BEGIN
         DELETE FROM article_entities
           WHERE article_id = old.id AND entity_id IN (SELECT value FROM json_each(old.entity_ids));
         INSERT OR IGNORE INTO article_entities (entity_id, article_id)
           SELECT value, new.id FROM json_each(new.entity_ids);
       END""",
    """CREATE TRIGGER article_entities_delete AFTER DELETE ON articles BEGIN
         DELETE FROM article_entities
           WHERE article_id = old.id AND entity_id IN (SELECT value FROM json_each(old.entity_ids));
       END""",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE articles ADD COLUMN entity_ids text[] NOT NULL DEFAULT '{}', "
            "ADD COLUMN mentions json NOT NULL DEFAULT '[]'"
        )
        op.execute(
            f"""UPDATE articles a SET entity_ids = m.ids, mentions = m.js FROM (
                 SELECT article_id,
                        coalesce(array_agg(DISTINCT entity_id ORDER BY entity_id)
                                 FILTER (WHERE label NOT IN {_VALUES}), '{{}}') AS ids,
                        json_agg(json_build_object('start', start, 'end', "end",
                                   'entity_id', CASE WHEN label IN {_VALUES} THEN NULL ELSE entity_id END,
                                   'text', text, 'label', label) ORDER BY start, "end") AS js
                 FROM mentions GROUP BY article_id) m
               WHERE a.id = m.article_id"""
        )
        op.execute(
            "ALTER TABLE articles ALTER COLUMN entity_ids DROP DEFAULT, ALTER COLUMN mentions DROP DEFAULT"
        )
        op.execute("CREATE INDEX ix_articles_entity_ids ON articles USING gin (entity_ids)")
    else:
        op.execute("ALTER TABLE articles ADD COLUMN entity_ids JSON NOT NULL DEFAULT '[]'")
        op.execute("ALTER TABLE articles ADD COLUMN mentions JSON NOT NULL DEFAULT '[]'")
        op.execute(
            f"""UPDATE articles SET
                 entity_ids = (SELECT json_group_array(entity_id) FROM
                   (SELECT DISTINCT entity_id FROM mentions
                    WHERE article_id = articles.id AND label NOT IN {_VALUES} ORDER BY entity_id)),
                 mentions = (SELECT json_group_array(json_object('start', start, 'end', "end",
                               'entity_id', CASE WHEN label IN {_VALUES} THEN NULL ELSE entity_id END,
                               'text', text, 'label', label)) FROM
                   (SELECT * FROM mentions WHERE article_id = articles.id ORDER BY start, "end"))"""
        )
        op.execute(
            "CREATE TABLE article_entities (entity_id TEXT NOT NULL, article_id VARCHAR(128) NOT NULL, "
            "CONSTRAINT pk_article_entities PRIMARY KEY (entity_id, article_id)) WITHOUT ROWID"
        )
        op.execute(
            "INSERT INTO article_entities SELECT DISTINCT entity_id, article_id FROM mentions "
            f"WHERE label NOT IN {_VALUES}"
        )
        for trigger in _SQLITE_TRIGGERS:
            op.execute(trigger)
    op.drop_table("mentions")
    # Values were entities until now; those no event names go (participants are people).
    op.execute(
        f"DELETE FROM entities WHERE label IN {_VALUES} "
        "AND id NOT IN (SELECT participant_id FROM event_participants)"
    )


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
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
    if postgres:
        op.execute(
            """INSERT INTO mentions SELECT a.id, (m->>'start')::int, (m->>'end')::int,
                 coalesce(m->>'entity_id', 'name:' || (m->>'text')), m->>'text', m->>'label'
               FROM articles a, json_array_elements(a.mentions) m"""
        )
        op.create_index("ix_mentions_entity_id", "mentions", ["entity_id"], postgresql_include=["article_id"])
        op.execute("DROP INDEX ix_articles_entity_ids")
        op.execute("ALTER TABLE articles DROP COLUMN entity_ids, DROP COLUMN mentions")
    else:
        op.execute(
            """INSERT INTO mentions SELECT a.id, json_extract(m.value, '$.start'),
                 json_extract(m.value, '$.end'),
                 coalesce(json_extract(m.value, '$.entity_id'), 'name:' || json_extract(m.value, '$.text')),
                 json_extract(m.value, '$.text'),
                 json_extract(m.value, '$.label') FROM articles a, json_each(a.mentions) m"""
        )
        op.create_index("ix_mentions_entity_id", "mentions", ["entity_id"])
        for name in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER article_entities_{name}")
        op.execute("DROP TABLE article_entities")
        op.execute("ALTER TABLE articles DROP COLUMN entity_ids")
        op.execute("ALTER TABLE articles DROP COLUMN mentions")
