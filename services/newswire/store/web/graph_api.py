"""GET /meetings/graph: who met whom as JSON, the data behind the desk's graph (newswire.store.meetings)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request

from newswire.store.meetings import MeetingGraph, meeting_graph
from newswire.store.views import Problem

__all__ = ["graph_router"]


def graph_router() -> APIRouter:
    r = APIRouter(
        tags=["events"],
        responses={
            400: {"model": Problem, "description": "since is after until."},
            401: {"model": Problem, "description": "X-API-Key missing or wrong (when a key is configured)."},
        },
    )

    @r.get("/meetings/graph", response_model=MeetingGraph)
    async def graph(
        request: Request,
        since: Annotated[dt.date | None, Query(description="On or after this day (ISO date).")] = None,
        until: Annotated[dt.date | None, Query(description="On or before this day (ISO date).")] = None,
        country: Annotated[
            str | None, Query(max_length=8, description="ISO code: a participant's country or the place's.")
        ] = None,
        leader: Annotated[str | None, Query(max_length=200, description="Participant id or name.")] = None,
    ) -> MeetingGraph:
        """Leaders (nodes, most met first) and in-person meetings between them (edges, heaviest first),
        from the period's newest 2,000 meetings (`truncated` says when there were more)."""
        if since is not None and until is not None and since > until:
            raise HTTPException(400, "since is after until")
        async with request.app.state.engine.connect() as conn:
            return await meeting_graph(conn, since=since, until=until, country=country, leader=leader)

    return r
