"""Writes: one transaction per set of rows (a batch, or one lane of it) of idempotent upserts by primary key.

Replaying a message changes nothing: articles (with their mentions, which live in the article row),
events and alerts are upserted with the same values, and evidence, participants and sources are
insert-if-absent, so a second article about the same event adds rows, never replaces.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import JSON, DateTime, Table, bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from newswire.store import pgcopy
from newswire.store.records import Row, Rows
from newswire.store.tables import (
    UTCDateTime,
    alert_sources,
    alerts,
    articles,
    entities,
    event_evidence,
    event_participants,
    events,
    metadata,
)

__all__ = ["count_rows", "write", "write_rows"]


def _insert(conn: AsyncConnection, table: Table) -> Any:
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)


async def _upsert(
    conn: AsyncConnection,
    table: Table,
    rows: Sequence[Row],
    *,
    update: dict[str, Any] | Callable[[Any], dict[str, Any]] | None = None,
    where: Any = None,
) -> None:
    """INSERT ... ON CONFLICT (pk) DO UPDATE SET <update> [WHERE ...] | DO NOTHING, as multi-row VALUES."""
    if not rows:
        return
    pk = [c.name for c in table.primary_key.columns]
    if conn.dialect.name == "postgresql" and not any(isinstance(c.type, JSON) for c in table.columns):
        stmt = _pg_unnest(table, list(rows[0]))
        params: Any = _columns(rows)
    else:
        stmt = _insert(conn, table)
        params = list(rows)  # executemany: the driver batches ("insertmanyvalues")
    if update is None:
        stmt = stmt.on_conflict_do_nothing(index_elements=pk)
    else:
        set_ = update(stmt) if callable(update) else update
        stmt = stmt.on_conflict_do_update(
            index_elements=pk, set_=set_, where=where(stmt) if callable(where) else where
        )
    await conn.execute(stmt, params)


def _pg_unnest(table: Table, names: list[str]) -> Any:
    """INSERT INTO t (...) SELECT unnest(:a), unnest(:b), ...: one statement and one array parameter
    per column, however many rows (cheaper than a row-per-statement executemany). Tables with JSON
    columns (alerts, few rows) take the executemany path."""
    cols = [table.c[n] for n in names]
    arrays = [func.unnest(bindparam(c.name, type_=postgresql.ARRAY(_array_item(c.type)))) for c in cols]
    return postgresql.insert(table).from_select(names, select(*arrays))


def _array_item(t: Any) -> Any:
    if isinstance(t, UTCDateTime):
        return DateTime(timezone=True)  # contracts only carry aware datetimes; asyncpg takes them as they are
    return t


def _columns(rows: Sequence[Row]) -> dict[str, list[Any]]:
    names = list(rows[0])
    return {n: [r[n] for r in rows] for n in names}


def _replace_all(table: Table, keep: Iterable[str] = ()) -> Any:
    """SET every non-key column to the incoming value (except `keep`)."""
    skip = {c.name for c in table.primary_key.columns} | set(keep)
    return lambda stmt: {c.name: stmt.excluded[c.name] for c in table.columns if c.name not in skip}


async def write_rows(conn: AsyncConnection, rows: Rows) -> None:
    """Apply one folded batch inside the caller's transaction. On asyncpg the bulk path (pgcopy.py)
    writes every table but alerts, with the same rules."""
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "asyncpg":
        await pgcopy.write_rows(conn, rows)
    else:
        await _write_portable(conn, rows)
    await _upsert(
        conn,
        alerts,
        list(rows.alerts.values()),
        update=_replace_all(alerts, keep=["first_seen"]),
        where=lambda stmt: alerts.c.last_seen <= stmt.excluded.last_seen,  # an older notice never wins
    )


async def _write_portable(conn: AsyncConnection, rows: Rows) -> None:
    await _upsert(
        conn, articles, list(rows.articles.values()), update=_replace_all(articles, keep=["doc_key"])
    )
    await _upsert(conn, entities, list(rows.entities.values()))
    await _upsert(
        conn,
        events,
        list(rows.events.values()),
        update=lambda stmt: {
            **_replace_all(events, keep=["date", "day"])(stmt),
            # An event reported without a date keeps the date an earlier report gave it.
            "date": func.coalesce(stmt.excluded.date, events.c.date),
            "day": func.coalesce(stmt.excluded.date, events.c.day),
        },
    )
    await _upsert(conn, event_participants, list(rows.participants.values()))
    ids = list(rows.events)
    for i in range(0, len(ids), 5_000):  # participants take the day the stored event ended up with
        stored = select(events.c.day).where(events.c.id == event_participants.c.event_id).scalar_subquery()
        await conn.execute(
            update(event_participants)
            .where(event_participants.c.event_id.in_(ids[i : i + 5_000]), event_participants.c.day != stored)
            .values(day=stored)
        )
    await _upsert(conn, event_evidence, list(rows.evidence.values()))
    await _upsert(conn, alert_sources, list(rows.alert_sources.values()))


async def write(engine: AsyncEngine, rows: Rows) -> None:
    """One transaction: all of `rows` is stored or none of it."""
    async with engine.begin() as conn:
        await write_rows(conn, rows)


async def count_rows(engine: AsyncEngine) -> dict[str, int]:
    """Rows per table, plus "mentions": the entity mentions kept inside the article rows."""
    async with engine.connect() as conn:
        counts = {
            t.name: int((await conn.execute(select(func.count()).select_from(t))).scalar_one())
            for t in metadata.sorted_tables
        }
        mentions = select(func.coalesce(func.sum(func.json_array_length(articles.c.mentions)), 0))
        counts["mentions"] = int((await conn.execute(mentions)).scalar_one())
        return counts
