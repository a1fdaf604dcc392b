"""The ingest service's durable state: one SQLite file under data_dir (seen-set, watch ledger,
feed validators). One connection per process, used from the event loop thread only."""

from __future__ import annotations

import sqlite3
from pathlib import Path

__all__ = ["open_state"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS seen (n INTEGER PRIMARY KEY AUTOINCREMENT, key BLOB NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS feeds (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT);
"""


def open_state(path: Path | None) -> sqlite3.Connection:
    """Open (creating) the state file; None gives a throw-away in-memory database."""
    if path is None:
        db = sqlite3.connect(":memory:", isolation_level=None)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, isolation_level=None, timeout=10.0)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across process crashes
    db.executescript(_SCHEMA)
    return db
