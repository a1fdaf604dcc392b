"""Desk page benchmark; prints one JSON object.

.venv/bin/python benchmarks/desk_bench.py --alerts 20000 --meetings 20000 [--database-url URL]
    Loads synthetic alerts and in-person meetings (among --leaders leaders over two years) through
    the repository into a fresh SQLite file (or the given database), then times, in-process through
    the FastAPI app (ASGI, no network), the desk's pages and one poll of the alert stream
    (queries.list_alerts over the look-back window): p50/p95 in ms over --runs runs each.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from newswire.contracts import (
    Alert,
    AlertSource,
    Event,
    EventType,
    Evidence,
    Location,
    Medium,
    Participant,
    utcnow,
)
from newswire.settings import Settings
from newswire.store import queries
from newswire.store.api import create_app
from newswire.store.db import connect, migrate
from newswire.store.records import rows_for
from newswire.store.repository import write
from newswire.store.web.stream import LOOKBACK

COUNTRIES = ["CN", "RU", "TR", "US", "FR", "DE", "IN", "BR", "JP", "ZA", "GB", "IT", "KZ", "EG", "SA"]


def _leaders(n: int) -> list[Participant]:
    return [Participant(id=f"Q{1000 + i}", name=f"Leader {i:03d}", country=COUNTRIES[i % len(COUNTRIES)])
            for i in range(n)]  # fmt: skip


def _meeting(i: int, who: list[Participant], day: dt.date) -> Event:
    sentence = f"{who[0].name} met {who[1].name} on day {i}."
    return Event(
        id=f"bench-m{i}", type=EventType.MEET, medium=Medium.IN_PERSON, participants=who, date=day,
        location=Location(name=f"City {i % 50}", country=COUNTRIES[i % len(COUNTRIES)]),
        evidence=[Evidence(article_id=f"bench-a{i}", sentence=sentence, start=0, end=len(sentence),
                           published_at=datetime.combine(day, dt.time(9), tzinfo=UTC))],
        confidence=0.8,
    )  # fmt: skip


def _alert(i: int, ev: Event, at: datetime) -> Alert:
    return Alert(
        id=f"leaders-meet/{ev.id}", rule="leaders-meet", severity="high", title=f"meeting {i}",
        event_id=ev.id, event_type=ev.type, event_status=ev.status, medium=ev.medium,
        participants=ev.participants, location=ev.location, date=ev.date, evidence=ev.evidence[0].sentence,
        sources=[AlertSource(article_id=f"bench-a{i}", title=f"article {i}", source="bench")],
        source_count=1, first_seen=at, last_seen=at, sent_at=at,
    )  # fmt: skip


async def _load(url: str, *, alerts: int, meetings: int, leaders: int) -> None:
    rng = random.Random(7)
    pool = _leaders(leaders)
    today = utcnow().date()
    events = [
        _meeting(i, rng.sample(pool, 2), today - timedelta(days=rng.randrange(730))) for i in range(meetings)
    ]
    now = utcnow()
    # Alerts spread over the last 30 days, one per meeting: the stream's window holds only a few.
    notices = [_alert(i, events[i % meetings], now - timedelta(seconds=rng.randrange(30 * 86400)))
               for i in range(alerts)]  # fmt: skip
    engine = connect(url)
    try:
        await migrate(engine)
        for start in range(0, len(events), 2000):
            await write(engine, rows_for(list(events[start : start + 2000])))
        for start in range(0, len(notices), 2000):
            await write(engine, rows_for(list(notices[start : start + 2000])))
    finally:
        await engine.dispose()


def _ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50": round(statistics.median(ordered) * 1000, 2),
        "p95": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 2),
    }


async def _time(url: str, runs: int) -> dict[str, Any]:
    app = create_app(Settings(database_url=url))
    out: dict[str, Any] = {}
    async with app.router.lifespan_context(app):
        engine = app.state.engine

        async def poll() -> None:
            async with engine.connect() as conn:
                await queries.list_alerts(conn, since=utcnow() - LOOKBACK, limit=200)

        samples = []
        for _ in range(runs):
            t = time.perf_counter()
            await poll()
            samples.append(time.perf_counter() - t)
        out["stream_poll"] = _ms(samples)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://desk") as client:
            since = (utcnow().date() - timedelta(days=90)).isoformat()
            for name, path in [
                ("alerts_page", "/"),
                ("graph_page_90d", f"/desk/graph?since={since}"),
                ("graph_page_all", "/desk/graph"),
                ("events_page", "/desk/events"),
                ("entity_page", "/desk/entities/Q1000"),
                ("event_page", "/desk/events/bench-m1"),
            ]:
                samples = []
                for _ in range(runs):
                    t = time.perf_counter()
                    r = await client.get(path)
                    samples.append(time.perf_counter() - t)
                    assert r.status_code == 200, (path, r.status_code, r.text[:300])
                out[name] = _ms(samples)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--alerts", type=int, default=20_000)
    ap.add_argument("--meetings", type=int, default=20_000)
    ap.add_argument("--leaders", type=int, default=60)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'desk.db'}"
        t = time.perf_counter()
        asyncio.run(_load(url, alerts=args.alerts, meetings=args.meetings, leaders=args.leaders))
        loaded = time.perf_counter() - t
        timings = asyncio.run(_time(url, args.runs))
    print(json.dumps({"database": url.split(":", 1)[0], "alerts": args.alerts, "meetings": args.meetings,
                      "leaders": args.leaders, "runs": args.runs, "load_s": round(loaded, 1),
                      "ms": timings}, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
