"""`--watch DIR`: each new file is handled once, across restarts.

A file is taken when its size and mtime are the same on two scans in a row (the writer is done);
the ledger remembers (path, size, mtime) after it was handled, so a file rewritten with new
content is read again (its already-seen articles are then dropped by the seen-set).
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path

from newswire.errors import TransientError
from newswire.ingest.files import iter_files
from newswire.observability import log

__all__ = ["FileLedger", "watch_dir"]

_log = log("ingest.watch")
Stamp = tuple[int, int]  # size, mtime_ns


class FileLedger:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def done(self, path: Path, stamp: Stamp) -> bool:
        row = self._db.execute(
            "SELECT size, mtime_ns FROM files WHERE path = ?", (str(path.resolve()),)
        ).fetchone()
        return row is not None and tuple(row) == stamp

    def mark(self, path: Path, stamp: Stamp) -> None:
        self._db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?)", (str(path.resolve()), *stamp))


def _stamp(path: Path) -> Stamp | None:
    try:
        st = path.stat()
    except OSError:
        return None  # gone between listing and stat
    return st.st_size, st.st_mtime_ns


async def watch_dir(
    directory: Path,
    handle: Callable[[Path], Awaitable[object]],
    ledger: FileLedger,
    *,
    interval: float = 1.0,
    stop: asyncio.Event | None = None,
) -> None:
    """Scan until `stop` is set (or forever); `handle` each new, settled file once."""
    stop = stop or asyncio.Event()
    previous: dict[Path, Stamp] = {}
    broken: set[tuple[Path, Stamp]] = set()  # failed with a bug: not retried until the file changes
    while not stop.is_set():
        current: dict[Path, Stamp] = {}
        # A directory listing and a few stats per scan: too cheap to need a thread.
        for path in iter_files(directory) if directory.is_dir() else []:  # noqa: ASYNC240
            stamp = _stamp(path)
            if stamp is None:
                continue
            current[path] = stamp
            if previous.get(path) != stamp or ledger.done(path, stamp) or (path, stamp) in broken:
                continue
            try:
                await handle(path)
            except TransientError as e:
                _log.warning("file not delivered, will retry", extra={"path": str(path), "error": str(e)})
                continue
            except Exception:
                _log.exception("file failed", extra={"path": str(path)})
                broken.add((path, stamp))
                continue
            ledger.mark(path, stamp)
        previous = current
        try:
            await asyncio.wait_for(stop.wait(), timeout=interval)
        except TimeoutError:
            pass
