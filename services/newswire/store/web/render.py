"""Jinja2 templates of the desk page and the filters they share (times, names of things)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

__all__ = ["fragment", "page"]

_TYPES = {
    "MEET": "Meeting",
    "CALL": "Call",
    "VISIT": "Visit",
    "AGREE": "Agreement",
    "ACCUSE": "Accusation",
    "CRITICIZE": "Criticism",
    "SANCTION": "Sanction",
}


def when(value: dt.datetime | None) -> Markup:
    """A <time> the page's script shows in the viewer's zone; UTC stays in the text and on hover."""
    if value is None:
        return Markup("")
    utc = value.astimezone(dt.UTC)
    iso = utc.isoformat().replace("+00:00", "Z")
    shown = utc.strftime("%Y-%m-%d %H:%M UTC")
    return Markup(f'<time datetime="{iso}" title="{shown}" data-local>{shown}</time>')


def day(value: dt.date | None) -> Markup:
    if value is None:
        return Markup('<span class="muted">date unknown</span>')
    return Markup(f'<time datetime="{value.isoformat()}">{value.strftime("%-d %b %Y")}</time>')


def type_name(value: Any) -> str:
    return _TYPES.get(str(value), str(value).title())


def web_url(value: str | None) -> str | None:
    """A link only to a web page: an article's URL comes off the wire (no javascript: or data:)."""
    return value if value and urlsplit(value).scheme in ("http", "https") else None


def place(location: Any) -> Markup:
    if location is None:
        return Markup('<span class="muted">—</span>')
    country = f' <span class="cc">{escape(location.country)}</span>' if location.country else ""
    return Markup(f"{escape(location.name)}{country}")


_env = Environment(
    loader=PackageLoader("newswire.store.web", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters.update(when=when, day=day, type_name=type_name, place=place, web_url=web_url)

# Only this server's script and styles run on a desk page (inline style attributes carry the bar
# widths); no framing, so the silence button cannot be clickjacked.
_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def fragment(template: str, **context: Any) -> str:
    return _env.get_template(template).render(**context)


def page(template: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(fragment(template, **context), status_code=status_code, headers=_HEADERS)
