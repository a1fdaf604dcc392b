"""POST /desk/silences: the desk's "silence" button, passed on to the alert service's silences API.

The browser talks to the API only (one origin, one key); this route forwards a silence of one alert
to the alert service at `alert_service_url(settings)` (newswire.alert.web) and answers what it said.
"""

from __future__ import annotations

from typing import Annotated, Literal

import httpx
from fastapi import APIRouter, Header, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field

from newswire.settings import Settings

__all__ = ["DeskSilence", "alert_service_url", "silence_router"]


class DeskSilence(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    alert_id: str = Field(min_length=1, max_length=300)
    duration: Literal["1h", "4h", "24h", "7d"] = "4h"
    comment: str = Field(default="", max_length=500)


def alert_service_url(settings: Settings) -> str:
    """The alert service's HTTP API: it listens on api_host at alert_http_port (newswire.alert.app)."""
    return f"http://{settings.api_host}:{settings.alert_http_port}"


def silence_router() -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.post("/desk/silences", status_code=201)
    async def silence(
        request: Request,
        body: DeskSilence,
        # Forms cannot send this header cross-site without a CORS preflight this API never grants.
        x_requested_with: Annotated[str | None, Header()] = None,
    ) -> dict[str, object]:
        if x_requested_with != "newswire-desk":
            raise HTTPException(400, "X-Requested-With: newswire-desk header required")
        url = alert_service_url(request.app.state.settings) + "/silences"
        payload = {
            "matchers": [{"name": "alert_id", "value": body.alert_id}],
            "duration": body.duration,
            "comment": body.comment,
            "created_by": "desk",
        }
        try:
            async with httpx.AsyncClient(timeout=10.0) as client:
                answer = await client.post(url, json=payload)
        except httpx.HTTPError as e:
            reason = f"the alert service does not answer at {url}: {type(e).__name__}"
            raise HTTPException(502, reason) from None
        if answer.status_code != 201:
            try:
                reason = answer.json().get("error", answer.text)
            except ValueError:
                reason = answer.text
            raise HTTPException(502 if answer.status_code >= 500 else 400, f"alert service: {reason}")
        created: dict[str, object] = answer.json()
        return created

    return r
