"""Several processes bringing one SQLite file to the newest schema at once take turns: none fails,
and the schema ends up applied exactly once."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import asyncio, sys
from newswire.store.db import connect, migrate

async def main() -> None:
    engine = connect(sys.argv[1])
    await migrate(engine)
    await engine.dispose()

asyncio.run(main())
"""


def test_concurrent_migrations_of_one_sqlite_file(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    url = f"sqlite+aiosqlite:///{db}"
    procs = [
        subprocess.Popen([sys.executable, "-c", SCRIPT, url], stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in procs]
    assert [code for code, _ in results] == [0, 0, 0, 0], [err[-500:] for _, err in results]
    with sqlite3.connect(db) as conn:
        versions = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert len(versions) == 1
    assert {"articles", "events", "event_participants", "alerts"} <= tables
