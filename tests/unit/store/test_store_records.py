"""Contracts -> rows, cursors, URLs and error classes: pure, no database."""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from newswire.contracts import (
    Alert,
    AlertSource,
    EnrichedArticle,
    Entity,
    Event,
    EventType,
    Evidence,
    Participant,
    Processing,
    RawArticle,
)
from newswire.errors import ConfigError
from newswire.store.cursor import BadCursor, decode_cursor, encode_cursor
from newswire.store.db import database_url
from newswire.store.records import Message, doc_key, entity_id_for, name_key, rows_for
from newswire.store.retry import is_transient

XI = Participant(id="Q15031", name="Xi Jinping")
PUTIN = Participant(id="Q7747", name="Vladimir Putin")
T0 = datetime(2024, 3, 5, 8, tzinfo=UTC)


def _event(article_id: str, *, date: dt.date | None = None, start: int = 0) -> Event:
    return Event(
        id="ev-1",
        type=EventType.MEET,
        participants=[XI, PUTIN],
        date=date,
        confidence=0.9,
        evidence=[
            Evidence(article_id=article_id, sentence="They met.", start=start, end=start + 9, published_at=T0)
        ],
    )


def _article(n: int, events: list[Event]) -> EnrichedArticle:
    raw = RawArticle(url=f"https://x.test/{n}", title="T", body="Xi Jinping met Putin.", published_at=T0)
    ents = [
        Entity(text="Xi Jinping", label="PERSON", start=3, end=13, kb_id="Q15031"),
        Entity(text="Putin", label="PERSON", start=18, end=23, canonical="Vladimir Putin"),
    ]
    proc = Processing(model="m", model_version="1", pipeline_version="p", took_ms=0)
    return EnrichedArticle(article=raw, entities=ents, events=events, processing=proc)


def test_dates_and_numbers_are_mentions_without_an_entity() -> None:
    art = _article(1, [])
    ents = [
        *art.entities,
        Entity(text="Thursday", label="DATE", start=30, end=38),
        Entity(text="two", label="CARDINAL", start=40, end=43),
    ]
    row = rows_for([art.model_copy(update={"entities": ents})]).articles[art.id]
    assert [(m["text"], m["entity_id"]) for m in row["mentions"]][2:] == [("Thursday", None), ("two", None)]
    assert row["entity_ids"] == ["Q15031", "name:Vladimir Putin"]
    assert set(rows_for([art.model_copy(update={"entities": ents})]).entities) == {
        "Q15031",
        "name:Vladimir Putin",
    }


def test_evidence_from_several_articles_accumulates_under_one_event() -> None:
    rows = rows_for([_event("a-1"), _event("a-2"), _event("a-1")])
    assert list(rows.events) == ["ev-1"]
    assert sorted(k[1] for k in rows.evidence) == ["a-1", "a-2"]
    assert set(rows.participants) == {("ev-1", "Q15031"), ("ev-1", "Q7747")}


def test_event_day_is_the_reported_date_else_first_publication() -> None:
    assert rows_for([_event("a", date=dt.date(2024, 3, 1))]).events["ev-1"]["day"] == dt.date(2024, 3, 1)
    assert rows_for([_event("a")]).events["ev-1"]["day"] == dt.date(2024, 3, 5)
    later = rows_for([_event("a", date=dt.date(2024, 3, 1)), _event("b")]).events["ev-1"]
    assert later["date"] == dt.date(2024, 3, 1)  # a report without a date keeps the known one


def test_article_rows_mentions_entities_and_embedded_events() -> None:
    art = _article(1, [_event("a-x")])
    rows = rows_for([art, art])
    assert list(rows.articles) == [art.id]
    row = rows.articles[art.id]
    assert [m["entity_id"] for m in row["mentions"]] == ["Q15031", "name:Vladimir Putin"]
    assert [m["start"] for m in row["mentions"]] == sorted(m["start"] for m in row["mentions"])
    assert row["entity_ids"] == ["Q15031", "name:Vladimir Putin"]
    assert set(rows.entities) == {"Q15031", "name:Vladimir Putin", "Q7747"}
    assert "ev-1" in rows.events
    assert rows.articles[art.id]["doc_key"] == doc_key(art.id)


def test_an_older_alert_in_the_same_batch_keeps_the_newer_row_but_adds_sources() -> None:
    def alert(hour: int, article_id: str) -> Alert:
        return Alert(
            id="r:ev-1",
            rule="r",
            title="t",
            event_id="ev-1",
            event_type=EventType.MEET,
            event_status="occurred",
            participants=[XI],
            evidence="They met.",
            sources=[AlertSource(article_id=article_id)],
            source_count=1,
            first_seen=T0,
            last_seen=T0.replace(hour=hour),
        )

    rows = rows_for([alert(11, "a-2"), alert(9, "a-1")])
    assert rows.alerts["r:ev-1"]["last_seen"].hour == 11
    assert set(rows.alert_sources) == {("r:ev-1", "a-1"), ("r:ev-1", "a-2")}


def _alert(n: int, article_ids: list[str]) -> Alert:
    return Alert(
        id=f"r:ev-{n}",
        rule="r",
        title="t",
        event_id=f"ev-{n}",
        event_type=EventType.MEET,
        event_status="occurred",
        participants=[XI],
        evidence="They met.",
        sources=[AlertSource(article_id=a) for a in article_ids],
        source_count=len(article_ids),
        first_seen=T0,
        last_seen=T0,
    )


_TABLES = (
    "articles",
    "search_of",
    "entities",
    "events",
    "participants",
    "evidence",
    "alerts",
    "alert_sources",
)


@pytest.mark.parametrize("n", [2, 3, 8])
def test_split_parts_are_disjoint_cover_every_row_and_keep_rows_with_their_owner(n: int) -> None:
    msgs: list[Message] = []
    for i in range(60):
        ev = _event(f"a-{i}", start=i).model_copy(update={"id": f"ev-{i % 25}"})
        msgs.append(
            _article(i, [ev]).model_copy(
                update={"article": _article(i, []).article.model_copy(update={"id": f"a-{i}"})}
            )
        )
        if i % 7 == 0:
            msgs.append(_alert(i, [f"a-{i}", f"a-{i + 1}"]))
    rows = rows_for(msgs)
    parts = rows.split(n)
    assert 1 < len(parts) <= n
    for table in _TABLES:
        whole = getattr(rows, table)
        seen: dict[object, object] = {}
        for part in parts:
            for key, value in getattr(part, table).items():
                assert key not in seen, (table, key)  # one row, one transaction
                seen[key] = value
        assert seen == whole, table
    for part in parts:  # dependants travel with their owner
        assert set(part.search_of) <= set(part.articles)
        assert {e for e, _ in part.participants} <= set(part.events)
        assert {e for e, _, _ in part.evidence} <= set(part.events)
        assert {a for a, _ in part.alert_sources} <= set(part.alerts)
    sizes = [len(p.articles) for p in parts]
    assert min(sizes) >= 60 / n / 3  # spread, not piled into one part


def test_split_of_one_part_or_of_nothing() -> None:
    rows = rows_for([_article(1, [_event("a-1")])])
    assert rows.split(1) == [rows]
    assert rows_for([]).split(4) == []
    assert sum(len(p) for p in rows.split(4)) == len(rows)


def test_names_ids_and_keys() -> None:
    assert name_key("  Xi   JINPING ") == "xi jinping"
    assert entity_id_for(Entity(text="NATO", label="ORG", start=0, end=4)) == "name:NATO"
    assert doc_key("a-1") == doc_key("a-1") != doc_key("a-2")
    assert 0 <= doc_key("a-1") < 2**63


def test_cursor_round_trip_and_rejection() -> None:
    c = encode_cursor("events", "2024-03-05", "ev-1")
    assert decode_cursor("events", c) == ("2024-03-05", "ev-1")
    with pytest.raises(BadCursor, match="belongs to /events"):
        decode_cursor("articles", c)
    for bad in ["", "!!!", "bm90IGpzb24", encode_cursor("events", "x", "y")[:-3]]:
        with pytest.raises(BadCursor):
            decode_cursor("events", bad)


@pytest.mark.parametrize(
    ("given", "driver"),
    [
        ("sqlite:///x.db", "sqlite+aiosqlite"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite"),
        ("postgresql://u@h/db", "postgresql+asyncpg"),
        ("postgres://u@h/db", "postgresql+asyncpg"),
        ("postgresql+asyncpg://u@h/db", "postgresql+asyncpg"),
    ],
)
def test_database_urls_get_the_async_driver(given: str, driver: str) -> None:
    assert database_url(given).drivername == driver


@pytest.mark.parametrize("bad", ["mysql://u@h/db", "postgresql+psycopg2://u@h/db", "not a url"])
def test_unsupported_database_urls_are_config_errors(bad: str) -> None:
    with pytest.raises(ConfigError, match="NEWSWIRE_DATABASE_URL"):
        database_url(bad)


def test_transient_database_errors() -> None:
    assert is_transient(OperationalError("x", {}, Exception("database is locked")))
    assert is_transient(ConnectionRefusedError())
    assert not is_transient(IntegrityError("x", {}, Exception("duplicate")))

    class PgError(Exception):
        def __init__(self, sqlstate: str) -> None:
            self.sqlstate = sqlstate

    # Concurrent writers (lanes, several store workers) may deadlock or fail to serialize: retry.
    assert is_transient(DBAPIError("x", {}, PgError("40P01")))
    assert is_transient(DBAPIError("x", {}, PgError("40001")))
    assert not is_transient(DBAPIError("x", {}, PgError("22021")))  # bad byte sequence: the record's fault
    assert not is_transient(ValueError("bug"))
