"""Database connection: URL forms, the async engine, and bringing the schema to the newest migration.

Accepted URLs: `sqlite+aiosqlite:///path`, `postgresql+asyncpg://...`, and the plain `sqlite:///`,
`postgresql://` (also `postgres://`) forms, which get the async driver added.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
from collections.abc import AsyncIterator
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from newswire.errors import ConfigError
from newswire.store.retry import is_transient

__all__ = ["connect", "database_url", "migrate"]

_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
}
_ASYNC = {"sqlite+aiosqlite", "postgresql+asyncpg"}
_MIGRATION_LOCK = 0x6E657773  # any constant: PostgreSQL advisory lock so two services migrate in turn


def database_url(raw: str) -> URL:
    """Parse a configured URL and swap in the async driver; ConfigError names what is wrong."""
    try:
        url = make_url(raw)
    except ArgumentError as e:
        raise ConfigError(f"NEWSWIRE_DATABASE_URL is not a database URL: {raw!r} ({e})") from None
    driver = _DRIVERS.get(url.drivername, url.drivername)
    if driver not in _ASYNC:
        raise ConfigError(
            f"NEWSWIRE_DATABASE_URL uses {url.drivername!r}; use sqlite:///path or postgresql://user@host/db"
        )
    return url.set(drivername=driver)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets the API read while the store worker writes; busy_timeout waits out short write locks.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def connect(raw_url: str, **kwargs: Any) -> AsyncEngine:
    url = database_url(raw_url)
    if url.get_backend_name() == "sqlite":
        engine = create_async_engine(url, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    if url.get_driver_name() == "asyncpg":
        # Plan every execution for its own values: asyncpg prepares statements, and after five runs
        # PostgreSQL may settle on one generic plan for all values. Entity frequencies are skewed
        # (one name is in every article, the next in a handful), so a plan fit for a rare entity
        # took an entity page for a common one from 25 to 115 ms (store_bench.py query).
        settings = kwargs.setdefault("connect_args", {}).setdefault("server_settings", {})
        settings.setdefault("plan_cache_mode", "force_custom_plan")
    kwargs.setdefault("pool_size", 5)
    kwargs.setdefault("max_overflow", 5)
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(url, **kwargs)


def _alembic_config(connection: Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("newswire.store") / "migrations"))
    cfg.attributes["connection"] = connection
    return cfg


def _upgrade(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
    command.upgrade(_alembic_config(connection), "head")


@contextlib.asynccontextmanager
async def _sqlite_migration_lock(engine: AsyncEngine) -> AsyncIterator[None]:
    """SQLite has no advisory locks and runs DDL outside transactions, so two processes upgrading
    one file at once (the store worker and the API) could both apply a migration. They take turns
    on a lock file beside the database instead."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    lock_path = Path(database).with_name(Path(database).name + ".migrate-lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as lock:  # noqa: ASYNC230 (a lock file, opened once at start-up)
        await asyncio.to_thread(fcntl.flock, lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


async def migrate(engine: AsyncEngine, *, patience: float = 60.0) -> None:
    """Create or upgrade the schema (idempotent). Retries while the database is still coming up."""
    deadline = asyncio.get_running_loop().time() + patience
    delay = 0.5
    while True:
        try:
            async with _sqlite_migration_lock(engine), engine.begin() as conn:
                await conn.run_sync(_upgrade)
            return
        except Exception as e:
            if not is_transient(e) or asyncio.get_running_loop().time() + delay > deadline:
                raise
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)
