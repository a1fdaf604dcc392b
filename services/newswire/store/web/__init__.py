"""The desk page: live alerts, who met whom, events with their evidence, leaders' pages.

Served by the query API itself (same port, same key), rendered on the server with Jinja2, a little
plain JS and CSS from static/ (no build step, nothing fetched from elsewhere).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from newswire.store.web.access import KeyCookie, key_router
from newswire.store.web.graph_api import graph_router
from newswire.store.web.pages import page_router, stream_router
from newswire.store.web.silence import silence_router

__all__ = ["install"]


def install(app: FastAPI, *, authorized: Callable[..., Any]) -> None:
    """Add the desk to the API: `authorized` is the API's own key check, applied to every desk route
    but the static files and the key form."""
    app.add_middleware(KeyCookie)
    static = resources.files("newswire.store.web") / "static"
    app.mount("/desk/static", StaticFiles(directory=str(static)), name="desk-static")
    app.include_router(key_router())
    guarded = [Depends(authorized)]
    app.include_router(page_router(), dependencies=guarded)
    app.include_router(stream_router(), dependencies=guarded)
    app.include_router(silence_router(), dependencies=guarded)
    app.include_router(graph_router(), dependencies=guarded)
