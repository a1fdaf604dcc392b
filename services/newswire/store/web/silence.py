"""The desk's "silence" button, passed on to the alert service's silences API.

POST /desk/silences   silence one alert: {"alert_id", "duration", "comment"?}
GET  /desk/silences   {"silences": [active ones], "error": null | why the alert service did not say}:
                      the page marks the alerts they mute, and an alert service that is down or
                      still starting is an answer, not a failed request

The browser talks to the API only (one origin, one key); this route forwards a silence of one alert
to the alert service at `alert_service_url(settings)` (newswire.alert.web) and answers what it said.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

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

    @r.get("/desk/silences")
    async def active(request: Request) -> dict[str, object]:
        url = alert_service_url(request.app.state.settings) + "/silences"
        try:
            answer = await _call("GET", url, params={"active": "true"})
        except HTTPException as e:
            return {"silences": [], "error": e.detail}
        if answer.status_code != 200:
            return {"silences": [], "error": f"alert service: {_reason(answer)}"}
        return {"silences": answer.json(), "error": None}

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
        answer = await _call("POST", url, json=payload)
        if answer.status_code != 201:
            status = 502 if answer.status_code >= 500 else 400
            raise HTTPException(status, f"alert service: {_reason(answer)}")
        created: dict[str, object] = answer.json()
        return created

    return r


async def _call(method: str, url: str, **kwargs: Any) -> httpx.Response:
    try:
        async with httpx.AsyncClient(timeout=10.0) as client:
            return await client.request(method, url, **kwargs)
    except httpx.HTTPError as e:
        raise HTTPException(502, f"the alert service does not answer at {url}: {type(e).__name__}") from None


def _reason(answer: httpx.Response) -> str:
    try:
        return str(answer.json().get("error", answer.text))
    except (ValueError, AttributeError):
        return answer.text
