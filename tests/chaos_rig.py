"""The pipeline under faults: a real broker, a real database and the four services as processes,
fed distinct articles through ingest's two doors (POST /articles and the watched directory) while
faults are applied. Used by benchmarks/chaos.py and tests/integration/test_recovery.py.

Recovery of a fault is measured end to end: the time from the fault's end (worker restarted, broker
or database accepting connections again) until an article handed to ingest *after the fault began*
is in the store. A stored count that grows on the backlog alone does not count.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import signal
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from conftest import free_port
from newswire.contracts import RawArticle
from newswire.kafka import Topics, ensure_topics
from newswire.kafka.local_broker import LocalBroker
from newswire.processes import ServiceGroup
from newswire.settings import Settings
from newswire.store import tables
from newswire.store.db import connect

ROOT = Path(__file__).resolve().parents[1]
TEXTS = [*sorted((ROOT / "tests/unit/enrich").glob("probe_*.jsonl")), *(ROOT / "seeds").glob("*.jsonl")]
WORKERS = ("ingest", "enrich", "alert", "store")
_LEVEL = re.compile(r'"level": "(warning|error|critical)"|\b(WARNING|ERROR|CRITICAL)\b|^Traceback')

RULES = """\
receivers:
  - name: hook
    webhook: {{url: "http://127.0.0.1:{port}/hook", retry: {{attempts: 20, max_backoff: 2s}}}}
rules:
  - name: any-meeting
    match: {{types: [MEET]}}
    min_sources: 1
    severity: high
    group_wait: 0s
    repeat_interval: 4h
    receivers: [hook]
"""


def articles(n: int) -> list[RawArticle]:
    """`n` distinct articles: the repository's test texts in turn, each title numbered."""
    records = [json.loads(line) for path in TEXTS for line in path.read_text().splitlines() if line.strip()]
    out = []
    for i in range(n):
        r = records[i % len(records)]
        published = r.get("published_at") or f"{r.get('published') or '2024-05-16'}T12:00:00Z"
        out.append(
            RawArticle.model_validate(
                {"source": "chaos", "title": f"{r.get('title') or 'Untitled'} (#{i})",
                 "body": r.get("body") or r["text"], "published_at": published}
            )
        )  # fmt: skip
    return out


class Webhook:
    """A receiver that records every notice it is sent: its Idempotency-Key, alert id and state,
    and, in `received`, when it came and the articles it cites."""

    def __init__(self) -> None:
        self.port = free_port()
        self.notices: list[tuple[str, str, str]] = []
        self.received: list[tuple[float, list[str]]] = []
        notices, received = self.notices, self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                now = time.monotonic()
                notices.append(
                    (self.headers.get("Idempotency-Key", ""), self.headers.get("X-Newswire-Alert-Id", ""),
                     self.headers.get("X-Newswire-Alert-State", ""))
                )  # fmt: skip
                try:
                    cited = [s["article_id"] for s in json.loads(body).get("sources", [])]
                except (ValueError, AttributeError, KeyError, TypeError):
                    cited = []
                received.append((now, cited))
                self.send_response(200)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()


@dataclass
class Fault:
    name: str
    started: float
    ended: float
    recovery_s: float | None = None
    log_lines: dict[str, int] = field(default_factory=dict)


@dataclass
class Rig:
    """Start with `Rig.open(...)`; `close()` stops everything it started."""

    root: Path
    broker: LocalBroker
    settings: Settings
    group: ServiceGroup
    hook: Webhook
    engine: AsyncEngine
    pg: Any = None
    handed: dict[str, float] = field(default_factory=dict)  # article id -> when ingest took it
    faults: list[Fault] = field(default_factory=list)
    _stored: set[str] = field(default_factory=set)
    _drop: int = 0

    @classmethod
    def open(cls, *, db: str = "sqlite", partitions: int = 4, root: Path | None = None) -> Rig:
        root = root or Path(tempfile.mkdtemp(prefix="newswire-chaos-"))
        broker = LocalBroker(
            home=Path.home() / ".cache" / "newswire" / "kafka", port=free_port(), controller_port=free_port(),
            heap="512m", state=root / "kafka",
        )  # fmt: skip
        broker.start()
        pg = None
        if db == "postgres":
            from pg_fixture import PgServer

            pg = PgServer.launch()
            url = pg.create_database("chaos")
        else:
            url = f"sqlite+aiosqlite:///{root / 'store.db'}"
        hook = Webhook()
        rules = root / "rules.yaml"
        rules.write_text(RULES.format(port=hook.port))
        (root / "drop").mkdir()
        settings = Settings(
            kafka_bootstrap=broker.bootstrap, topic_prefix="chaos", topic_partitions=partitions,
            database_url=url, data_dir=root / "state", rules_file=rules, ingest_watch_dir=root / "drop",
            ingest_port=free_port(), alert_http_port=free_port(), ingest_watch_interval=0.3,
            enrich_batch_seconds=0.2, store_batch_seconds=0.2, log_format="json",
        )  # fmt: skip
        group = ServiceGroup(settings, log_dir=root / "logs")
        return cls(root, broker, settings, group, hook, connect(url), pg)

    def worker_settings(self, label: str, *, static: bool = True) -> Settings:
        """Settings of one process: its own state dir and HTTP port; `static`: a static group member
        named after the label (a restart takes its partitions straight back)."""
        update: dict[str, Any] = {"data_dir": self.root / "state" / label}
        if static:
            update["kafka_group_instance_id"] = f"chaos-{label}"
        if label.startswith("alert") and label != "alert":
            update["alert_http_port"] = free_port()
        return self.settings.model_copy(update=update)

    async def start(self) -> None:
        await ensure_topics(self.settings)
        for name in WORKERS:
            self.group.start_as(name, name, self.worker_settings(name))
        await self.wait_ingest()

    async def wait_ingest(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient() as client:
            while time.monotonic() < deadline:
                try:
                    if (await client.get(f"{self.ingest_url}/healthz", timeout=1)).status_code < 500:
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.2)
        raise TimeoutError(f"ingest did not answer within {timeout:.0f}s:\n{self.group.log_tail('ingest')}")

    @property
    def ingest_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.ingest_port}"

    # ------------------------------------------------------------------ feeding

    async def feed(self, items: list[RawArticle], rate: float, *, batch: int = 5) -> None:
        """Hand `items` to ingest at `rate` articles/s, alternating POST and a dropped file; a POST
        that fails (ingest down) is retried until it is taken, so nothing is skipped."""
        async with httpx.AsyncClient() as client:
            for n, start in enumerate(range(0, len(items), batch)):
                chunk = items[start : start + batch]
                began = time.monotonic()
                if n % 2 == 0:
                    await self._post(client, chunk)
                else:
                    self._drop_file(chunk)
                await asyncio.sleep(max(0.0, len(chunk) / rate - (time.monotonic() - began)))

    async def _post(self, client: httpx.AsyncClient, chunk: list[RawArticle]) -> None:
        body = "[" + ",".join(a.model_dump_json() for a in chunk) + "]"
        while True:
            sent = time.monotonic()  # ingest's own time counts in a latency
            try:
                resp = await client.post(
                    f"{self.ingest_url}/articles", content=body, timeout=10,
                    headers={"content-type": "application/json"},
                )  # fmt: skip
                if resp.status_code == 202:
                    break
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.3)
        for a in chunk:
            self.handed.setdefault(a.id, sent)

    def _drop_file(self, chunk: list[RawArticle]) -> None:
        self._drop += 1
        part = self.root / "drop" / f"batch-{self._drop:05d}.jsonl.part"
        part.write_text("".join(a.model_dump_json() + "\n" for a in chunk))
        part.rename(part.with_suffix(""))  # the watcher skips *.part: it sees the whole file at once
        now = time.monotonic()
        for a in chunk:
            self.handed.setdefault(a.id, now)

    # ------------------------------------------------------------------ observing

    async def stored(self) -> set[str]:
        try:
            async with self.engine.connect() as conn:
                rows = (await conn.execute(select(tables.articles.c.id))).scalars().all()
        except Exception:  # before the store's migrations ran, or the database is restarting
            return self._stored
        self._stored = set(rows)
        return self._stored

    async def recovered(self, fault: Fault, timeout: float = 60.0) -> float | None:
        """Seconds from the fault's end until an article handed over after it began is stored."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            fresh = {i for i, t in self.handed.items() if t >= fault.started}
            if fresh & await self.stored():
                fault.recovery_s = round(max(0.0, time.monotonic() - fault.ended), 2)
                return fault.recovery_s
            await asyncio.sleep(0.2)
        return None

    async def drain(self, timeout: float = 120.0) -> bool:
        """Wait until every handed article is stored."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if set(self.handed) <= await self.stored():
                return True
            await asyncio.sleep(0.3)
        return False

    def log_sizes(self) -> dict[str, int]:
        return {p.stem: p.stat().st_size for p in self.group.log_dir.glob("*.log")}

    def warning_lines(self, since: dict[str, int]) -> dict[str, int]:
        """How many WARNING/ERROR lines (and tracebacks) each worker wrote after `since` (log_sizes())."""
        return {name: len(lines) for name, lines in self.warnings(since).items()}

    def warnings(self, since: dict[str, int]) -> dict[str, list[str]]:
        """The WARNING/ERROR lines (and tracebacks) each worker wrote after `since` (log_sizes())."""
        out = {}
        for path in self.group.log_dir.glob("*.log"):
            with open(path, "rb") as f:
                f.seek(since.get(path.stem, 0))
                new = f.read().decode(errors="replace")
            out[path.stem] = [line for line in new.splitlines() if _LEVEL.search(line)]
        return out

    # ------------------------------------------------------------------ faults

    def kill_restart(self, label: str) -> Fault:
        """SIGKILL and an immediate restart."""
        started = time.monotonic()
        self.group.kill(label, signal.SIGKILL)
        self.group.restart(label)
        return self._record(Fault(f"kill -9 {label}", started, time.monotonic()))

    def broker_outage(self, seconds: float) -> Fault:
        started = time.monotonic()
        self.broker.stop()
        time.sleep(max(0.0, seconds - (time.monotonic() - started)))
        self.broker.start()  # returns once the broker accepts connections
        return self._record(Fault(f"broker stop/start ({seconds:.0f} s)", started, time.monotonic()))

    def database_restart(self) -> Fault:
        started = time.monotonic()
        if self.pg is not None:
            self.pg.stop()
            self.pg.start()
        return self._record(Fault("postgresql restart", started, time.monotonic()))

    def join(self, label: str, service: str) -> Fault:
        """A second worker of `service` joins its group (a dynamic member: it leaves cleanly)."""
        started = time.monotonic()
        self.group.start_as(label, service, self.worker_settings(label, static=False))
        return self._record(Fault(f"{label} joins", started, time.monotonic()))

    def leave(self, label: str) -> Fault:
        started = time.monotonic()
        self.group.kill(label, signal.SIGTERM)
        return self._record(Fault(f"{label} leaves", started, time.monotonic()))

    def _record(self, fault: Fault) -> Fault:
        self.faults.append(fault)
        return fault

    # ------------------------------------------------------------------ the tally

    async def report(self) -> dict[str, Any]:
        topics = Topics.from_settings(self.settings)
        stored = await self.stored()
        async with self.engine.connect() as conn:
            counts = {}
            duplicates = 0
            for table in tables.metadata.sorted_tables:
                key = [c for c in table.primary_key.columns] or list(table.columns)
                total = (await conn.execute(select(func.count()).select_from(table))).scalar_one()
                distinct = (
                    await conn.execute(select(func.count()).select_from(select(*key).distinct().subquery()))
                ).scalar_one()
                counts[table.name] = total
                duplicates += total - distinct
        keys = Counter(k for k, _, _ in self.hook.notices)
        async with self.engine.connect() as conn:
            alert_ids = set((await conn.execute(select(tables.alerts.c.id))).scalars().all())
        return {
            "produced": len(self.handed),
            "stored": len(stored & set(self.handed)),
            "lost": len(set(self.handed) - stored),
            "duplicate_rows": duplicates,
            "events": counts.get("events", 0),
            "alerts": counts.get("alerts", 0),
            "alert_notices": len(keys),
            "duplicate_alert_notices": sum(n - 1 for n in keys.values()),
            "alerts_without_notice": len(alert_ids - {a for _, a, _ in self.hook.notices}),
            "deadletters": await _count(self.settings.kafka_bootstrap, topics.deadletter),
            "faults": [
                {"fault": f.name, "recovery_s": f.recovery_s, "log_lines": f.log_lines or None}
                for f in self.faults
            ],
        }

    async def aclose(self) -> None:
        await self.engine.dispose()
        self.close()

    def close(self) -> None:
        self.group.stop(timeout=20)
        self.hook.close()
        self.broker.stop()
        if self.pg is not None:
            self.pg.stop("immediate")
            self.pg.cleanup()
        shutil.rmtree(self.root, ignore_errors=True)


async def _count(bootstrap: str, topic: str) -> int:
    from kafka_helpers import end_offsets

    return sum((await end_offsets(bootstrap, topic)).values())
