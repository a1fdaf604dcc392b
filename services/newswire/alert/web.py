"""Silences over HTTP, on the worker's faust web server (aiohttp).

GET    /silences[?active=true]  list
POST   /silences                create: {"matchers": [{"name", "value", "is_regex"?, "is_equal"?}],
                                         "duration": "2h" | "ends_at": ISO, "comment"?, "created_by"?}
GET    /silences/{id}           one
DELETE /silences/{id}           expire now (kept, with ends_at = now, like Alertmanager)
GET    /healthz                 200 {"status": "ok"}, or 503 {"status": "broker unreachable", ...}

When API keys are configured, reading needs a read-only or admin X-API-Key, writing an admin one.
"""

from __future__ import annotations

import asyncio
from typing import Any

import faust
from faust.web import Request, Response, View
from pydantic import ValidationError

from newswire.alert.silence_store import KafkaSilences
from newswire.alert.silences import SilenceRequest
from newswire.apikeys import Access, ApiKeys, Verdict
from newswire.contracts import utcnow
from newswire.kafka import connectivity

__all__ = ["register_views"]


def register_views(app: faust.App, silences: KafkaSilences, keys: ApiKeys | None = None) -> None:
    api_keys = keys or ApiKeys()

    def refused(view: View, request: Request, need: Access) -> Response | None:
        verdict = api_keys.check(request.headers.get("X-API-Key"), need)
        if verdict is Verdict.UNAUTHENTICATED:
            return view.json({"error": "missing or wrong X-API-Key"}, status=401)
        if verdict is Verdict.FORBIDDEN:
            return view.json({"error": "changing silences needs an admin key"}, status=403)
        return None

    async def loaded() -> bool:
        """Answer only once the silences topic has been read (503 while the worker starts)."""
        try:
            await asyncio.wait_for(silences.ready.wait(), timeout=10)
        except TimeoutError:
            return False
        return True

    @app.page("/healthz")
    class Health(View):
        async def get(self, request: Request) -> Response:
            state = connectivity.health()
            return self.json(state, status=200 if state["status"] == "ok" else 503)

    @app.page("/silences")
    class Silences(View):
        async def get(self, request: Request) -> Response:
            if denied := refused(self, request, Access.READ):
                return denied
            if not await loaded():
                return self.json({"error": "silences not loaded yet"}, status=503)
            now = utcnow()
            only_active = request.query.get("active", "").lower() in ("1", "true", "yes")
            items = [s for s in silences.book.all() if not only_active or s.is_active(now)]
            return self.json([s.model_dump(mode="json") for s in items])

        async def post(self, request: Request) -> Response:
            if denied := refused(self, request, Access.ADMIN):
                return denied
            if not await loaded():
                return self.json({"error": "silences not loaded yet"}, status=503)
            try:
                body: Any = await request.json()
                silence = SilenceRequest.model_validate(body).to_silence(utcnow())
            except (ValidationError, ValueError) as e:
                return self.json({"error": str(e)}, status=400)
            await silences.put(silence)
            return self.json(silence.model_dump(mode="json"), status=201)

    @app.page("/silences/{silence_id}")
    class OneSilence(View):
        async def get(self, request: Request, silence_id: str) -> Response:
            if denied := refused(self, request, Access.READ):
                return denied
            if not await loaded():
                return self.json({"error": "silences not loaded yet"}, status=503)
            s = silences.book.get(silence_id)
            if s is None:
                return self.json({"error": f"no silence {silence_id}"}, status=404)
            return self.json(s.model_dump(mode="json"))

        async def delete(self, request: Request, silence_id: str) -> Response:
            if denied := refused(self, request, Access.ADMIN):
                return denied
            if not await loaded():
                return self.json({"error": "silences not loaded yet"}, status=503)
            s = silences.book.get(silence_id)
            if s is None:
                return self.json({"error": f"no silence {silence_id}"}, status=404)
            expired = await silences.put(s.expired(utcnow()))
            return self.json(expired.model_dump(mode="json"))
