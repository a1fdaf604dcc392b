"""PostgreSQL fast path behind `repository.write_rows`: COPY, then one INSERT ... SELECT per table.

Each table's rows are COPYed (binary protocol) into a session-local staging table, then one script
applies every upsert from the staging tables in a single round trip. The rules are the portable
path's (repository.py), with one difference that changes no stored value, and one column the
portable path does not know (PostgreSQL's `search`, a binary tsvector built by newswire.fulltext):

- a re-delivered article or event whose values are unchanged is not rewritten, so a replay leaves
  no dead tuples behind (and no GIN or full-text index work).

Staging tables are `TEMP ... ON COMMIT DELETE ROWS`: created once per connection, emptied by every
commit and by a rollback, so nothing leaks between batches or sessions. asyncpg errors are re-raised
as SQLAlchemy errors, so `retry.is_transient` and the worker's poison-record isolation see the same
exceptions as on the portable path.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from functools import partial
from operator import itemgetter
from typing import Any

import asyncpg
from pydantic_core import to_json
from sqlalchemy import JSON, Table, text
from sqlalchemy.exc import DBAPIError, InterfaceError
from sqlalchemy.ext.asyncio import AsyncConnection

from newswire.contracts import SearchVector
from newswire.store.records import Row, Rows, tsvector_of
from newswire.store.tables import (
    alert_sources,
    articles,
    entities,
    event_evidence,
    event_participants,
    events,
)

__all__ = ["write_rows"]

_TABLES = (articles, entities, events, event_participants, event_evidence, alert_sources)


def _q(name: str) -> str:
    return f'"{name}"'


def _stage(table: Table) -> str:
    """Session-local staging table; the name carries the column list, so a connection that outlived
    a schema change never COPYs into a staging table of the old shape."""
    return f"_stage_{table.name}_{zlib.crc32(' '.join(_columns(table)).encode()):08x}"


# Columns only PostgreSQL's tables have (added by the migrations, not in tables.py).
_PG_ONLY = {"articles": ["search"]}


def _columns(table: Table) -> list[str]:
    return [c.name for c in table.columns] + _PG_ONLY.get(table.name, [])


def _pk(table: Table) -> list[str]:
    return [c.name for c in table.primary_key.columns]


def _changed(table: Table, names: Sequence[str], new: dict[str, str] | None = None) -> str:
    """`(t.a, t.b) IS DISTINCT FROM (EXCLUDED.a, EXCLUDED.b)`: update only when a value changes.
    `json` has no equality operator: JSON columns compare as text, which PostgreSQL keeps verbatim."""

    def side(n: str, expr: str) -> str:
        return f"CAST({expr} AS text)" if n in table.c and isinstance(table.c[n].type, JSON) else expr

    mine = ", ".join(side(n, f"{table.name}.{_q(n)}") for n in names)
    theirs = ", ".join(side(n, (new or {}).get(n, f"EXCLUDED.{_q(n)}")) for n in names)
    return f"({mine}) IS DISTINCT FROM ({theirs})"


def _upsert(
    table: Table, *, update: dict[str, str] | None = None, where: str | None = None, source: str = ""
) -> str:
    cols = ", ".join(_q(n) for n in _columns(table))
    pk = ", ".join(_q(n) for n in _pk(table))
    # Rows go in primary-key order, so concurrent writers (several store workers) take row locks in
    # one order and cannot deadlock on each other.
    head = (
        f"INSERT INTO {table.name} ({cols}) SELECT {cols} FROM {source or _stage(table)} "
        f"ORDER BY {pk} ON CONFLICT ({pk}) "
    )
    if update is None:
        return head + "DO NOTHING"
    sets = ", ".join(f"{_q(n)} = {expr}" for n, expr in update.items())
    return head + f"DO UPDATE SET {sets}" + (f" WHERE {where}" if where else "")


def _replace(table: Table, keep: Sequence[str] = ()) -> list[str]:
    skip = set(_pk(table)) | set(keep)
    return [n for n in _columns(table) if n not in skip]


_ARTICLE_COLS = _replace(articles, keep=["doc_key"])
_EVENT_SET = {
    **{n: f"EXCLUDED.{_q(n)}" for n in _replace(events, keep=["date", "day"])},
    # An event reported without a date keeps the date an earlier report gave it.
    "date": "coalesce(EXCLUDED.date, events.date)",
    "day": "coalesce(EXCLUDED.date, events.day)",
}

# One statement per table, in one script (simple query protocol: one round trip, one transaction).
_APPLY: dict[str, str] = {
    "articles": _upsert(
        articles,
        update={n: f"EXCLUDED.{_q(n)}" for n in _ARTICLE_COLS},
        where=_changed(articles, _ARTICLE_COLS),
    ),
    "entities": _upsert(entities),
    "events": _upsert(events, update=_EVENT_SET, where=_changed(events, list(_EVENT_SET), _EVENT_SET)),
    "event_participants": _upsert(event_participants),
    "event_evidence": _upsert(event_evidence),
    "alert_sources": _upsert(alert_sources),
}


# The search column goes over the wire as PostgreSQL's binary tsvector, which the server reads in
# ~10 µs per article; the text form costs ~150 µs to parse and to_tsvector() ~360 µs. asyncpg only
# knows tsvector as text, so the binary codec is set for the COPY and reset after it: the pooled
# connection goes back as it came (a query with a tsvector parameter would otherwise meet bytes).
async def _copy_articles(raw: asyncpg.Connection, stage: str, records: list[Any], names: list[str]) -> None:
    await raw.set_type_codec("tsvector", schema="pg_catalog", encoder=bytes, decoder=bytes, format="binary")
    try:
        await raw.copy_records_to_table(stage, records=records, columns=names)
    finally:
        await raw.reset_type_codec("tsvector", schema="pg_catalog")


async def _copy(raw: asyncpg.Connection, stage: str, records: list[Any], names: list[str]) -> None:
    await raw.copy_records_to_table(stage, records=records, columns=names)


_CREATE = [
    # INCLUDING COMPRESSION: values are compressed once, as they go into the stage, with the method
    # of the target column (migration 0007), and move on as they are.
    f"CREATE TEMP TABLE IF NOT EXISTS {_stage(t)} (LIKE {t.name} INCLUDING COMPRESSION) ON COMMIT DELETE ROWS"
    for t in _TABLES
]


def _staged(rows: Rows) -> dict[str, list[Row]]:
    return {
        "articles": list(rows.articles.values()),
        "entities": list(rows.entities.values()),
        "events": list(rows.events.values()),
        "event_participants": list(rows.participants.values()),
        "event_evidence": list(rows.evidence.values()),
        "alert_sources": list(rows.alert_sources.values()),
    }


_ARTICLE_PLAIN = itemgetter(*[n for n in _columns(articles) if n not in {"mentions", "search"}])
assert _columns(articles)[-2:] == ["mentions", "search"], "_article_record builds the last two columns"


def _article_record(row: Row, search: SearchVector | None) -> tuple[Any, ...]:
    """COPY takes `json` as text (pydantic's serializer: ~12 µs for a real article's 31 mentions,
    the json module ~50), and `search` as the binary tsvector."""
    mentions = to_json(row["mentions"]).decode()
    return (*_ARTICLE_PLAIN(row), mentions, tsvector_of(search, row["title"], row["body"]))


async def _driver(conn: AsyncConnection, statement: str, call: Callable[[], Any]) -> Any:
    """Run an asyncpg call, raising what SQLAlchemy would have raised for the same failure."""
    try:
        return await call()
    except asyncpg.PostgresError as e:  # the server refused: SQLSTATE kept on .orig
        raise DBAPIError(statement, None, e) from e
    except asyncpg.exceptions.DataError as e:  # a value the driver cannot encode: the record's fault
        raise DBAPIError(statement, None, e) from e
    except asyncpg.InterfaceError as e:  # connection closed or broken: transient
        raise InterfaceError(statement, None, e) from e


async def write_rows(conn: AsyncConnection, rows: Rows) -> None:
    """Stage and apply all tables but alerts (JSON columns, few rows: the portable path does those)."""
    # The first statement goes through SQLAlchemy, which opens the transaction the rest joins.
    # Created per batch, not per connection: a rolled-back batch also rolls back a fresh CREATE.
    await conn.execute(text(_CREATE[0]))
    raw = (await conn.get_raw_connection()).driver_connection
    assert raw is not None and raw.is_in_transaction(), "the COPYs must run inside the batch's transaction"
    rest = ";\n".join(_CREATE[1:])
    await _driver(conn, rest, lambda: raw.execute(rest))
    staged = _staged(rows)
    script: list[str] = []
    for table in _TABLES:
        batch = staged[table.name]
        if batch:
            names = _columns(table)
            if table is articles:
                records = [_article_record(r, rows.search_of.get(r["id"])) for r in batch]
            else:
                records = list(map(itemgetter(*names), batch))
            stage = _stage(table)
            how = _copy_articles if table is articles else _copy
            await _driver(conn, f"COPY {stage}", partial(how, raw, stage, records, names))
            script.append(_APPLY[table.name])
    if script:
        sql = ";\n".join(script)
        await _driver(conn, sql, lambda: raw.execute(sql))
