"""The PostgreSQL bulk write path (pgcopy) and the participant index read path give the same answers
as the portable ones: run on SQLite and PostgreSQL, so both dialects are held to one expectation."""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from integration.store.store_samples import PUTIN, XI, call_event, meeting_article
from newswire.contracts import EnrichedArticle, Event, EventType, Evidence, Participant
from newswire.store import queries, views
from newswire.store.records import rows_for
from newswire.store.repository import count_rows, write
from newswire.store.tables import articles, event_participants, events


def _event(n: int, who: list[Participant], *, day: dt.date | None, published_day: int = 1) -> Event:
    return Event(
        id=f"ev-{n}",
        type=EventType.MEET if n % 3 else EventType.CALL,
        participants=who,
        date=day,
        evidence=[
            Evidence(
                article_id=f"a-{n}",
                sentence=f"Meeting {n}.",
                start=0,
                end=10,
                published_at=datetime(2024, 5, published_day, 9, tzinfo=UTC),
            )
        ],
        confidence=0.9,
    )


async def test_undated_event_gets_its_date_later_and_participants_follow(engine: AsyncEngine) -> None:
    await write(engine, rows_for([_event(1, [XI, PUTIN], day=None, published_day=20)]))
    await write(engine, rows_for([_event(1, [XI, PUTIN], day=dt.date(2024, 5, 2))]))  # now dated
    await write(engine, rows_for([_event(1, [XI, PUTIN], day=None, published_day=28)]))  # undated again
    async with engine.connect() as conn:
        assert (await conn.execute(select(events.c.day))).scalar_one() == dt.date(2024, 5, 2)
        days = (await conn.execute(select(event_participants.c.day))).scalars().all()
        assert days == [dt.date(2024, 5, 2)] * 2
        page = await queries.list_events(conn, participant=["Xi Jinping"], until=dt.date(2024, 5, 3))
        assert [e.id for e in page.items] == ["ev-1"]


async def test_a_participant_first_named_by_an_undated_report_takes_the_stored_day(
    engine: AsyncEngine,
) -> None:
    await write(engine, rows_for([_event(1, [XI, PUTIN], day=dt.date(2024, 5, 2))]))
    lukashenko = Participant(id="Q11093", name="Alexander Lukashenko")
    # A later, undated report adds a third leader; its staged day (publication, 28 May) must yield
    # to the event's stored date, or the participant index would file it under the wrong day.
    await write(engine, rows_for([_event(1, [XI, PUTIN, lukashenko], day=None, published_day=28)]))
    async with engine.connect() as conn:
        days = dict(
            (await conn.execute(select(event_participants.c.participant_id, event_participants.c.day))).all()
        )
        page = await queries.list_events(
            conn, participant=["Alexander Lukashenko"], until=dt.date(2024, 5, 3)
        )
    assert days == {
        "Q15031": dt.date(2024, 5, 2),
        "Q7747": dt.date(2024, 5, 2),
        "Q11093": dt.date(2024, 5, 2),
    }
    assert [e.id for e in page.items] == ["ev-1"]


async def test_one_participant_fast_path_pages_like_the_general_query(engine: AsyncEngine) -> None:
    other = Participant(id="Q1", name="Someone Else")
    msgs = [
        _event(n, [XI, PUTIN] if n % 2 else [other, PUTIN], day=dt.date(2024, 1, 1 + n % 7))
        for n in range(40)
    ]
    msgs.append(_event(99, [Participant(id="Q15031-alias", name="xi  JINPING"), other], day=None))
    await write(engine, rows_for(msgs))

    async def walk(**kw: object) -> list[tuple[dt.date, str]]:
        seen: list[tuple[dt.date, str]] = []
        cursor = None
        async with engine.connect() as conn:
            while True:
                page = await queries.list_events(conn, limit=4, cursor=cursor, **kw)  # type: ignore[arg-type]
                seen += [(e.day, e.id) for e in page.items]
                if page.next_cursor is None:
                    return seen
                cursor = page.next_cursor

    for who in ["Xi Jinping", "Q15031", "Vladimir Putin", "Q1", "nobody"]:
        for bounds in [{}, {"since": dt.date(2024, 1, 3)}, {"until": dt.date(2024, 1, 5)}]:
            fast = await walk(participant=[who], **bounds)
            # type= takes the general path; MEET and CALL together are every event.
            general = await walk(participant=[who], type="MEET", **bounds)
            general += await walk(participant=[who], type="CALL", **bounds)
            assert fast == sorted(general, reverse=True), (who, bounds)
            assert len(fast) == len(set(fast))
    assert "ev-99" in {i for _, i in await walk(participant=["Xi Jinping"])}  # by name, not id


async def test_re_enriched_article_replaces_its_mentions_and_text(engine: AsyncEngine) -> None:
    first = meeting_article(1)
    await write(engine, rows_for([first]))
    fewer = first.model_copy(update={"entities": first.entities[:2]})
    await write(engine, rows_for([fewer]))
    async with engine.connect() as conn:
        kept = await queries.get_article(conn, first.article.id)
        assert kept is not None and [m.entity_id for m in kept.mentions] == ["Q15031", "Q7747"]
        assert [e.id for e in (await queries.list_articles(conn, entity=["Q7747"])).items] == [
            first.article.id
        ]
        dropped = first.entities[2].kb_id or f"name:{first.entities[2].canonical}"
        assert (await queries.list_articles(conn, entity=[dropped])).items == []  # the index forgot it too
    none: EnrichedArticle = first.model_copy(update={"entities": []})
    await write(engine, rows_for([none]))
    assert (await count_rows(engine))["mentions"] == 0
    async with engine.connect() as conn:
        assert (await queries.list_articles(conn, entity=["Q15031"])).items == []

    edited = first.model_copy(
        update={"article": first.article.model_copy(update={"body": first.article.body + " Zanzibar."})}
    )
    await write(engine, rows_for([edited]))
    async with engine.connect() as conn:
        assert (await conn.execute(select(articles.c.body))).scalar_one().endswith("Zanzibar.")
        found = await queries.list_articles(conn, q="zanzibar")
        assert [a.id for a in found.items] == [first.article.id]  # the search index saw the new body


async def test_replaying_a_batch_rewrites_no_row(engine: AsyncEngine, db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("row versions (xmin) are a PostgreSQL notion")
    from sqlalchemy import literal_column

    batch = rows_for([meeting_article(1), meeting_article(2), call_event()])
    await write(engine, batch)
    xmin = literal_column("xmin::text")

    async def versions() -> list[str]:
        async with engine.connect() as conn:
            out: list[str] = []
            for t in (articles, events):
                out += (await conn.execute(select(xmin).select_from(t))).scalars().all()
            return sorted(out)

    before = await versions()
    await write(engine, batch)
    assert await versions() == before


async def test_a_value_postgresql_refuses_raises_a_dbapi_error(engine: AsyncEngine, db_url: str) -> None:
    """The worker isolates and dead-letters on DBAPIError; the COPY path must raise that, not asyncpg's."""
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite stores NUL characters")
    bad = meeting_article(1)
    bad = bad.model_copy(update={"article": bad.article.model_copy(update={"body": "nul \x00 inside"})})
    with pytest.raises(DBAPIError):
        await write(engine, rows_for([bad]))
    await write(engine, rows_for([meeting_article(2)]))  # the connection is still usable
    assert (await count_rows(engine))["articles"] == 1


async def test_co_mentions_count_over_the_entity_s_latest_articles(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    await write(engine, rows_for([meeting_article(n) for n in (1, 2, 3)]))
    async with engine.connect() as conn:
        every = await queries.get_entity(conn, "Q15031")
        monkeypatch.setattr(views, "CO_MENTION_WINDOW", 2)
        latest = await queries.get_entity(conn, "Q15031")
    assert every is not None and latest is not None
    assert {c.id: c.articles for c in every.co_mentioned}["Q7747"] == 3
    assert {c.id: c.articles for c in latest.co_mentioned}["Q7747"] == 2
    assert latest.article_count == 3  # the count itself is not windowed
    monkeypatch.setattr(views, "ARTICLE_COUNT_CAP", 2)
    async with engine.connect() as conn:
        capped = await queries.get_entity(conn, "Xi Jinping")
    assert capped is not None and capped.article_count == 2


async def test_postgresql_plans_each_query_for_its_own_values(engine: AsyncEngine, db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("plan caching is a PostgreSQL notion")
    from sqlalchemy import text

    # One generic plan for every entity made a common entity's page 4x slower (store_bench.py query).
    async with engine.connect() as conn:
        assert (await conn.execute(text("SHOW plan_cache_mode"))).scalar_one() == "force_custom_plan"
