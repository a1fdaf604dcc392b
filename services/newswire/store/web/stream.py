"""GET /stream: alerts as Server-Sent Events, read off the store's database.

Every API process serves it alone: each open stream polls `queries.list_alerts` for alerts last seen
since its watermark (minus a short look-back, for a notice committed a moment after a later one),
through the (last_seen, id) index, and pushes what is new or changed since it last looked. The
alert service stamps last_seen when it sends a notice, so the watermark follows the wire; an alert
the store commits more than LOOKBACK after it was sent (a store that was down) shows on the next
page load, not live.

A stream ends after LIFETIME with `retry:` set: the browser reconnects by itself with
Last-Event-ID (the watermark), nothing is lost, and a stopping server never waits on an open page.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncEngine

from newswire.contracts import utcnow
from newswire.store import queries
from newswire.store.views import AlertOut
from newswire.store.web.render import fragment

__all__ = ["LIFETIME", "LOOKBACK", "POLL_SECONDS", "alert_events", "watermark_from"]

POLL_SECONDS = 0.5
LIFETIME = 25.0
# A notice sent this long before the store commits it still shows live. Each poll re-reads the
# alerts of this window (a handful, through the index); the stream pushes only changed ones.
LOOKBACK = dt.timedelta(minutes=5)
RECONNECT_MS = 500


def watermark_from(last_event_id: str | None, since: str | None) -> dt.datetime:
    """Where a stream starts: the browser's Last-Event-ID, else the page's `since`, else now."""
    for value in (last_event_id, since):
        if value:
            try:
                return queries.parse_instant(value)
            except ValueError:
                continue
    return utcnow()


def _message(alert: AlertOut, watermark: dt.datetime) -> str:
    data = {
        "id": alert.id,
        "state": alert.state,
        "version": alert.sent_at.isoformat(),
        "html": fragment("_alert_row.html", a=alert),
    }
    return f"id: {watermark.isoformat()}\nevent: alert\ndata: {json.dumps(data)}\n\n"


async def alert_events(
    engine: AsyncEngine,
    start: dt.datetime,
    *,
    poll: float = POLL_SECONDS,
    lifetime: float = LIFETIME,
) -> AsyncIterator[str]:
    watermark = start
    seen: dict[str, str] = {}  # alert id -> sent_at of the notice pushed (bounded by the lifetime)
    # A comment first, so the browser's EventSource opens (and the page says "live") at once.
    yield f"retry: {RECONNECT_MS}\n: connected\n\n"
    loop = asyncio.get_running_loop()
    ends = loop.time() + lifetime
    while loop.time() < ends:
        async with engine.connect() as conn:
            page = await queries.list_alerts(conn, since=watermark - LOOKBACK, limit=200)
        for alert in reversed(page.items):  # oldest first, so the newest ends on top
            version = alert.sent_at.isoformat()
            if seen.get(alert.id) == version:
                continue
            seen[alert.id] = version
            watermark = max(watermark, alert.last_seen)
            yield _message(alert, watermark)
        await asyncio.sleep(poll)
    yield ": reconnect\n\n"
