"""The desk's pages, rendered on the server from the store's own queries (newswire.store.queries).

/                         live alerts (updated by /stream)
/desk/graph               who met whom over a period
/desk/events              the events table and its filters
/desk/events/{id}         one event: its evidence highlighted in each article, its sources
/desk/entities/{id}       one leader: timeline of meetings, calls and visits, whom they met most
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, StreamingResponse
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from newswire.contracts import EventStatus, EventType, utcnow
from newswire.store import queries
from newswire.store.cursor import BadCursor
from newswire.store.meetings import meeting_graph
from newswire.store.web.access import PageRoute
from newswire.store.web.highlight import article_text, runs
from newswire.store.web.layout import RECENCY, layout
from newswire.store.web.render import page
from newswire.store.web.stream import alert_events, watermark_from

__all__ = ["page_router", "stream_router"]

TIMELINE_TYPES = ("MEET", "CALL", "VISIT")
MAX_NODES, MAX_EDGES = 40, 300
Text = Annotated[str, Query(max_length=200)]


async def _conn(request: Request) -> AsyncIterator[AsyncConnection]:
    engine: AsyncEngine = request.app.state.engine
    async with engine.connect() as conn:
        yield conn


Conn = Annotated[AsyncConnection, Depends(_conn)]


def _date(name: str, value: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise HTTPException(400, f"{name}: {value!r} is not a date like 2024-05-16") from None


def _period(since: str, until: str) -> tuple[dt.date | None, dt.date | None]:
    lo, hi = _date("from", since), _date("until", until)
    if lo and hi and lo > hi:
        raise HTTPException(400, "the period starts after it ends")
    return lo, hi


def _choice(name: str, value: str, allowed: Any) -> str | None:
    if not value:
        return None
    if value not in {m.value for m in allowed}:
        raise HTTPException(400, f"{name}: {value!r} is not one of {', '.join(m.value for m in allowed)}")
    return value


def _query(**params: str | None) -> str:
    return urlencode({k: v for k, v in params.items() if v})


def page_router() -> APIRouter:
    r = APIRouter(route_class=PageRoute, include_in_schema=False, default_response_class=HTMLResponse)

    @r.get("/")
    async def alerts(request: Request, conn: Conn) -> HTMLResponse:
        rendered_at = utcnow()
        listed = await queries.list_alerts(conn, limit=100)
        return page(
            "alerts.html", nav="alerts", alerts=listed.items, since=rendered_at.isoformat(),
            more=listed.next_cursor is not None,
        )  # fmt: skip

    @r.get("/desk/graph")
    async def graph(
        conn: Conn,
        since: Text = "",
        until: Text = "",
        country: Annotated[str, Query(max_length=8)] = "",
        leader: Text = "",
        edge: Annotated[str, Query(max_length=600)] = "",
    ) -> HTMLResponse:
        lo, hi = _period(since, until)
        g = await meeting_graph(conn, since=lo, until=hi, country=country or None, leader=leader or None)
        end = hi or max((e.last for e in g.edges), default=utcnow().date())
        # A ring of more names, or more lines, is unreadable; the filters narrow it down.
        shown, drawn = g.nodes[:MAX_NODES], g.edges[:MAX_EDGES]
        nodes, lines = layout(shown, drawn, end=end)
        picked = next((e for e in g.edges if f"{e.source}|{e.target}" == edge), None)
        picked_events = []
        if picked is not None:
            details = [await queries.get_event(conn, i) for i in picked.event_ids[:50]]
            picked_events = [d for d in details if d is not None]
        names = {n.id: n.name for n in g.nodes}
        today = utcnow().date()
        presets = [
            (label, _query(since=(today - dt.timedelta(days=days)).isoformat() if days else None,
                           country=country, leader=leader))
            for label, days in (("30 days", 30), ("90 days", 90), ("1 year", 365), ("All time", 0))
        ]  # fmt: skip
        base = _query(since=since, until=until, country=country, leader=leader)
        return page(
            "graph.html", nav="graph", graph=g, nodes=nodes, lines=lines, hidden=len(g.nodes) - len(shown),
            undrawn=len(g.edges) - len(drawn),
            names=names, picked=picked, picked_events=picked_events, end=end, recency=RECENCY,
            presets=presets, base=base, f=dict(since=since, until=until, country=country, leader=leader),
        )  # fmt: skip

    @r.get("/desk/events")
    async def events(
        conn: Conn,
        type: Annotated[str, Query(max_length=16)] = "",
        status: Annotated[str, Query(max_length=16)] = "",
        participant: Text = "",
        location: Text = "",
        since: Text = "",
        until: Text = "",
        q: Annotated[str, Query(max_length=500)] = "",
        cursor: Annotated[str, Query(max_length=2000)] = "",
    ) -> HTMLResponse:
        lo, hi = _period(since, until)
        try:
            listed = await queries.list_events(
                conn,
                type=_choice("type", type, EventType),
                status=_choice("status", status, EventStatus),
                participant=[participant] if participant else [],
                location=location or None,
                since=lo,
                until=hi,
                q=q or None,
                limit=50,
                cursor=cursor or None,
            )
        except BadCursor as e:
            raise HTTPException(400, str(e)) from None
        f = {"type": type, "status": status, "participant": participant, "location": location,
             "since": since, "until": until, "q": q}  # fmt: skip
        older = _query(**f, cursor=listed.next_cursor) if listed.next_cursor else None
        return page(
            "events.html", nav="events", events=listed.items, f=f, filtered=any(f.values()), older=older,
            types=list(EventType), statuses=list(EventStatus), paged=bool(cursor),
        )  # fmt: skip

    @r.get("/desk/events/{event_id:path}")
    async def event(conn: Conn, event_id: str) -> HTMLResponse:
        ev = await queries.get_event(conn, event_id)
        if ev is None:
            raise HTTPException(404, f"no event with id {event_id!r}")
        articles: list[dict[str, Any]] = []
        for src in ev.sources:
            spans = [(e.sentence, e.start, e.end) for e in ev.evidence if e.article_id == src.article_id]
            stored = await queries.get_article(conn, src.article_id) if src.stored else None
            if stored is None:
                articles.append({"source": src, "runs": None, "missing": [s for s, _, _ in spans]})
                continue
            cut, missing = runs(article_text(stored.title, stored.body), spans)
            articles.append({"source": src, "article": stored, "runs": cut, "missing": missing})
        return page("event.html", nav="events", ev=ev, articles=articles)

    @r.get("/desk/entities/{entity_id:path}")
    async def entity(conn: Conn, entity_id: str) -> HTMLResponse:
        ent = await queries.get_entity(conn, entity_id, limit=12)
        if ent is None:
            raise HTTPException(404, f"no entity with id or name {entity_id!r}")
        own = await queries.list_events(conn, participant=[ent.id], limit=200)
        timeline = [e for e in own.items if e.type.value in TIMELINE_TYPES]
        months: dict[str, list[Any]] = {}
        for e in timeline:
            months.setdefault((e.date or e.day).strftime("%B %Y"), []).append(e)
        g = await meeting_graph(conn, leader=ent.id)
        met = []
        by_id = {n.id: n for n in g.nodes}
        for pair in g.edges:
            if ent.id in (pair.source, pair.target):
                met.append((by_id[pair.target if pair.source == ent.id else pair.source], pair))
        counts = {t: sum(1 for e in timeline if e.type.value == t) for t in TIMELINE_TYPES}
        return page(
            "entity.html", nav="", ent=ent, months=months, met=met[:12], counts=counts,
            others=len(own.items) - len(timeline), more=own.next_cursor is not None,
        )  # fmt: skip

    return r


def stream_router() -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/stream")
    async def stream(request: Request, since: Text = "") -> StreamingResponse:
        """Alerts as they reach the store (text/event-stream); see newswire.store.web.stream."""
        start = watermark_from(request.headers.get("last-event-id"), since)
        return StreamingResponse(
            alert_events(request.app.state.engine, start),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    return r
