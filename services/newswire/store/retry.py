"""Which database failures pass by themselves (retry) and which never will (dead-letter the record)."""

from __future__ import annotations

import asyncio
import contextlib

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

__all__ = ["Backoff", "is_transient"]


def is_transient(exc: BaseException) -> bool:
    """Connection lost or refused, server starting or shutting down, SQLite busy, a deadlock or
    serialization failure between concurrent writers: retry."""
    if isinstance(exc, OperationalError | InterfaceError | OSError | TimeoutError | ConnectionError):
        return True
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        # asyncpg reports "cannot connect now" / admin shutdown with SQLSTATE class 08 or 57P;
        # 40P01 / 40001: the transaction was rolled back for a deadlock or a serialization failure.
        code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
        return isinstance(code, str) and (code.startswith(("08", "57P")) or code in ("40P01", "40001"))
    orig = exc.__cause__
    return orig is not None and orig is not exc and is_transient(orig)


class Backoff:
    """Exponential backoff with a cap: 0.2 s, 0.4 s, ... 10 s."""

    def __init__(self, first: float = 0.2, cap: float = 10.0) -> None:
        self.first = first
        self.cap = cap
        self.delay = first
        self.attempts = 0

    async def wait(self, stop: asyncio.Event | None = None) -> None:
        """Sleep the current delay (cut short when `stop` is set), then double it."""
        self.attempts += 1
        if stop is None:
            await asyncio.sleep(self.delay)
        else:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.delay)
        self.delay = min(self.delay * 2, self.cap)

    def reset(self) -> None:
        self.delay = self.first
        self.attempts = 0
