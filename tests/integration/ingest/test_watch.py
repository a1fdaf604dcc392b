"""--watch: dropped files are read once each, across restarts; half-written files wait."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from newswire.ingest.dedup import SeenSet
from newswire.ingest.files import ingest_path
from newswire.ingest.pipeline import Ingestor
from newswire.ingest.state import open_state
from newswire.ingest.watch import FileLedger, watch_dir
from unit.ingest.fakes import ListSink


def line(n: int) -> str:
    return json.dumps({"title": f"T{n}", "body": f"Body {n}.", "published_at": "2024-05-16T09:00:00Z"}) + "\n"


async def run_watch(drop: Path, db_path: Path, sink: ListSink, actions: list) -> list[Path]:  # type: ignore[type-arg]
    db = open_state(db_path)
    ingestor = Ingestor(sink, SeenSet(db))
    handled: list[Path] = []

    async def handle(path: Path) -> None:
        handled.append(path)
        await ingest_path(ingestor, path)

    stop = asyncio.Event()
    task = asyncio.create_task(watch_dir(drop, handle, FileLedger(db), interval=0.1, stop=stop))
    for act in actions:
        act()
        await asyncio.sleep(0.5)
    stop.set()
    await asyncio.wait_for(task, 5)
    db.close()
    return handled


async def test_each_file_once_across_restarts(tmp_path: Path) -> None:
    drop, state = tmp_path / "drop", tmp_path / "state.sqlite3"
    drop.mkdir()
    (drop / "old.jsonl").write_text(line(1))
    sink = ListSink()
    handled = await run_watch(
        drop,
        state,
        sink,
        [
            lambda: (drop / "new.jsonl.part").write_text(line(2)),  # still being written: ignored
            lambda: (drop / "new.jsonl.part").rename(drop / "new.jsonl"),
            lambda: None,
        ],
    )
    assert sorted(p.name for p in handled) == ["new.jsonl", "old.jsonl"]
    assert sorted(a.title for a in sink.articles) == ["T1", "T2"]

    # restart: nothing is read again; a rewritten file is, and only its new article is produced
    sink2 = ListSink()
    handled = await run_watch(
        drop, state, sink2, [lambda: None, lambda: (drop / "old.jsonl").write_text(line(1) + line(3))]
    )
    assert [p.name for p in handled] == ["old.jsonl"]
    assert [a.title for a in sink2.articles] == ["T3"]
