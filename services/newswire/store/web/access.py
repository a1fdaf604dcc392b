"""How a browser carries the API key: a cookie, turned back into the X-API-Key header.

A browser cannot add a header to a page it navigates to, so the desk's key form stores the key in an
HttpOnly, SameSite=Strict cookie, and `KeyCookie` copies it into `X-API-Key` on requests that carry
none. The API's own key check then applies to pages and JSON alike, whatever rule it enforces.
SameSite=Strict keeps other sites' pages from riding on the cookie.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from newswire.store.web.render import page

__all__ = ["COOKIE", "KeyCookie", "PageRoute", "key_router"]

COOKIE = "newswire_key"
_MAX_FORM = 4_096


class KeyCookie:
    """ASGI middleware: `newswire_key` cookie -> X-API-Key header, when the request has no header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers: list[tuple[bytes, bytes]] = scope["headers"]
            if not any(k == b"x-api-key" for k, _ in headers):
                key = _cookie_key(headers)
                if key:
                    scope = {**scope, "headers": [*headers, (b"x-api-key", key.encode("latin-1"))]}
        await self.app(scope, receive, send)


def _cookie_key(headers: list[tuple[bytes, bytes]]) -> str | None:
    for k, v in headers:
        if k == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(v.decode("latin-1"))
            except Exception:  # a malformed cookie header is the browser's problem, not a 500
                return None
            if COOKIE in jar:
                return jar[COOKIE].value
    return None


def _local(target: str) -> str:
    """Only paths on this server (no open redirect to another host)."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


class PageRoute(APIRoute):
    """A page: a missing key answers the key form, a bad id or parameter a readable page, not JSON."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except HTTPException as e:
                here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                if e.status_code == 401:
                    return page("key.html", status_code=401, next=here, wrong=COOKIE in request.cookies)
                if e.status_code in (400, 404):
                    code = e.status_code
                    return page("problem.html", status_code=code, status=code, detail=e.detail)
                raise

        return guarded


def key_router() -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.post("/desk/key")
    async def remember_key(request: Request) -> Response:
        """The key form: keep the key in a cookie and go back to the page that asked for it."""
        raw = await request.body()
        if len(raw) > _MAX_FORM:
            raise HTTPException(413, "form too large")
        form = parse_qs(raw.decode("utf-8", "replace"))
        key = (form.get("key") or [""])[0].strip()
        response = RedirectResponse(_local((form.get("next") or ["/"])[0]), status_code=303)
        if key:
            response.set_cookie(COOKIE, key, httponly=True, samesite="strict", path="/")
        else:
            response.delete_cookie(COOKIE, path="/")
        return response

    return r
