"""The desk page's reads and routes on SQLite and PostgreSQL: the meeting graph, full-text over
events, the pages themselves, the key cookie, the alert stream and the silence route's errors."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
import time
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from integration.store.conftest import LiveServer
from integration.store.conftest import _free_port as free_port
from integration.store.store_samples import (
    ERDOGAN,
    PUTIN,
    XI,
    alert_for,
    ankara_article,
    call_event,
    meeting_article,
)
from newswire.contracts import (
    AlertState,
    Event,
    EventStatus,
    EventType,
    Evidence,
    Location,
    Medium,
    Participant,
)
from newswire.settings import Settings
from newswire.store.db import connect
from newswire.store.meetings import meeting_graph
from newswire.store.queries import list_events
from newswire.store.records import rows_for
from newswire.store.repository import write

MEETINGS = [meeting_article(n, day=10 + n) for n in range(1, 6)]


def meeting(
    event_id: str,
    who: list[Participant],
    day: dt.date,
    where: Location | None = None,
    *,
    medium: Medium | None = Medium.IN_PERSON,
    type: EventType = EventType.MEET,
    status: EventStatus = EventStatus.OCCURRED,
) -> Event:
    sentence = " and ".join(p.name for p in who) + " met."
    return Event(
        id=event_id, type=type, status=status, medium=medium, participants=who, location=where, date=day,
        evidence=[Evidence(article_id=f"a-{event_id}", sentence=sentence, start=0, end=len(sentence),
                           published_at=datetime.combine(day, dt.time(9), tzinfo=UTC))],
        confidence=0.9,
    )  # fmt: skip


GRAPH_EVENTS = [
    meeting("m1", [XI, PUTIN], dt.date(2024, 3, 5), Location(name="Moscow", country="RU")),
    meeting("m2", [XI, PUTIN], dt.date(2024, 5, 16), Location(name="Beijing", country="CN")),
    meeting("m3", [PUTIN, ERDOGAN], dt.date(2024, 4, 1), Location(name="Ankara", country="TR"), medium=None),
    meeting("m4", [XI, PUTIN, ERDOGAN], dt.date(2024, 6, 10), Location(name="Astana", country="KZ")),
    # Not in-person meetings: the graph leaves them out.
    meeting("v1", [XI, ERDOGAN], dt.date(2024, 6, 11), medium=Medium.VIDEO),
    meeting("p1", [XI, ERDOGAN], dt.date(2024, 7, 1), status=EventStatus.PLANNED),
    call_event(),
]


async def test_meeting_graph_counts_pairs_and_filters(engine: AsyncEngine) -> None:
    await write(engine, rows_for(list(GRAPH_EVENTS)))
    async with engine.connect() as conn:
        g = await meeting_graph(conn)
        assert [(n.name, n.meetings) for n in g.nodes] == [
            ("Vladimir Putin", 4), ("Xi Jinping", 3), ("Recep Tayyip Erdoğan", 2)]  # fmt: skip
        assert [(e.source, e.target, e.weight, e.last) for e in g.edges] == [
            ("Q15031", "Q7747", 3, dt.date(2024, 6, 10)),
            ("Q39723", "Q7747", 2, dt.date(2024, 6, 10)),
            ("Q15031", "Q39723", 1, dt.date(2024, 6, 10)),
        ]
        assert g.edges[0].event_ids == ["m4", "m2", "m1"] and g.meetings == 4 and not g.truncated

        recent = await meeting_graph(conn, since=dt.date(2024, 5, 1), until=dt.date(2024, 5, 31))
        assert [(e.source, e.target, e.event_ids) for e in recent.edges] == [("Q15031", "Q7747", ["m2"])]
        turkey = await meeting_graph(conn, country="tr")  # a participant's country or the place's
        assert sorted(i for e in turkey.edges for i in e.event_ids) == ["m3", "m4", "m4", "m4"]
        by_name = await meeting_graph(conn, leader="recep tayyip erdoğan")
        assert {i for e in by_name.edges for i in e.event_ids} == {"m3", "m4"}
        by_id = await meeting_graph(conn, leader="Q39723")
        assert by_id == by_name
        capped = await meeting_graph(conn, cap=1)
        assert capped.truncated and capped.meetings == 1 and capped.edges[0].event_ids == ["m4"]
        assert (await meeting_graph(conn, since=dt.date(2025, 1, 1))).nodes == []


async def test_events_full_text_reads_their_articles(engine: AsyncEngine) -> None:
    await write(engine, rows_for([*MEETINGS, ankara_article(), call_event()]))
    async with engine.connect() as conn:
        assert [e.id for e in (await list_events(conn, q="moscow")).items] == ["ev-xi-putin"]
        assert [e.id for e in (await list_events(conn, q='"report 3"')).items] == ["ev-xi-putin"]
        assert (await list_events(conn, q="grain")).items == []  # an article without events
        assert (await list_events(conn, q="moscow", type="CALL")).items == []
        assert (await list_events(conn, q="moscow -nato")).items == []
        one = await list_events(conn, q="moscow", participant=["Xi Jinping"])
        assert [e.id for e in one.items] == ["ev-xi-putin"]


@pytest.fixture
async def seeded(engine: AsyncEngine) -> None:
    await write(engine, rows_for([*MEETINGS, ankara_article(), call_event(), alert_for(MEETINGS[:2])]))


def page(api: LiveServer, path: str, status: int = 200, **params: Any) -> str:
    with api.client() as c:
        r = c.get(path, params=params)
    assert r.status_code == status, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    return r.text


async def test_desk_pages(seeded: None, live_api: LiveServer) -> None:
    with live_api.client() as c:
        policy = c.get("/").headers["content-security-policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    alerts = page(live_api, "/")
    assert alerts.count('data-alert-id="leaders-meet/ev-xi-putin"') == 2  # the row and its button
    assert "Xi Jinping met Vladimir Putin" in alerts and 'id="alerts-empty" hidden' in alerts

    graph = page(live_api, "/desk/graph")
    assert len(re.findall(r'<a href="[^"]*" class="node"', graph)) == 2
    assert len(re.findall(r'class="edge r\d', graph)) == 1  # the call is not a meeting
    listed = page(live_api, "/desk/graph", edge="Q15031|Q7747")
    assert 'data-event-id="ev-xi-putin"' in listed
    assert "No in-person meetings match" in page(live_api, "/desk/graph", since="2025-01-01")

    every = page(live_api, "/desk/events")
    assert 'data-event-id="ev-xi-putin"' in every and 'data-event-id="ev-erdogan-putin-call"' in every
    calls = page(live_api, "/desk/events", type="CALL")
    assert 'data-event-id="ev-xi-putin"' not in calls and 'data-event-id="ev-erdogan-putin-call"' in calls
    assert "No event matches" in page(live_api, "/desk/events", q="zebrafish")
    assert "is not a date" in page(live_api, "/desk/events", 400, since="soon")
    assert "is not one of" in page(live_api, "/desk/events", 400, type="PARTY")

    event = page(live_api, "/desk/events/ev-xi-putin")
    marks = re.findall(r'<mark class="evidence">([^<]*)</mark>', event)
    assert marks == [f"Xi Jinping met Vladimir Putin in Moscow on Tuesday, report {n}." for n in range(1, 6)]
    assert 'href="/desk/entities/Q15031"' in event and "90%" in event
    call = page(live_api, "/desk/events/ev-erdogan-putin-call")  # its article is not stored
    assert "not in the store" in call and '<mark class="evidence">Erdoğan called Putin.</mark>' in call

    putin = page(live_api, "/desk/entities/Vladimir%20Putin")
    assert "<h1>Vladimir Putin</h1>" in putin and 'class="tl type-MEET"' in putin
    assert 'class="tl type-CALL"' in putin and "1 meeting, 1 call, 0 visits" in putin
    assert re.search(r'Met most.*href="/desk/entities/Q15031">Xi Jinping', putin, re.S)
    assert "no entity" in page(live_api, "/desk/entities/nobody", 404)


async def test_empty_store_pages_say_what_to_do(live_api: LiveServer) -> None:
    assert 'id="alerts" data-since' in page(live_api, "/")
    assert "newswire demo --follow" in page(live_api, "/")
    assert "newswire demo --follow" in page(live_api, "/desk/graph")
    assert "No events stored yet" in page(live_api, "/desk/events")


async def test_key_form_sets_a_cookie_the_api_accepts(db_url: str, engine: AsyncEngine) -> None:
    with LiveServer(Settings(database_url=db_url, api_key="sesame")) as api, api.client() as c:
        asked = c.get("/desk/events")
        assert asked.status_code == 401 and 'name="key"' in asked.text and "not accepted" not in asked.text
        assert c.get("/desk/static/desk.css").status_code == 200  # assets need no key
        sent = c.post("/desk/key", data={"key": "sesame", "next": "/desk/events?type=MEET"})
        assert sent.status_code == 303 and sent.headers["location"] == "/desk/events?type=MEET"
        cookie = sent.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
        assert c.get("/desk/events").status_code == 200  # the client keeps the cookie
        assert c.get("/events").status_code == 200  # so does the JSON API
        away = c.post("/desk/key", data={"key": "sesame", "next": "//evil.example/"})
        assert away.headers["location"] == "/"
        c.cookies.set("newswire_key", "wrong")
        again = c.get("/")
        assert again.status_code == 401 and "not accepted" in again.text
        assert c.get("/events", headers={"X-API-Key": "sesame"}).status_code == 200  # a header wins


async def _next_alert(lines: Any, timeout: float) -> dict[str, Any]:
    async def read() -> dict[str, Any]:
        event = None
        async for line in lines:
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event == "alert":
                return dict(json.loads(line[6:]))
        raise AssertionError("stream ended")

    return await asyncio.wait_for(read(), timeout)


async def test_stream_pushes_an_alert_written_while_open(live_api: LiveServer, db_url: str) -> None:
    alert = alert_for(MEETINGS[:2])  # last seen 2024-03-10 09:00
    writer = connect(db_url)
    try:
        async with (
            httpx.AsyncClient(base_url=live_api.url, timeout=10) as c,
            c.stream("GET", "/stream", params={"since": "2024-03-10T08:30:00Z"}) as r,
        ):
            assert r.headers["content-type"].startswith("text/event-stream")
            lines = r.aiter_lines()
            assert (await anext(lines)).startswith("retry: ")
            await write(writer, rows_for([alert]))
            written = time.monotonic()
            pushed = await _next_alert(lines, timeout=2.0)
            lag = time.monotonic() - written
            assert pushed["id"] == alert.id and pushed["state"] == "firing"
            assert 'data-alert-id="leaders-meet/ev-xi-putin"' in pushed["html"] and lag < 2.0
            later = datetime(2024, 3, 10, 10, tzinfo=UTC)
            updated = alert.model_copy(
                update={"state": AlertState.UPDATED, "source_count": 3, "sent_at": later, "last_seen": later}
            )
            await write(writer, rows_for([updated]))
            again = await _next_alert(lines, timeout=2.0)
            assert again["id"] == alert.id and again["state"] == "updated"
        # A browser that reconnects sends the last id it saw: the stream resumes from there.
        async with (
            httpx.AsyncClient(base_url=live_api.url, timeout=10) as c,
            c.stream("GET", "/stream", headers={"Last-Event-ID": "2024-03-10T09:30:00+00:00"}) as r,
        ):
            resumed = await _next_alert(r.aiter_lines(), timeout=2.0)
            assert resumed["state"] == "updated"
    finally:
        await writer.dispose()


async def test_silence_route_says_why_it_failed(db_url: str, engine: AsyncEngine) -> None:
    body = {"alert_id": "leaders-meet/ev-xi-putin", "duration": "1h"}
    nobody = free_port()  # no alert service listens there
    with LiveServer(Settings(database_url=db_url, alert_http_port=nobody)) as api, api.client() as c:
        no_header = c.post("/desk/silences", json=body)
        assert no_header.status_code == 400 and "X-Requested-With" in no_header.json()["detail"]
        headers = {"X-Requested-With": "newswire-desk"}
        bad = c.post("/desk/silences", json={**body, "duration": "forever"}, headers=headers)
        assert bad.status_code == 422
        down = c.post("/desk/silences", json=body, headers=headers)
        assert down.status_code == 502 and "does not answer" in down.json()["detail"]
        listed = c.get("/desk/silences")  # the page's question: answered, with the reason
        assert listed.status_code == 200 and listed.json()["silences"] == []
        assert f":{nobody}/silences" in listed.json()["error"]


async def test_meeting_graph_as_json(engine: AsyncEngine, live_api: LiveServer) -> None:
    await write(engine, rows_for(list(GRAPH_EVENTS)))
    with live_api.client() as c:
        g = c.get("/meetings/graph", params={"leader": "Q39723"}).json()
        assert [(n["name"], n["meetings"]) for n in g["nodes"]] == [
            ("Recep Tayyip Erdoğan", 2), ("Vladimir Putin", 2), ("Xi Jinping", 1)]  # fmt: skip
        assert g["edges"][0] == {"source": "Q39723", "target": "Q7747", "weight": 2, "last": "2024-06-10",
                                 "event_ids": ["m4", "m3"]}  # fmt: skip
        backwards = c.get("/meetings/graph", params={"since": "2024-06-01", "until": "2024-05-01"})
        assert backwards.status_code == 400 and backwards.json()["detail"] == "since is after until"
