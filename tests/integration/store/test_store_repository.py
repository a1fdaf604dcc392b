"""Upserts against real SQLite and PostgreSQL: idempotent, additive evidence, schema = migrations."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from integration.store.store_samples import alert_for, ankara_article, call_event, meeting_article
from newswire.store.records import rows_for
from newswire.store.repository import count_rows, write
from newswire.store.tables import alerts, event_evidence, events, metadata


async def test_writing_the_same_batch_twice_changes_nothing(engine: AsyncEngine) -> None:
    msgs: list[Any] = [meeting_article(1), meeting_article(2), ankara_article(), call_event()]
    msgs.append(alert_for(msgs[:2]))
    await write(engine, rows_for(msgs))
    first = await count_rows(engine)
    await write(engine, rows_for(msgs))
    await write(engine, rows_for(reversed(msgs)))
    assert await count_rows(engine) == first
    assert first["articles"] == 3
    assert first["events"] == 2
    assert first["event_evidence"] == 3  # two articles for the meeting, one for the call
    assert first["mentions"] == 4 + 4 + 3
    assert first["alerts"] == 1 and first["alert_sources"] == 2


async def test_second_article_about_an_event_adds_evidence(engine: AsyncEngine) -> None:
    await write(engine, rows_for([meeting_article(1)]))
    await write(engine, rows_for([meeting_article(2, source="wire-b")]))
    async with engine.connect() as conn:
        ev = (await conn.execute(select(event_evidence.c.article_id, event_evidence.c.source))).all()
        assert sorted(r.source for r in ev) == ["wire-a", "wire-b"]
        assert (await conn.execute(select(events.c.day))).scalar_one().isoformat() == "2024-03-05"


async def test_an_older_alert_notice_never_overwrites_a_newer_one(engine: AsyncEngine) -> None:
    arts = [meeting_article(1), meeting_article(2)]
    await write(engine, rows_for([alert_for(arts, last_hour=11)]))
    await write(engine, rows_for([alert_for(arts[:1], last_hour=9)]))
    async with engine.connect() as conn:
        row = (await conn.execute(select(alerts.c.last_seen, alerts.c.source_count))).one()
    assert (row.last_seen.hour, row.source_count) == (11, 2)


async def test_migrated_schema_matches_the_table_definitions(engine: AsyncEngine) -> None:
    def diff(sync_conn: Any) -> list[Any]:
        ctx = MigrationContext.configure(sync_conn)
        return [
            d
            for d in compare_metadata(ctx, metadata)
            # FTS helpers (search column, FTS5 tables) are dialect-specific and not in the metadata.
            if not (d[0] == "remove_table" and d[1].name.startswith("articles_fts"))
            and not (d[0] == "remove_column" and d[3].name == "search")
            and not (d[0] == "remove_index" and d[1].name in {"ix_articles_search", "ix_articles_entity_ids"})
            and not (d[0] == "remove_table" and d[1].name == "article_entities")
        ]

    async with engine.connect() as conn:
        assert await conn.run_sync(diff) == []
