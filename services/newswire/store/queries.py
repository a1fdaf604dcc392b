"""Reads behind the query API and `newswire query`: one function per question, SQL kept here.

Lists are keyset-paginated newest first; names typed by people match case-insensitively
(`records.name_key`), ids match exactly.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    Text,
    and_,
    bindparam,
    cast,
    func,
    literal_column,
    or_,
    select,
    text,
    true,
    tuple_,
    union,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSQUERY
from sqlalchemy.ext.asyncio import AsyncConnection

from newswire import fulltext
from newswire.contracts import AlertSource, Location, Participant
from newswire.store import views
from newswire.store.cursor import BadCursor, decode_cursor, encode_cursor
from newswire.store.records import name_key
from newswire.store.tables import (
    alert_sources,
    alerts,
    article_entities,
    articles,
    entities,
    event_evidence,
    event_participants,
    events,
)
from newswire.store.views import (
    AlertOut,
    ArticleDetail,
    ArticleMention,
    ArticleOut,
    CoMention,
    EntityDetail,
    EventDetail,
    EventOut,
    EvidenceOut,
    MentionOut,
    Page,
    SourceArticle,
)

__all__ = [
    "BadCursor",
    "get_alert",
    "get_article",
    "get_entity",
    "get_event",
    "list_alerts",
    "list_articles",
    "list_events",
    "parse_instant",
]

_SNIPPET = 280


def parse_instant(value: str, *, end_of_day: bool = False) -> dt.datetime:
    """ISO date or datetime -> aware UTC. A bare date is the start of that UTC day, or its end
    (`end_of_day`, for inclusive upper bounds); a datetime without offset is taken as UTC."""
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            return dt.datetime.combine(day, dt.time.max if end_of_day else dt.time.min, tzinfo=dt.UTC)
        parsed = dt.datetime.fromisoformat(value)
        return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        raise ValueError(
            f"{value!r} is not an ISO date (2024-01-31) or datetime (2024-01-31T08:00:00Z)"
        ) from None


def _page(kind: str, items: list[Any], limit: int, key: Any) -> tuple[list[Any], str | None]:
    if len(items) <= limit:
        return items, None
    items = items[:limit]
    return items, encode_cursor(kind, key(items[-1]), items[-1].id)


def _aware(value: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("cursor time without offset")
    return parsed


def _after(kind: str, cursor: str | None, parse: Any) -> tuple[Any, str] | None:
    if cursor is None:
        return None
    key, row_id = decode_cursor(kind, cursor)
    try:
        return parse(key), row_id
    except ValueError:
        raise BadCursor("cursor is not valid: pass back next_cursor exactly as returned") from None


# --------------------------------------------------------------------------- articles


def _fts_filter(conn: AsyncConnection, q: str) -> Any:
    if conn.dialect.name == "postgresql":
        # The query goes through the rules that built the stored vectors (newswire.fulltext).
        tsq = fulltext.tsquery(q)
        if tsq is None:
            return articles.c.id.is_(None)  # nothing searchable matches nothing
        return literal_column("articles.search").op("@@")(cast(tsq, TSQUERY))
    clauses = fulltext.parse_query(q)  # the same reading of `q` as PostgreSQL's, in FTS5's terms
    if not clauses:
        return articles.c.id.is_(None)  # nothing to search for matches nothing, as in PostgreSQL
    either = []
    for clause in clauses:
        wanted = [_fts5_phrase(t.text) for t in clause if not t.negate]
        # FTS5's NOT is binary ("a NOT b"): a clause of negations alone needs the subquery form.
        cond = [articles.c.doc_key.not_in(_fts5_match(_fts5_phrase(t.text))) for t in clause if t.negate]
        if wanted:
            cond.append(articles.c.doc_key.in_(_fts5_match(" AND ".join(wanted))))
        either.append(and_(*cond))
    return or_(*either)


def _fts5_phrase(term: str) -> str:
    """A term as an FTS5 phrase of its tokens: FTS5 tokenises it as it did the article."""
    return '"' + " ".join(re.findall(r"\w+", term)) + '"'


def _fts5_match(expr: str) -> Any:
    fts: Any = bindparam("fts", expr, unique=True)  # several MATCHes may share one statement
    return (
        text("SELECT rowid FROM articles_fts WHERE articles_fts MATCH :fts")
        .bindparams(fts)
        .columns(rowid=Integer)
    )


def _entity_ids(value: str) -> Select[Any]:
    return select(entities.c.id).where(or_(entities.c.id == value, entities.c.name_key == name_key(value)))


def _naming(conn: AsyncConnection, ids: Sequence[str]) -> Any:
    """Articles that name any of the entities `ids`: an index lookup on both databases."""
    if conn.dialect.name == "postgresql":
        return articles.c.entity_ids.op("&&")(cast(ids, ARRAY(Text)))  # GIN index
    return articles.c.id.in_(
        select(article_entities.c.article_id).where(article_entities.c.entity_id.in_(ids))
    )


def _named_by(conn: AsyncConnection, source: Any) -> Any:
    """Each entity id of each article in `source`, as rows of one column `value`."""
    if conn.dialect.name == "postgresql":
        return func.unnest(source.c.entity_ids).table_valued("value").render_derived()  # AS x(value)
    return func.json_each(source.c.entity_ids).table_valued("value")  # json_each's own column


def _article_out(r: Any) -> ArticleOut:
    return ArticleOut(
        id=r.id,
        url=r.url,
        source=r.source,
        title=r.title,
        published_at=r.published_at,
        language=r.language,
        dateline=r.dateline,
        agency=r.agency,
        snippet=r.body[:_SNIPPET],
    )


async def list_articles(
    conn: AsyncConnection,
    *,
    q: str | None = None,
    entity: Sequence[str] = (),
    source: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> Page[ArticleOut]:
    cols = [c for c in articles.c if c.name not in {"body", "entity_ids", "mentions"}] + [
        func.substr(articles.c.body, 1, _SNIPPET).label("body")
    ]
    stmt = select(*cols)
    if q is not None:
        stmt = stmt.where(_fts_filter(conn, q))
    for value in entity:  # every entity must be mentioned
        stmt = stmt.where(_naming(conn, (await conn.execute(_entity_ids(value))).scalars().all()))
    if source is not None:
        stmt = stmt.where(articles.c.source == source)
    if since is not None:
        stmt = stmt.where(articles.c.published_at >= since)
    if until is not None:
        stmt = stmt.where(articles.c.published_at <= until)
    after = _after("articles", cursor, _aware)
    if after is not None:
        stmt = stmt.where(tuple_(articles.c.published_at, articles.c.id) < after)
    stmt = stmt.order_by(articles.c.published_at.desc(), articles.c.id.desc()).limit(limit + 1)
    rows = [_article_out(r) for r in await conn.execute(stmt)]
    items, nxt = _page("articles", rows, limit, lambda a: a.published_at.isoformat())
    return Page[ArticleOut](items=items, next_cursor=nxt)


async def get_article(conn: AsyncConnection, article_id: str) -> ArticleDetail | None:
    r = (await conn.execute(select(articles).where(articles.c.id == article_id))).first()
    if r is None:
        return None
    evs = await conn.execute(
        select(event_evidence.c.event_id).where(event_evidence.c.article_id == article_id).distinct()
    )
    return ArticleDetail(
        **_article_out(r).model_dump(),
        body=r.body,
        model=r.model,
        pipeline_version=r.pipeline_version,
        mentions=[ArticleMention.model_validate(m) for m in r.mentions],
        event_ids=sorted(e.event_id for e in evs),
    )


# --------------------------------------------------------------------------- events


async def _event_outs(conn: AsyncConnection, rows: Sequence[Any], detail: bool = False) -> list[Any]:
    ids = [r.id for r in rows]
    if not ids:
        return []
    people: dict[str, list[Participant]] = defaultdict(list)
    for p in await conn.execute(
        select(event_participants)
        .where(event_participants.c.event_id.in_(ids))
        .order_by(event_participants.c.name)
    ):
        people[p.event_id].append(
            Participant(id=p.participant_id, name=p.name, role=p.role, country=p.country)
        )
    counts: dict[str, int] = dict(
        (
            await conn.execute(
                select(event_evidence.c.event_id, func.count(event_evidence.c.article_id.distinct()))
                .where(event_evidence.c.event_id.in_(ids))
                .group_by(event_evidence.c.event_id)
            )
        ).all()
    )
    return [
        EventOut(
            id=r.id,
            type=r.type,
            status=r.status,
            medium=r.medium,
            date=r.date,
            day=r.day,
            location=Location(name=r.location_name, country=r.location_country) if r.location_name else None,
            confidence=r.confidence,
            participants=people[r.id],
            source_count=int(counts.get(r.id, 0)),
        )
        for r in rows
    ]


def _participant_filter(value: str) -> Any:
    who = select(event_participants.c.event_id).where(
        or_(event_participants.c.participant_id == value, event_participants.c.name_key == name_key(value))
    )
    return events.c.id.in_(who)


def _newest_of(value: str, bounds: Sequence[Any], n: int) -> Any:
    """`events.id IN` the newest n events of one participant (by id or by name) within `bounds`:
    two backward scans of (participant_id | name_key, day, event_id), n rows each, however many
    events the person has. Exact because event_participants.day equals events.day (the writer
    keeps them in step), so the newest n of the union lie in the union of each side's newest n."""
    ep = event_participants

    def side(match: Any) -> Any:
        newest = select(ep.c.event_id).where(match, *bounds).order_by(ep.c.day.desc(), ep.c.event_id.desc())
        return select(newest.limit(n).subquery().c.event_id)

    return events.c.id.in_(union(side(ep.c.participant_id == value), side(ep.c.name_key == name_key(value))))


def _day_bounds(
    day: Any, id_: Any, since: dt.date | None, until: dt.date | None, after: tuple[Any, str] | None
) -> list[Any]:
    bounds = []
    if since is not None:
        bounds.append(day >= since)
    if until is not None:
        bounds.append(day <= until)
    if after is not None:
        bounds.append(tuple_(day, id_) < after)
    return bounds


async def list_events(
    conn: AsyncConnection,
    *,
    type: str | None = None,
    status: str | None = None,
    participant: Sequence[str] = (),
    location: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    q: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> Page[EventOut]:
    """`q`: full-text search (as for articles) over the event's stored source articles."""
    stmt = select(events)
    if type is not None:
        stmt = stmt.where(events.c.type == type)
    if status is not None:
        stmt = stmt.where(events.c.status == status)
    if location is not None:
        stmt = stmt.where(
            or_(events.c.location_key == name_key(location), events.c.location_country == location.upper())
        )
    if q is not None:
        reported = select(articles.c.id).where(_fts_filter(conn, q))
        stmt = stmt.where(
            events.c.id.in_(
                select(event_evidence.c.event_id).where(event_evidence.c.article_id.in_(reported))
            )
        )
    after = _after("events", cursor, dt.date.fromisoformat)
    bounds = _day_bounds(events.c.day, events.c.id, since, until, after)
    stmt = stmt.where(*bounds)
    if len(participant) == 1 and type is None and status is None and location is None and q is None:
        # The common question, one person's newest events: read them off the participant index.
        ep = event_participants
        stmt = stmt.where(
            _newest_of(participant[0], _day_bounds(ep.c.day, ep.c.event_id, since, until, after), limit + 1)
        )
    else:
        for value in participant:  # every participant must take part
            stmt = stmt.where(_participant_filter(value))
    stmt = stmt.order_by(events.c.day.desc(), events.c.id.desc()).limit(limit + 1)
    rows = (await conn.execute(stmt)).all()
    outs = await _event_outs(conn, rows)
    items, nxt = _page("events", outs, limit, lambda e: e.day.isoformat())
    return Page[EventOut](items=items, next_cursor=nxt)


async def get_event(conn: AsyncConnection, event_id: str) -> EventDetail | None:
    r = (await conn.execute(select(events).where(events.c.id == event_id))).first()
    if r is None:
        return None
    (out,) = await _event_outs(conn, [r])
    ev = (
        await conn.execute(
            select(
                event_evidence,
                articles.c.url.label("a_url"),
                articles.c.title.label("a_title"),
                articles.c.source.label("a_source"),
                articles.c.published_at.label("a_published"),
                articles.c.id.label("stored"),
            )
            .join(articles, articles.c.id == event_evidence.c.article_id, isouter=True)
            .where(event_evidence.c.event_id == event_id)
            .order_by(event_evidence.c.published_at, event_evidence.c.article_id, event_evidence.c.start)
        )
    ).all()
    sources: dict[str, SourceArticle] = {}
    for e in ev:
        sources.setdefault(
            e.article_id,
            SourceArticle(
                article_id=e.article_id,
                url=e.a_url or e.url,
                title=e.a_title or e.title,
                source=e.a_source or e.source,
                published_at=e.a_published or e.published_at,
                stored=e.stored is not None,
            ),
        )
    return EventDetail(
        **out.model_dump(),
        evidence=[
            EvidenceOut(article_id=e.article_id, sentence=e.sentence, start=e.start, end=e.end) for e in ev
        ],
        sources=list(sources.values()),
    )


# --------------------------------------------------------------------------- entities


async def _article_count(conn: AsyncConnection, entity_id: str) -> int:
    """How many articles name the entity, counted up to views.ARTICLE_COUNT_CAP: an exact count of
    what half the wire names would read half the articles table."""
    some = select(articles.c.id).where(_naming(conn, [entity_id])).limit(views.ARTICLE_COUNT_CAP)
    capped = select(func.count()).select_from(some.subquery())
    return int((await conn.execute(capped)).scalar_one())


async def get_entity(conn: AsyncConnection, id_or_name: str, *, limit: int = 20) -> EntityDetail | None:
    ent = (await conn.execute(select(entities).where(entities.c.id == id_or_name))).first()
    if ent is None:  # a name: prefer knowledge-base entities, then the most written about
        same_name = select(entities).where(entities.c.name_key == name_key(id_or_name))
        candidates = (await conn.execute(same_name)).all()
        counts = {e.id: await _article_count(conn, e.id) for e in candidates} if len(candidates) > 1 else {}
        ent = min(
            candidates, key=lambda e: (e.id.startswith("name:"), -counts.get(e.id, 0), e.id), default=None
        )
    if ent is None:
        return None
    count = await _article_count(conn, ent.id)
    naming = _naming(conn, [ent.id])
    recent = await conn.execute(
        select(articles.c.id, articles.c.title, articles.c.published_at, articles.c.mentions)
        .where(naming)
        .order_by(articles.c.published_at.desc(), articles.c.id.desc())
        .limit(limit)
    )
    mentions = [
        MentionOut(article_id=a.id, title=a.title, published_at=a.published_at, **m)
        for a in recent
        for m in a.mentions
        if m["entity_id"] == ent.id
    ][:limit]
    named = (
        select(articles.c.id, articles.c.entity_ids)
        .where(naming)
        .order_by(articles.c.published_at.desc())
        .limit(views.CO_MENTION_WINDOW)
        .subquery()
    )
    other = _named_by(conn, named)
    shared = func.count(named.c.id.distinct()).label("n")
    co = await conn.execute(
        select(entities.c.id, entities.c.name, entities.c.label, shared)
        .select_from(named)
        .join(other, true())
        .join(entities, entities.c.id == other.c.value)
        .where(other.c.value != ent.id)
        .group_by(entities.c.id, entities.c.name, entities.c.label)
        .order_by(shared.desc(), entities.c.id)
        .limit(limit)
    )
    ep = event_participants
    meetings = (
        await conn.execute(
            select(events)
            .join(ep, ep.c.event_id == events.c.id)
            .where(ep.c.participant_id == ent.id, events.c.type == "MEET")
            # The person's own events, newest first off the participant index, until `limit` are
            # meetings; ordering by events.day instead walked every event of every person.
            .order_by(ep.c.day.desc(), ep.c.event_id.desc())
            .limit(limit)
        )
    ).all()
    return EntityDetail(
        id=ent.id,
        name=ent.name,
        label=ent.label,
        article_count=count,
        mentions=mentions,
        co_mentioned=[CoMention(id=c.id, name=c.name, label=c.label, articles=int(c.n)) for c in co],
        meetings=await _event_outs(conn, meetings),
    )


# --------------------------------------------------------------------------- alerts


async def _alert_outs(conn: AsyncConnection, rows: Sequence[Any]) -> list[AlertOut]:
    ids = [r.id for r in rows]
    srcs: dict[str, list[AlertSource]] = defaultdict(list)
    if ids:
        for s in await conn.execute(
            select(alert_sources)
            .where(alert_sources.c.alert_id.in_(ids))
            .order_by(alert_sources.c.article_id)
        ):
            srcs[s.alert_id].append(
                AlertSource(article_id=s.article_id, url=s.url, title=s.title, source=s.source)
            )
    return [
        AlertOut(
            id=r.id,
            rule=r.rule,
            severity=r.severity,
            state=r.state,
            title=r.title,
            event_id=r.event_id,
            event_type=r.event_type,
            event_status=r.event_status,
            medium=r.medium,
            participants=[Participant.model_validate(p) for p in r.participants],
            location=Location.model_validate(r.location) if r.location else None,
            date=r.date,
            evidence=r.evidence,
            source_count=r.source_count,
            first_seen=r.first_seen,
            last_seen=r.last_seen,
            sent_at=r.sent_at,
            sources=srcs[r.id],
        )
        for r in rows
    ]


async def list_alerts(
    conn: AsyncConnection,
    *,
    rule: str | None = None,
    event_id: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> Page[AlertOut]:
    stmt = select(alerts)
    if rule is not None:
        stmt = stmt.where(alerts.c.rule == rule)
    if event_id is not None:
        stmt = stmt.where(alerts.c.event_id == event_id)
    if since is not None:
        stmt = stmt.where(alerts.c.last_seen >= since)
    if until is not None:
        stmt = stmt.where(alerts.c.last_seen <= until)
    after = _after("alerts", cursor, _aware)
    if after is not None:
        stmt = stmt.where(tuple_(alerts.c.last_seen, alerts.c.id) < after)
    stmt = stmt.order_by(alerts.c.last_seen.desc(), alerts.c.id.desc()).limit(limit + 1)
    outs = await _alert_outs(conn, (await conn.execute(stmt)).all())
    items, nxt = _page("alerts", outs, limit, lambda a: a.last_seen.isoformat())
    return Page[AlertOut](items=items, next_cursor=nxt)


async def get_alert(conn: AsyncConnection, alert_id: str) -> AlertOut | None:
    r = (await conn.execute(select(alerts).where(alerts.c.id == alert_id))).first()
    return (await _alert_outs(conn, [r]))[0] if r is not None else None
