"""Migrations carry stored data across, up and down, on both databases."""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import text

from newswire.store import queries
from newswire.store.db import _alembic_config, connect, migrate
from newswire.store.repository import count_rows

_ARTICLE = (
    "INSERT INTO articles (id, doc_key, source, title, body, published_at, received_at, language) "
    "VALUES (:id, :k, 'wire', :title, 'Xi Jinping met Vladimir Putin. Xi said so in 2024.', :t, :t, 'en')"
)
_MENTION = (
    'INSERT INTO mentions (article_id, start, "end", entity_id, text, label) '
    "VALUES (:a, :s, :e, :eid, :text, :label)"
)
_MENTIONS = [
    {"a": "old-1", "s": 0, "e": 10, "eid": "Q15031", "text": "Xi Jinping", "label": "PERSON"},
    {"a": "old-1", "s": 32, "e": 34, "eid": "Q15031", "text": "Xi", "label": "PERSON"},
    {"a": "old-1", "s": 15, "e": 29, "eid": "Q7747", "text": "Vladimir Putin", "label": "PERSON"},
    {"a": "old-1", "s": 40, "e": 44, "eid": "name:2024", "text": "2024", "label": "DATE"},
]


async def _at(url: str, revision: str, *, upgrade: bool = True) -> None:
    engine = connect(url)
    try:
        async with engine.begin() as conn:
            step = command.upgrade if upgrade else command.downgrade
            await conn.run_sync(lambda c: step(_alembic_config(c), revision))
    finally:
        await engine.dispose()


async def test_mentions_move_into_articles_and_back(db_url: str) -> None:
    await _at(db_url, "0005")
    engine = connect(db_url)
    try:
        async with engine.begin() as conn:
            for i, title in ((1, "Xi meets Putin"), (2, "Nothing named")):
                t = f"2024-05-1{i} 08:00:00"
                if db_url.startswith("postgresql"):
                    t = dt.datetime.fromisoformat(t + "+00:00")  # type: ignore[assignment]
                await conn.execute(text(_ARTICLE), {"id": f"old-{i}", "k": i, "title": title, "t": t})
            await conn.execute(text(_MENTION), _MENTIONS)
            await conn.execute(
                text(
                    "INSERT INTO entities VALUES ('Q15031', 'Xi Jinping', 'xi jinping', 'PERSON'), "
                    "('Q7747', 'Vladimir Putin', 'vladimir putin', 'PERSON'), "
                    "('name:2024', '2024', '2024', 'DATE')"
                )
            )
        await migrate(engine)
        counts = await count_rows(engine)
        assert (counts["mentions"], counts["entities"]) == (4, 2)  # a date is no entity any more
        async with engine.connect() as conn:
            one = await queries.get_article(conn, "old-1")
            assert one is not None
            assert [(m.start, m.entity_id, m.text) for m in one.mentions] == [
                (0, "Q15031", "Xi Jinping"),
                (15, "Q7747", "Vladimir Putin"),
                (32, "Q15031", "Xi"),
                (40, None, "2024"),
            ]
            none = await queries.get_article(conn, "old-2")
            assert none is not None and none.mentions == []
            found = await queries.list_articles(conn, entity=["Vladimir Putin"])
            assert [a.id for a in found.items] == ["old-1"]  # through the new index
            xi = await queries.get_entity(conn, "Q15031")
            assert xi is not None and xi.article_count == 1 and len(xi.mentions) == 2
            assert [c.id for c in xi.co_mentioned] == ["Q7747"]
    finally:
        await engine.dispose()

    await _at(db_url, "0005", upgrade=False)
    engine = connect(db_url)
    try:
        async with engine.connect() as conn:
            rows = (
                await conn.execute(
                    text(
                        'SELECT article_id, start, "end", entity_id, text, label FROM mentions ORDER BY start'
                    )
                )
            ).all()
            assert [tuple(r) for r in rows] == [
                (m["a"], m["s"], m["e"], m["eid"], m["text"], m["label"])
                for m in sorted(_MENTIONS, key=lambda m: m["s"])
            ]
    finally:
        await engine.dispose()


async def test_postgresql_compresses_article_text_with_lz4_where_it_can(db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        return  # SQLite compresses nothing
    engine = connect(db_url)
    try:
        await migrate(engine)
        async with engine.connect() as conn:
            lz4 = await conn.scalar(
                text("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
            )
            methods = await conn.execute(
                text(
                    "SELECT attname, attcompression::text FROM pg_attribute "
                    "WHERE attrelid = 'articles'::regclass AND attname IN ('body', 'search', 'mentions') "
                    "ORDER BY attname"
                )
            )
            want = "l" if lz4 else ""
            assert [tuple(r) for r in methods] == [("body", want), ("mentions", want), ("search", want)]
    finally:
        await engine.dispose()
