"""A local RSS 2.0 feed of the articles in a directory, so the pipeline (and the demo) can be fed
through the real feed door instead of a file drop: `newswire ingest publish seeds/`.

The feed is rendered anew on every request from the files then in the directory, with ETag and
Last-Modified, so dropping a file there is "publishing" it; pollers see it on their next poll.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

from newswire.contracts import RawArticle
from newswire.errors import BadMessage
from newswire.ingest.files import iter_files, read_path
from newswire.ingest.pipeline import prepare

__all__ = ["FeedPublisher", "articles_in", "render_rss"]


def articles_in(directory: Path) -> list[RawArticle]:
    """Every valid article in the directory's files, newest first; invalid ones are skipped."""
    out = []
    for path in iter_files(directory):
        for candidate in read_path(path):
            try:
                out.append(prepare(candidate))
            except BadMessage:
                continue
    return sorted(out, key=lambda a: a.published_at or a.received_at, reverse=True)


def render_rss(articles: Iterable[RawArticle], *, title: str, base: str) -> bytes:
    items = []
    for a in articles:
        link = a.url or f"{base}/articles/{a.id}"
        items.append(
            f"<item><title>{escape(a.title)}</title><link>{escape(link)}</link>"
            f'<guid isPermaLink="false">{escape(a.id)}</guid>'
            f"<pubDate>{format_datetime(a.published_at or a.received_at, usegmt=True)}</pubDate>"
            f"<description>{escape(a.body)}</description></item>"
        )
    doc = (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>{escape(base)}/</link>"
        "<description>newswire local feed</description>"
        f"{''.join(items)}</channel></rss>\n"
    )
    return doc.encode("utf-8")


class FeedPublisher:
    """Serves GET /feed.xml (and /healthz) on host:port from `directory`, in a background thread."""

    def __init__(self, directory: Path, *, host: str = "127.0.0.1", port: int = 0) -> None:
        publisher = self
        self.directory = directory

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return None

            def do_GET(self) -> None:
                if self.path == "/healthz":
                    return self._send(200, b"ok", "text/plain")
                if self.path.split("?")[0] not in ("/", "/feed.xml"):
                    return self._send(404, b"not found", "text/plain")
                body = render_rss(articles_in(publisher.directory), title=directory.name, base=publisher.base)
                etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
                if self.headers.get("If-None-Match") == etag:
                    return self._send(304, b"", None, etag)
                return self._send(200, body, "application/rss+xml; charset=utf-8", etag)

            def _send(self, status: int, body: bytes, ctype: str | None, etag: str | None = None) -> None:
                self.send_response(status)
                if ctype:
                    self.send_header("Content-Type", ctype)
                if etag:
                    self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._httpd = ThreadingHTTPServer((host, port), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="feed-publisher", daemon=True)

    @property
    def base(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def url(self) -> str:
        return f"{self.base}/feed.xml"

    def start(self) -> FeedPublisher:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
