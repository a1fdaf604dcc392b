"""HTTP GET for feeds and article pages, with every limit a hostile or broken server needs:
connect/read timeouts plus a total deadline (no slow drip), a byte cap counted after
decompression (no gzip bomb), a redirect cap (no loop), a polite User-Agent, conditional GET,
and a bounded number of fetches in flight."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from types import TracebackType

import httpx

from newswire.ingest.config import IngestConfig
from newswire.ingest.metrics import FETCH_SECONDS

__all__ = ["FetchError", "Fetched", "Fetcher"]

# httpx logs every request at INFO: one line per feed per poll. Our own fetch metrics say more.
logging.getLogger("httpx").setLevel(logging.WARNING)


class FetchError(Exception):
    """A fetch that gave no usable body. `kind` is a metrics label: timeout | connect | http_status |
    redirects | too_large | invalid_url | http."""

    def __init__(self, kind: str, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.retry_after = retry_after


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content: bytes
    headers: httpx.Headers
    not_modified: bool = False


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


class Fetcher:
    def __init__(self, config: IngestConfig, *, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.max_bytes = config.ingest_fetch_max_bytes
        self.total_timeout = config.ingest_fetch_total_timeout
        self._slots = asyncio.Semaphore(config.ingest_fetch_concurrency)
        self._client = httpx.AsyncClient(
            follow_redirects=True,
            max_redirects=config.ingest_max_redirects,
            timeout=httpx.Timeout(config.ingest_fetch_timeout),
            headers={"User-Agent": config.ingest_user_agent},
            limits=httpx.Limits(max_connections=config.ingest_fetch_concurrency * 2),
            transport=transport,
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._client.aclose()

    async def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None, kind: str = "feed"
    ) -> Fetched:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        async with self._slots:
            started = time.perf_counter()
            try:
                async with asyncio.timeout(self.total_timeout):
                    return await self._get(url, headers)
            except TimeoutError:
                raise FetchError("timeout", f"no complete response within {self.total_timeout:g}s") from None
            except httpx.TooManyRedirects:
                raise FetchError("redirects", "too many redirects (loop?)") from None
            except httpx.TimeoutException as e:
                raise FetchError("timeout", f"timed out: {type(e).__name__}") from None
            except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError) as e:
                raise FetchError("connect", f"{type(e).__name__}: {e}") from None
            except (httpx.InvalidURL, httpx.UnsupportedProtocol) as e:
                raise FetchError("invalid_url", str(e)) from None
            except httpx.HTTPError as e:
                raise FetchError("http", f"{type(e).__name__}: {e}") from None
            finally:
                FETCH_SECONDS.labels(kind).observe(time.perf_counter() - started)

    async def _get(self, url: str, headers: dict[str, str]) -> Fetched:
        async with self._client.stream("GET", url, headers=headers) as r:
            if r.status_code == 304:
                return Fetched(str(r.url), b"", r.headers, not_modified=True)
            if not 200 <= r.status_code < 300:
                raise FetchError(
                    "http_status",
                    f"HTTP {r.status_code}",
                    retry_after=_retry_after(r.headers.get("retry-after")),
                )
            declared = r.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise FetchError("too_large", f"Content-Length {declared} > limit {self.max_bytes}")
            chunks, size = [], 0
            async for chunk in r.aiter_bytes():  # decompressed: the cap holds against gzip bombs
                size += len(chunk)
                if size > self.max_bytes:
                    raise FetchError("too_large", f"body exceeds limit {self.max_bytes} bytes")
                chunks.append(chunk)
            return Fetched(str(r.url), b"".join(chunks), r.headers)
