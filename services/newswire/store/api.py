"""The query API (FastAPI): articles, entities, events, alerts over the store, plus health and metrics.

    newswire run api --host 127.0.0.1 --port 8080     # OpenAPI at /docs and /openapi.json

Every data route is keyset-paginated (`cursor`, `limit`) and, when API keys are configured, needs a
read-only or admin `X-API-Key` header. Bad parameters answer 400 (or 422 for type errors) with a
`detail` saying why.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any

import uvicorn
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyHeader
from prometheus_client import CONTENT_TYPE_LATEST, Histogram, generate_latest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from newswire.apikeys import Access, ApiKeys, Verdict
from newswire.contracts import EventStatus, EventType
from newswire.settings import Settings
from newswire.store import queries
from newswire.store.cursor import BadCursor
from newswire.store.db import connect, migrate
from newswire.store.views import (
    AlertOut,
    ArticleDetail,
    ArticleOut,
    EntityDetail,
    EventDetail,
    EventOut,
    Page,
    Problem,
)
from newswire.store.web import install as install_desk

__all__ = ["create_app", "serve"]

REQUEST_SECONDS = Histogram(
    "newswire_api_request_seconds",
    "Query API latency",
    ["route", "status"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "A parameter is malformed (message says which)."},
    401: {
        "model": Problem,
        "description": "X-API-Key missing or wrong (only when an API key is configured).",
    },
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Problem, "description": "No such id."}}

Limit = Annotated[int, Query(ge=1, le=500, description="Page size.")]
Cursor = Annotated[str | None, Query(max_length=2000, description="`next_cursor` of the previous page.")]


def _instant(name: str, value: str | None, *, end_of_day: bool) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return queries.parse_instant(value, end_of_day=end_of_day)
    except ValueError as e:
        raise HTTPException(400, f"{name}: {e}") from None


def _require_order(since: Any, until: Any) -> None:
    if since is not None and until is not None and since > until:
        raise HTTPException(400, "since is after until")


_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="A read-only or admin key, when keys are configured."
)


async def _authorized(request: Request, key: Annotated[str | None, Depends(_key_header)]) -> None:
    """Queries accept a read-only or an admin key (apikeys.py compares in constant time)."""
    keys: ApiKeys = request.app.state.api_keys
    if keys.check(key, Access.READ) is not Verdict.OK:
        raise HTTPException(401, "missing or wrong X-API-Key header")


async def _db(request: Request) -> AsyncIterator[AsyncConnection]:
    engine: AsyncEngine = request.app.state.engine
    async with engine.connect() as conn:
        yield conn


Conn = Annotated[AsyncConnection, Depends(_db)]


def _router() -> APIRouter:
    r = APIRouter(dependencies=[Depends(_authorized)], responses=_ERRORS)

    @r.get("/articles", response_model=Page[ArticleOut], tags=["articles"])
    async def articles(
        conn: Conn,
        q: Annotated[
            str | None,
            Query(
                max_length=500,
                description='Full-text search over title and body, web-search syntax: words are ANDed, '
                '"a phrase", `or` between terms, `-word` excludes. Stems on PostgreSQL (Snowball) and '
                "SQLite (Porter) differ slightly.",
            ),
        ] = None,
        entity: Annotated[
            list[str], Query(max_length=10, description="Entity id or name; repeat: all must be mentioned.")
        ] = [],  # noqa: B006
        source: Annotated[str | None, Query(max_length=200)] = None,
        since: Annotated[
            str | None, Query(description="Published at or after (ISO date or datetime).")
        ] = None,
        until: Annotated[
            str | None, Query(description="Published at or before (ISO date or datetime).")
        ] = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> Page[ArticleOut]:
        """Articles, newest first. Example: `?entity=NATO&entity=Ankara&since=2024-06-03`."""
        lo, hi = _instant("since", since, end_of_day=False), _instant("until", until, end_of_day=True)
        _require_order(lo, hi)
        return await queries.list_articles(
            conn, q=q, entity=entity, source=source, since=lo, until=hi, limit=limit, cursor=cursor
        )

    @r.get("/articles/{article_id}", response_model=ArticleDetail, tags=["articles"], responses=_NOT_FOUND)
    async def article(conn: Conn, article_id: str) -> ArticleDetail:
        """One article with its body, entity mentions and the events it is evidence for."""
        return _found(await queries.get_article(conn, article_id), "article", article_id)

    @r.get("/entities/{entity_id:path}", response_model=EntityDetail, tags=["entities"], responses=_NOT_FOUND)
    async def entity_detail(
        conn: Conn, entity_id: str, limit: Annotated[int, Query(ge=1, le=200)] = 20
    ) -> EntityDetail:
        """An entity by id (`Q15031`, `name:Xi Jinping`) or name: mentions, co-mentions, meetings."""
        return _found(await queries.get_entity(conn, entity_id, limit=limit), "entity", entity_id)

    @r.get("/events", response_model=Page[EventOut], tags=["events"])
    async def events(
        conn: Conn,
        type: EventType | None = None,
        status: EventStatus | None = None,
        participant: Annotated[
            list[str], Query(max_length=10, description="Participant id or name; repeat: all must take part.")
        ] = [],  # noqa: B006
        location: Annotated[
            str | None, Query(max_length=200, description="Place name or ISO country code.")
        ] = None,
        since: Annotated[dt.date | None, Query(description="On or after this day (ISO date).")] = None,
        until: Annotated[dt.date | None, Query(description="On or before this day (ISO date).")] = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> Page[EventOut]:
        """Events, most recent day first. Example: `?type=MEET&participant=Xi%20Jinping&since=2024-01-01`."""
        _require_order(since, until)
        return await queries.list_events(
            conn,
            type=type.value if type else None,
            status=status.value if status else None,
            participant=participant,
            location=location,
            since=since,
            until=until,
            limit=limit,
            cursor=cursor,
        )

    @r.get("/events/{event_id}", response_model=EventDetail, tags=["events"], responses=_NOT_FOUND)
    async def event(conn: Conn, event_id: str) -> EventDetail:
        """One event with every evidence sentence and every source article."""
        return _found(await queries.get_event(conn, event_id), "event", event_id)

    @r.get("/alerts", response_model=Page[AlertOut], tags=["alerts"])
    async def alerts(
        conn: Conn,
        rule: Annotated[str | None, Query(max_length=200)] = None,
        event_id: Annotated[str | None, Query(max_length=200)] = None,
        since: Annotated[
            str | None, Query(description="Last seen at or after (ISO date or datetime).")
        ] = None,
        until: Annotated[
            str | None, Query(description="Last seen at or before (ISO date or datetime).")
        ] = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> Page[AlertOut]:
        """Alerts, most recently updated first, each with its sources."""
        lo, hi = _instant("since", since, end_of_day=False), _instant("until", until, end_of_day=True)
        _require_order(lo, hi)
        return await queries.list_alerts(
            conn, rule=rule, event_id=event_id, since=lo, until=hi, limit=limit, cursor=cursor
        )

    # Alert ids are "<rule>/<event id>": the id is a path, slash included.
    @r.get("/alerts/{alert_id:path}", response_model=AlertOut, tags=["alerts"], responses=_NOT_FOUND)
    async def alert(conn: Conn, alert_id: str) -> AlertOut:
        """One alert and the sources behind it."""
        return _found(await queries.get_alert(conn, alert_id), "alert", alert_id)

    return r


def _found(value: Any, kind: str, ident: str) -> Any:
    if value is None:
        raise HTTPException(404, f"no {kind} with id {ident!r}")
    return value


def _ops_router() -> APIRouter:
    r = APIRouter(tags=["operations"])

    @r.get("/healthz", responses={503: {"model": Problem, "description": "The database does not answer."}})
    async def healthz(request: Request) -> dict[str, str]:
        """Liveness and database reachability (no API key needed)."""
        engine: AsyncEngine = request.app.state.engine
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as e:
            raise HTTPException(503, f"database not reachable: {type(e).__name__}") from None
        return {"status": "ok", "database": engine.dialect.name}

    @r.get("/metrics", response_class=Response, responses={200: {"content": {"text/plain": {}}}})
    async def metrics() -> Response:
        """Prometheus metrics (no API key needed)."""
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return r


def create_app(settings: Settings, *, engine: AsyncEngine | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own = engine is None
        app.state.settings = settings
        app.state.engine = engine or connect(settings.database_url)
        await migrate(app.state.engine)  # an empty SQLite file (or database) gets its schema here
        try:
            yield
        finally:
            if own:
                await app.state.engine.dispose()

    app = FastAPI(
        title="newswire store API",
        version="1",
        description="Articles, entities, events and alerts kept by the newswire store worker.",
        lifespan=lifespan,
    )
    app.state.api_keys = ApiKeys.from_settings(settings)  # a missing key file fails here, at start

    @app.middleware("http")
    async def guard_and_time(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        # PostgreSQL text cannot hold NUL; refuse it up front instead of failing in the driver.
        if (
            "%00" in request.url.query
            or "\x00" in request.url.path
            or "%00" in request.scope.get("raw_path", b"").decode("latin-1")
        ):
            return JSONResponse({"detail": "parameters must not contain NUL characters"}, status_code=400)
        started = time.perf_counter()
        response = await call_next(request)
        route = getattr(request.scope.get("route"), "path", "unmatched")
        REQUEST_SECONDS.labels(route, str(response.status_code)).observe(time.perf_counter() - started)
        return response

    @app.exception_handler(BadCursor)
    async def bad_cursor(_request: Request, exc: BadCursor) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    app.include_router(_ops_router())
    app.include_router(_router())
    install_desk(app, authorized=_authorized)  # the desk page at / (newswire.store.web)
    return app


def serve(settings: Settings, *, host: str, port: int) -> None:
    # An open desk page holds a /stream request; do not wait long on it when stopping.
    uvicorn.run(
        create_app(settings), host=host, port=port, log_config=None, access_log=False,
        timeout_graceful_shutdown=3,
    )  # fmt: skip
