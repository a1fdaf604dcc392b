"""Full-text search as stored and as queried: PostgreSQL keeps the vector enrich built (binary, no
to_tsvector), and searches go through the same rules (newswire.fulltext)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from integration.store.store_samples import PROC
from newswire import fulltext
from newswire.contracts import EnrichedArticle, RawArticle, SearchVector
from newswire.store import queries
from newswire.store.db import _alembic_config, connect, migrate
from newswire.store.records import rows_for
from newswire.store.repository import write
from newswire.store.retry import is_transient

TEXTS = {
    "ankara": ("Erdoğan hosts Putin", "ANKARA — Recep Tayyip Erdoğan met Putin in Ankara on grain exports."),
    "beijing": ("Xi Jinping welcomes Putin", "BEIJING — Xi Jinping welcomed Putin; the U.S. watched."),
    "reverse": ("Jinping's rivals", "Analysts said Jinping and Xi-era policies differ; Putin was not there."),
}


def _article(key: str, search: SearchVector | str | None = "enrich") -> EnrichedArticle:
    title, body = TEXTS[key]
    raw = RawArticle(
        url=f"https://example.test/{key}",
        source="wire-a",
        title=title,
        body=body,
        published_at=datetime(2024, 5, 16, 9, tzinfo=UTC),
        received_at=datetime(2024, 5, 16, 9, tzinfo=UTC),
    )
    if search == "enrich":
        search = fulltext.search_vector(title, body)
    assert not isinstance(search, str)
    return EnrichedArticle(article=raw, processing=PROC, search=search)


async def _found(engine: AsyncEngine, q: str) -> set[str]:
    async with engine.connect() as conn:
        page = await queries.list_articles(conn, q=q)
    return {a.url.rsplit("/", 1)[-1] for a in page.items if a.url}


async def test_searches_both_stores_answer_alike(engine: AsyncEngine) -> None:
    await write(engine, rows_for([_article(k) for k in TEXTS]))
    assert await _found(engine, "grain exports") == {"ankara"}
    assert await _found(engine, "Erdogan") == {"ankara"}  # without the diacritic
    assert await _found(engine, "Putin") == {"ankara", "beijing", "reverse"}
    assert await _found(engine, "welcoming") == {"beijing"}  # stems: welcomed / welcoming
    assert await _found(engine, "the of") == set()


@pytest.mark.postgres
async def test_postgresql_keeps_the_vector_enrich_sent(pg_engine: AsyncEngine) -> None:
    engine = pg_engine
    sent = _article("beijing")
    rebuilt = _article("ankara", search=None)  # a producer that sends no vector
    foreign = _article("reverse", search=SearchVector(tokenizer="someone-else-9", tsvector="AAAAAA=="))
    await write(engine, rows_for([sent, rebuilt, foreign]))
    async with engine.connect() as conn:
        for msg in (sent, rebuilt, foreign):
            a = msg.article
            want = fulltext.text_tsvector(fulltext.article_terms(a.title, a.body))
            got, expected = (
                await conn.execute(
                    text("SELECT search::text, CAST(:v AS tsvector)::text FROM articles WHERE id = :id"),
                    {"v": want, "id": a.id},
                )
            ).one()
            assert got == expected and "'putin'" in got


async def test_phrases_or_and_not_on_both_stores(engine: AsyncEngine) -> None:
    await write(engine, rows_for([_article(k) for k in TEXTS]))
    assert await _found(engine, "Xi Jinping") == {"beijing", "reverse"}
    assert await _found(engine, '"Xi Jinping"') == {"beijing"}  # the phrase, in order
    assert await _found(engine, "grain or U.S.") == {"ankara", "beijing"}
    assert await _found(engine, "Putin -Ankara") == {"beijing", "reverse"}
    assert await _found(engine, "-Ankara") == {"beijing", "reverse"}  # a negation alone
    assert await _found(engine, "grain or -Putin") == {"ankara"}  # nothing lacks Putin
    assert await _found(engine, '"Jinping welcomed" or rivals -welcomed') == {"beijing", "reverse"}
    assert await _found(engine, 'Xi "the of" or') == {"beijing", "reverse"}  # stop words are dropped


@pytest.mark.postgres
async def test_a_malformed_vector_is_refused_as_the_record_s_fault(pg_engine: AsyncEngine) -> None:
    engine = pg_engine
    broken = base64.b64encode(b"\x00\x00\x00\x02b\x00\x00\x00a\x00\x00\x00" + b"\x00" * 3).decode()
    bad = _article("beijing", search=SearchVector(tokenizer=fulltext.TOKENIZER, tsvector=broken))
    with pytest.raises(DBAPIError) as err:
        await write(engine, rows_for([bad]))
    assert not is_transient(err.value)  # so the worker isolates it into a dead letter, not a retry
    await write(engine, rows_for([_article("beijing")]))  # the connection is fine afterwards
    assert await _found(engine, "welcomed") == {"beijing"}


@pytest.mark.postgres
async def test_upgrading_reindexes_old_rows_with_the_query_rules(pg_url: str) -> None:
    engine = connect(pg_url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(lambda c: command.upgrade(_alembic_config(c), "0004"))
            await conn.execute(
                text(
                    "INSERT INTO articles (id, doc_key, source, title, body, published_at, "
                    "received_at, language) VALUES "
                    "('old', 1, 'w', 'Erdoğan in Ankara', 'The U.S. was told.', now(), now(), 'en')"
                )
            )
            generated = await conn.scalar(text("SELECT search::text FROM articles"))
            assert "'u.s'" in generated  # PostgreSQL's own parser made this one
        await migrate(engine)
        async with engine.connect() as conn:
            row = (
                await conn.execute(
                    text(
                        "SELECT search::text AS v, (SELECT attgenerated::text FROM pg_attribute WHERE "
                        "attrelid = 'articles'::regclass AND attname = 'search') AS g FROM articles"
                    )
                )
            ).one()
            assert "'us'" in row.v and "'erdogan'" in row.v and row.g == ""
            hits = await queries.list_articles(conn, q="U.S. Erdogan")
            assert [a.id for a in hits.items] == ["old"]
    finally:
        await engine.dispose()
