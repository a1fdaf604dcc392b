"""A real HTTP server on 127.0.0.1 for feed tests: serves the files a test writes into `root`,
with ETag / Last-Modified and conditional GET, plus routes that misbehave on purpose."""

from __future__ import annotations

import hashlib
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

__all__ = ["FeedServer"]


class FeedServer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.requests: list[tuple[str, dict[str, str]]] = []  # (path, headers) of every GET
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output quiet
                return None

            def do_GET(self) -> None:
                server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                path = self.path.split("?")[0]
                if path.startswith("/status/"):
                    return self._reply(int(path.rsplit("/", 1)[1]), b"nope", {"Retry-After": "1"})
                if path.startswith("/loop"):
                    return self._reply(302, b"", {"Location": path})
                if path.startswith("/slow"):
                    return self._slow()
                file = server.root / path.lstrip("/")
                if not file.is_file():
                    return self._reply(404, b"not found")
                st = file.stat()
                etag = '"' + hashlib.sha1(f"{st.st_size}-{st.st_mtime_ns}".encode()).hexdigest()[:16] + '"'
                modified = formatdate(st.st_mtime, usegmt=True)
                if self.headers.get("If-None-Match") == etag:
                    return self._reply(304, b"", {"ETag": etag})
                ctype = "text/html; charset=utf-8" if file.suffix == ".html" else "application/rss+xml"
                if file.suffix == ".bin":
                    ctype = "application/octet-stream"
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(st.st_size))
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", modified)
                self.end_headers()
                with file.open("rb") as f:
                    try:
                        while chunk := f.read(1 << 16):
                            self.wfile.write(chunk)
                    except (BrokenPipeError, ConnectionResetError):
                        pass  # the client gave up (size limit): expected

            def _reply(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _slow(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.end_headers()
                try:
                    for _ in range(100):  # a byte every 0.1 s: each read is quick, the whole is not
                        self.wfile.write(b" ")
                        self.wfile.flush()
                        time.sleep(0.1)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}"

    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def rss(items: list[dict[str, str]], *, encoding: str = "utf-8", declared: str | None = None) -> bytes:
    """An RSS 2.0 document; each item dict may hold title, link, description, pubDate, guid."""
    parts = []
    for item in items:
        fields = "".join(f"<{k}>{v}</{k}>" for k, v in item.items())
        parts.append(f"<item>{fields}</item>")
    decl = declared or encoding
    doc = (
        f'<?xml version="1.0" encoding="{decl}"?>\n<rss version="2.0"><channel><title>Test wire</title>'
        f"<link>http://example.org/</link><description>t</description><language>en-us</language>"
        f"{''.join(parts)}</channel></rss>"
    )
    return doc.encode(encoding)
