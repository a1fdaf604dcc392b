"""The seen-set: the same story (same URL, or same normalised title + body) is produced once,
across doors and restarts.

Keys are 16-byte digests kept in SQLite in arrival order; past `capacity` keys the oldest go
(FIFO), so the file stays bounded. An article is *reserved* before it is sent and *committed* only
after the broker acknowledged it, so a failed send never marks an article as seen (no loss), and a
second copy inside the same batch is still caught.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from newswire.contracts import RawArticle

__all__ = ["SeenSet", "canonical_url", "dedup_keys"]

_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid")


def canonical_url(url: str) -> str:
    """Scheme and host lower-cased, no fragment, no tracking parameters, no default port."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    host = (parts.hostname or "").lower()
    if parts.port and (parts.scheme, parts.port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{parts.port}"
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not k.lower().startswith(_TRACKING)
        ]
    )
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", query, ""))


def _digest(kind: str, text: str) -> bytes:
    return hashlib.sha256(f"{kind}\x1f{text}".encode()).digest()[:16]


def url_key(url: str) -> bytes:
    return _digest("url", canonical_url(url))


def dedup_keys(article: RawArticle) -> tuple[bytes, ...]:
    """URL key (when there is a URL) and text key: case-folded, whitespace-collapsed title + body."""
    text = " ".join(article.title.casefold().split()) + "\x1f" + " ".join(article.body.casefold().split())
    keys = (_digest("text", text),)
    return (url_key(article.url), *keys) if article.url else keys


class SeenSet:
    def __init__(self, db: sqlite3.Connection, *, capacity: int = 1_000_000, readonly: bool = False) -> None:
        self._db = db
        self.capacity = capacity
        self.readonly = readonly  # dry runs look but never write
        self._pending: set[bytes] = set()
        self._since_prune = 0

    def seen(self, keys: Iterable[bytes]) -> bool:
        keys = list(keys)
        if any(k in self._pending for k in keys):
            return True
        marks = ",".join("?" * len(keys))
        return (
            self._db.execute(f"SELECT 1 FROM seen WHERE key IN ({marks}) LIMIT 1", keys).fetchone()
            is not None
        )

    def reserve(self, keys: Iterable[bytes]) -> bool:
        """True (and held) when none of the keys was seen; False for a duplicate."""
        keys = list(keys)
        if self.seen(keys):
            return False
        self._pending.update(keys)
        return True

    def release(self, keys: Iterable[bytes]) -> None:
        """The send failed: forget the reservation so the next attempt is not a 'duplicate'."""
        self._pending.difference_update(keys)

    def commit(self, batches: Iterable[Iterable[bytes]]) -> None:
        """The broker acknowledged these articles: remember their keys durably (one transaction)."""
        keys = [k for batch in batches for k in batch]
        if not keys:
            return
        if self.readonly:
            return  # kept pending: a dry run still reports duplicates within the run
        with self._transaction():
            self._db.executemany("INSERT OR IGNORE INTO seen(key) VALUES (?)", ((k,) for k in keys))
        self._pending.difference_update(keys)
        self._since_prune += len(keys)
        if self._since_prune >= max(1_000, self.capacity // 100):
            self.prune()

    def prune(self) -> int:
        """Drop the oldest keys beyond capacity; returns how many went."""
        self._since_prune = 0
        (top,) = self._db.execute("SELECT coalesce(max(n), 0) FROM seen").fetchone()
        with self._transaction():
            cur = self._db.execute("DELETE FROM seen WHERE n <= ?", (top - self.capacity,))
        return cur.rowcount

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM seen").fetchone()[0])

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
