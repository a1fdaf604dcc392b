"""The query API over a real server (uvicorn) on SQLite and PostgreSQL, seeded through the repository."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from integration.store.conftest import LiveServer
from integration.store.store_samples import alert_for, ankara_article, call_event, meeting_article
from newswire.settings import Settings
from newswire.store.records import rows_for
from newswire.store.repository import write

MEETINGS = [meeting_article(n, day=10 + n) for n in range(1, 6)]


@pytest.fixture
async def seeded(engine: AsyncEngine) -> None:
    msgs: list[Any] = [*MEETINGS, ankara_article(), call_event(), alert_for(MEETINGS[:2])]
    await write(engine, rows_for(msgs))


def get(api: LiveServer, path: str, **params: Any) -> Any:
    with api.client() as c:
        r = c.get(path, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def status(api: LiveServer, path: str, **params: Any) -> tuple[int, str]:
    with api.client() as c:
        r = c.get(path, params=params)
    return r.status_code, r.json().get("detail", "") if r.headers.get("content-type", "").startswith(
        "application/json"
    ) else ""


async def test_health_and_metrics(live_api: LiveServer) -> None:
    assert get(live_api, "/healthz")["status"] == "ok"
    with live_api.client() as c:
        get(live_api, "/events")
        text = c.get("/metrics").text
    assert 'newswire_api_request_seconds_count{route="/events",status="200"}' in text


async def test_events_by_participant_name_or_id_type_location_and_dates(
    seeded: None, live_api: LiveServer
) -> None:
    by_name = get(live_api, "/events", participant="xi jinping", since="2024-01-01")["items"]
    assert [e["id"] for e in by_name] == ["ev-xi-putin"]
    assert by_name[0]["source_count"] == 5
    assert {p["name"] for p in by_name[0]["participants"]} == {"Xi Jinping", "Vladimir Putin"}
    assert get(live_api, "/events", participant="Q15031")["items"] == by_name
    both = get(live_api, "/events", participant=["Vladimir Putin", "Q39723"])["items"]
    assert [e["id"] for e in both] == ["ev-erdogan-putin-call"]
    assert [e["id"] for e in get(live_api, "/events", type="CALL")["items"]] == ["ev-erdogan-putin-call"]
    assert [e["id"] for e in get(live_api, "/events", location="moscow")["items"]] == ["ev-xi-putin"]
    assert [e["id"] for e in get(live_api, "/events", location="RU")["items"]] == ["ev-xi-putin"]
    assert get(live_api, "/events", since="2024-06-02")["items"] == []
    assert len(get(live_api, "/events", since="2024-03-05", until="2024-06-01")["items"]) == 2
    assert get(live_api, "/events", status="planned")["items"] == []


async def test_event_detail_lists_every_source(seeded: None, live_api: LiveServer) -> None:
    ev = get(live_api, "/events/ev-xi-putin")
    assert len(ev["evidence"]) == 5
    assert {s["article_id"] for s in ev["sources"]} == {a.id for a in MEETINGS}
    assert all(s["stored"] for s in ev["sources"])
    call = get(live_api, "/events/ev-erdogan-putin-call")
    assert call["sources"] == [
        {
            "article_id": "a-elsewhere",
            "url": "https://example.test/elsewhere",
            "title": "Call",
            "source": "wire-c",
            "published_at": "2024-06-01T09:00:00Z",
            "stored": False,
        }
    ]


async def test_articles_full_text_entities_source_and_time(seeded: None, live_api: LiveServer) -> None:
    ankara = ankara_article().id
    assert [a["id"] for a in get(live_api, "/articles", q="grain exports")["items"]] == [ankara]
    assert len(get(live_api, "/articles", q="Moscow")["items"]) == 5
    assert get(live_api, "/articles", q="!!!")["items"] == []
    assert [a["id"] for a in get(live_api, "/articles", entity=["NATO", "Ankara"])["items"]] == [ankara]
    assert len(get(live_api, "/articles", entity="Q7184")["items"]) == 6
    assert [a["id"] for a in get(live_api, "/articles", source="wire-b")["items"]] == [ankara]
    assert [a["id"] for a in get(live_api, "/articles", since="2024-06-04", until="2024-06-04")["items"]] == [
        ankara
    ]
    newest_first = [a["published_at"] for a in get(live_api, "/articles")["items"]]
    assert newest_first == sorted(newest_first, reverse=True)
    one = get(live_api, f"/articles/{ankara}")
    assert {m["entity_id"] for m in one["mentions"]} == {"Q7184", "Q3640", "Q39723"}


async def test_cursor_pagination_visits_every_row_once(seeded: None, live_api: LiveServer) -> None:
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        page = get(live_api, "/articles", limit=2, **({"cursor": cursor} if cursor else {}))
        seen += [a["id"] for a in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 6


async def test_entity_mentions_co_mentions_and_meetings(seeded: None, live_api: LiveServer) -> None:
    xi = get(live_api, "/entities/Q15031")
    assert (xi["name"], xi["article_count"]) == ("Xi Jinping", 5)
    co = {c["id"]: c["articles"] for c in xi["co_mentioned"]}
    assert co["Q7747"] == 5 and co["Q7184"] == 5 and "Q3640" not in co
    assert [m["id"] for m in xi["meetings"]] == ["ev-xi-putin"]
    assert get(live_api, "/entities/Xi Jinping")["id"] == "Q15031"


async def test_alerts_and_their_sources(seeded: None, live_api: LiveServer) -> None:
    (al,) = get(live_api, "/alerts")["items"]
    assert al["source_count"] == 2
    detail = get(live_api, f"/alerts/{al['id']}")
    assert {s["article_id"] for s in detail["sources"]} == {a.id for a in MEETINGS[:2]}
    assert get(live_api, "/alerts", rule="nope")["items"] == []


async def test_bad_parameters_get_clear_4xx(seeded: None, live_api: LiveServer) -> None:
    assert status(live_api, "/events", cursor="garbage")[0] == 400
    assert status(live_api, "/articles", cursor=get(live_api, "/events", limit=1)["next_cursor"]) == (
        400,
        "cursor belongs to /events, not /articles",
    )
    assert status(live_api, "/events", since="2024-02-01", until="2024-01-01") == (
        400,
        "since is after until",
    )
    assert status(live_api, "/events", type="PARTY")[0] == 422
    assert status(live_api, "/events", since="yesterday")[0] == 422
    code, detail = status(live_api, "/articles", since="last week")
    assert code == 400 and "ISO date" in detail
    assert status(live_api, "/events", limit=0)[0] == 422
    assert status(live_api, "/events/nope") == (404, "no event with id 'nope'")
    assert status(live_api, "/articles", q="a\x00b")[0] == 400


async def test_api_key_required_when_configured(db_url: str, engine: AsyncEngine) -> None:
    with LiveServer(Settings(database_url=db_url, api_key="s3cret")) as api, api.client() as c:
        assert c.get("/events").status_code == 401
        assert c.get("/events", headers={"X-API-Key": "wrong"}).status_code == 401
        assert c.get("/events", headers={"X-API-Key": "s3cret"}).status_code == 200
        assert c.get("/healthz").status_code == 200
        spec = c.get("/openapi.json").json()
        assert "X-API-Key" in str(spec["components"]["securitySchemes"])
