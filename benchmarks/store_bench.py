"""Store benchmarks; prints one JSON object.

.venv/bin/python benchmarks/store_bench.py write --articles 20000 [--text enriched] [--lanes N]
    Real store worker (aiokafka consumer -> PostgreSQL) on a real broker: enriched articles/s from
    the first stored row to the last offset commit, and the CPU each process spent per article
    (this process = the worker; PostgreSQL = all its processes; the broker). Starts its own
    PostgreSQL and Kafka on free ports unless --database-url / --bootstrap are given.
    --text enriched (recommended: the realistic payload): the 40 texts of ../shared/dev-gold (real
    news, read at run time) run once through the real enrich stage (Enricher.enrich, before anything
    is timed), so entities, events and search vector are exactly what the enrich worker sends
    (~31 mentions over ~19 distinct entities per article); article i is a copy of enriched text
    i % 40 under its own url, article id, publication time and event ids (the events' evidence
    points at the copy). The JSON reports the measured mentions, distinct entities and events per
    article; --mentions is ignored.
    --text synthetic (default): a ~2.2 KB body of one repeated paragraph; --text dev-gold: the
    bodies of ../shared/dev-gold (real news, ~1.9 KB), whose varied words cost PostgreSQL's
    full-text indexing more. With both, entities are synthetic: --mentions N (default 15) mentions
    per article, 3 real-looking ones and N - 3 of one "Officials" (~4 distinct entities), and one
    made-up event per two articles.
.venv/bin/python benchmarks/store_bench.py query --articles 100000 --events 50000
    Loads the data through the repository, then times GET /events?participant=..., /articles?entity=
    and /entities/{id} through the FastAPI app (in-process ASGI, real PostgreSQL): p50/p95/p99 in ms.
Both first flush dirty pages and wait up to --settle seconds (30) for a quiet machine: on this VM a
run started on the heels of another measured up to 20 % slower.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from newswire import fulltext  # noqa: E402
from newswire.contracts import (  # noqa: E402
    EnrichedArticle,
    Entity,
    Event,
    EventType,
    Evidence,
    Location,
    Participant,
    Processing,
    RawArticle,
    article_id_for,
)

PROC = Processing(model="en_core_web_sm", model_version="3.8.0", pipeline_version="bench", took_ms=5.0)
LEADERS = [Participant(id="Q15031", name="Xi Jinping", country="CN")] + [
    Participant(id=f"Q{1000 + i}", name=f"Leader Number{i}", country="ZZ") for i in range(299)
]
PLACES = [Location(name=f"City{i}", country="ZZ") for i in range(80)]
FILLER = (
    "Officials said the talks covered trade, security and energy, and that both sides agreed to continue "
    "working together on regional issues in the coming months. "
)


def article(
    i: int,
    *,
    n_events: int,
    body_repeat: int,
    rng: random.Random,
    texts: list[str] | None = None,
    mentions: int = 15,
) -> EnrichedArticle:
    ev_no = i % n_events if n_events else None
    a, b = (LEADERS[0], rng.choice(LEADERS[1:])) if rng.random() < 0.03 else tuple(rng.sample(LEADERS[1:], 2))
    place = rng.choice(PLACES)
    sentence = f"{a.name} met {b.name} in {place.name} on Tuesday."
    title = f"{a.name} and {b.name} meet in {place.name} ({i})"
    body = sentence + " " + (texts[i % len(texts)] if texts else FILLER * body_repeat)
    text = title + "\n\n" + body
    published = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=7 * i)
    raw = RawArticle(
        url=f"https://bench.test/{i}",
        source=f"wire-{i % 20}",
        title=title,
        body=body,
        published_at=published,
        received_at=published,
    )
    s0 = len(title) + 2
    ents = [
        Entity(text=a.name, label="PERSON", start=s0, end=s0 + len(a.name), kb_id=a.id, canonical=a.name),
        Entity(
            text=b.name,
            label="PERSON",
            start=s0 + len(a.name) + 5,
            end=s0 + len(a.name) + 5 + len(b.name),
            kb_id=b.id,
            canonical=b.name,
        ),
        Entity(
            text=place.name,
            label="GPE",
            start=text.index(place.name, s0),
            end=text.index(place.name, s0) + len(place.name),
            kb_id=None,
            canonical=place.name,
        ),
    ]
    for k in range(mentions - 3):  # ordinary mentions further down the body
        off = s0 + len(sentence) + 1 + k * 150 % max(1, len(body) - 20)
        ents.append(
            Entity(text="Officials", label="NORP", start=off, end=off + 9, kb_id=None, canonical=None)
        )
    events = []
    if ev_no is not None:
        events.append(
            Event(
                id=f"ev-{ev_no}",
                type=EventType.MEET,
                participants=[a, b],
                location=place,
                date=(published - timedelta(days=1)).date(),
                evidence=[
                    Evidence(
                        article_id=raw.id,
                        sentence=sentence,
                        start=s0,
                        end=s0 + len(sentence),
                        url=raw.url,
                        title=title,
                        source=raw.source,
                        published_at=published,
                    )
                ],
                confidence=0.9,
            )
        )
    # The search vector comes with the message, as the enrich stage sends it (built outside the timing).
    search = fulltext.search_vector(title, body)
    return EnrichedArticle(article=raw, entities=ents, events=events, processing=PROC, search=search)


# --------------------------------------------------------------------------- infrastructure


def start_pg(*, durable: bool) -> tuple[Any, str]:
    from pg_fixture import PgServer

    server = PgServer.launch(durable=durable)
    return server, server.create_database("bench")


def start_broker() -> Any:
    from conftest import free_port
    from newswire.kafka.local_broker import LocalBroker

    broker = LocalBroker(
        home=Path.home() / ".cache" / "newswire" / "kafka",
        port=free_port(),
        controller_port=free_port(),
        heap="512m",
        state=Path(tempfile.mkdtemp(prefix="bench-kafka-")),
    )
    broker.start()
    return broker


def dev_gold_texts() -> list[str]:
    path = ROOT.parent / "shared" / "dev-gold" / "leader_meetings.jsonl"
    if not path.exists():
        sys.exit(f"--text dev-gold needs {path}")
    return [json.loads(line)["text"] for line in path.read_text().splitlines() if line.strip()]


def enriched_articles() -> list[EnrichedArticle]:
    """The dev-gold texts through the real enrich stage, once (slow: loads the spaCy model)."""
    from newswire.enrich.pipeline import Enricher
    from newswire.gold import raw_article
    from newswire.settings import Settings

    path = ROOT.parent / "shared" / "dev-gold" / "leader_meetings.jsonl"
    if not path.exists():
        sys.exit(f"--text enriched needs {path}")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    print(f"enriching the {len(records)} dev-gold texts ...", file=sys.stderr)
    with contextlib.redirect_stdout(sys.stderr):  # stdout carries only the result
        enricher = Enricher.from_settings(Settings())
        return enricher.enrich([raw_article(r) for r in records])


def enriched_copy(i: int, base: list[EnrichedArticle]) -> EnrichedArticle:
    """Enriched article i % len(base) as a new story: own url, article id, publication time and event
    ids (with the evidence pointing at the copy); text, entities and search vector unchanged."""
    src = base[i % len(base)]
    a = src.article
    url = f"https://bench.test/{i}"
    published = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=7 * i)
    raw = a.model_copy(
        update={
            "id": article_id_for(url=url, source=a.source, title=a.title, body=a.body),
            "url": url,
            "published_at": published,
        }
    )
    moved = {"article_id": raw.id, "url": url, "published_at": published}
    events = [
        ev.model_copy(
            update={
                "id": f"{ev.id}~{i // len(base)}",
                "evidence": [e.model_copy(update=moved) if e.article_id == a.id else e for e in ev.evidence],
            }
        )
        for ev in src.events
    ]
    return src.model_copy(update={"article": raw, "events": events})


def _cpu_of(pid: int, *, with_reaped_children: bool = False) -> float:
    """utime + stime of a live process (plus its exited children's), in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])
    if with_reaped_children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / os.sysconf("SC_CLK_TCK")


def cpu_seconds(root: int | None) -> float | None:
    """CPU of a server: its main process, its live children and the children it has reaped
    (PostgreSQL's autovacuum workers come and go)."""
    if root is None:
        return None
    total = _cpu_of(root, with_reaped_children=True)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == root:
                total += _cpu_of(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return total


def cpu_ticks() -> tuple[int, int]:
    """(stolen, all) CPU ticks of the whole machine: a VM whose host is busy runs slower."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return fields[7] if len(fields) > 7 else 0, sum(fields[:8])


def settle(limit: float) -> float:
    """Flush what an earlier run left to write back, then wait (up to `limit` s) for a quiet machine."""
    started = time.perf_counter()
    os.sync()
    while os.getloadavg()[0] >= 1.0 and time.perf_counter() - started < limit:
        time.sleep(1)
    return round(time.perf_counter() - started, 1)


def self_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


# --------------------------------------------------------------------------- write


async def bench_write(
    args: argparse.Namespace,
    db_url: str,
    bootstrap: str,
    pg_pid: int | None,
    broker_pid: int | None,
    enriched: list[EnrichedArticle] | None = None,
) -> dict[str, Any]:
    from aiokafka import AIOKafkaProducer
    from aiokafka.admin import AIOKafkaAdminClient
    from sqlalchemy import text

    from newswire.kafka import Topics, encode, ensure_topics
    from newswire.settings import Settings
    from newswire.store.app import run_store
    from newswire.store.db import connect
    from newswire.store.repository import count_rows

    s = Settings(
        kafka_bootstrap=bootstrap,
        topic_prefix=f"bench{uuid.uuid4().hex[:6]}",
        topic_partitions=3,
        database_url=db_url,
        store_batch_size=args.batch,
        store_batch_seconds=0.5,
        store_write_lanes=args.lanes,
        log_level="WARNING",
    )
    await ensure_topics(s)
    t = Topics.from_settings(s)
    rng = random.Random(7)
    payload_stats: dict[str, Any] = {"mentions_per_article": args.mentions}
    if enriched is not None:  # --text enriched: what the enrich stage made of the dev-gold texts
        copies = [enriched_copy(i, enriched) for i in range(args.articles)]
        payloads = [encode(m) for m in copies]
        # Distinct as the store counts them (newswire.store.records.entity_id_for).
        distinct = [len({e.kb_id or f"name:{e.canonical or e.text}" for e in m.entities}) for m in copies]
        payload_stats = {
            "mentions_per_article": round(statistics.mean(len(m.entities) for m in copies), 1),
            "distinct_entities_per_article": round(statistics.mean(distinct), 1),
            "events_per_article": round(statistics.mean(len(m.events) for m in copies), 2),
            "enriched_texts": len(enriched),
        }
        del copies
    else:
        texts = dev_gold_texts() if args.text == "dev-gold" else None
        payloads = [
            encode(
                article(
                    i,
                    n_events=args.articles // 2,
                    body_repeat=args.body_repeat,
                    rng=rng,
                    texts=texts,
                    mentions=args.mentions,
                )
            )
            for i in range(args.articles)
        ]
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=20, max_batch_size=1 << 20)
    await producer.start()
    try:
        for p in payloads:
            await producer.send(t.enriched, p)
        await producer.flush()
    finally:
        await producer.stop()

    group = f"{s.topic_prefix}-store"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()

    async def committed() -> int:
        try:
            offs = await admin.list_consumer_group_offsets(group)
        except Exception:  # coordinator not ready yet
            return 0
        return sum(m.offset for tp, m in offs.items() if tp.topic == t.enriched and m.offset > 0)

    from newswire.bootstrap import tune_gc

    tune_gc()  # as `newswire run store` does
    stop = asyncio.Event()
    started = time.perf_counter()
    task = asyncio.create_task(run_store(s, stop=stop))
    first_row_at = None
    stored_at_start = 0
    cpu_start: tuple[float, float | None, float | None] = (0.0, None, None)
    engine = connect(db_url)
    while (done := await committed()) < args.articles:
        if task.done():
            task.result()
        if first_row_at is None:
            try:
                stored_at_start = (await count_rows(engine))["articles"]
            except Exception:  # schema not created yet
                pass
            if stored_at_start:  # the rate counts only what is stored from here on
                first_row_at = time.perf_counter()
                cpu_start = (self_cpu(), cpu_seconds(pg_pid), cpu_seconds(broker_pid))
        await asyncio.sleep(0.1)
    finished = time.perf_counter()
    cpu_end = (self_cpu(), cpu_seconds(pg_pid), cpu_seconds(broker_pid))
    stop.set()
    await task
    counts = await count_rows(engine)
    async with engine.connect() as conn:  # what the stored articles cost on disk, indexes included
        sql = "SELECT pg_total_relation_size('articles'), pg_database_size(current_database())"
        articles_bytes, database_bytes = (await conn.execute(text(sql))).one()
    await engine.dispose()
    await admin.close()
    start = first_row_at or started
    measured = args.articles - stored_at_start

    def per_article(i: int) -> float | None:
        a, b = cpu_start[i], cpu_end[i]
        return None if a is None or b is None else round((b - a) / measured * 1e6, 1)

    return {
        "benchmark": "store_write",
        "database": "postgresql",
        "articles": args.articles,
        "committed": done,
        "batch_size": args.batch,
        "avg_payload_bytes": int(statistics.mean(len(p) for p in payloads)),
        "seconds_total_incl_startup": round(finished - started, 2),
        "text": args.text,
        "write_lanes": args.lanes,
        **payload_stats,
        "postgresql_durable": args.durable,
        "seconds_steady": round(finished - start, 2),
        "articles_per_s": round(measured / (finished - start), 1),
        "target_articles_per_s": 2000,
        # Where the time goes: 2 cores give 2,000,000 CPU-µs a second to share among all three.
        "cpu_us_per_article": {
            "store_worker": per_article(0),
            "postgresql": per_article(1),
            "kafka_broker": per_article(2),
        },
        "rows": counts,
        "bytes_per_article": {
            "articles_table": round(articles_bytes / args.articles),
            "database": round(database_bytes / args.articles),
        },
    }


# --------------------------------------------------------------------------- query


async def bench_query(args: argparse.Namespace, db_url: str) -> dict[str, Any]:
    import httpx

    from newswire.settings import Settings
    from newswire.store.api import create_app
    from newswire.store.db import connect, migrate
    from newswire.store.records import rows_for
    from newswire.store.repository import count_rows, write

    engine = connect(db_url)
    await migrate(engine)
    rng = random.Random(11)
    t0 = time.perf_counter()
    # Build the next chunk while the previous one is written (repository.write: COPY on PostgreSQL).
    writing: asyncio.Task[None] | None = None
    for start in range(0, args.articles, 2_000):
        chunk = [
            article(i, n_events=args.events, body_repeat=1, rng=rng)
            for i in range(start, min(start + 2_000, args.articles))
        ]
        rows = rows_for(chunk)
        if writing is not None:
            await writing
        writing = asyncio.create_task(write(engine, rows))
    if writing is not None:
        await writing
    load_s = time.perf_counter() - t0
    async with engine.begin() as conn:
        from sqlalchemy import text

        await conn.execute(text("ANALYZE"))
    counts = await count_rows(engine)

    app = create_app(Settings(database_url=db_url, log_level="WARNING"), engine=engine)
    timings: dict[str, list[float]] = {}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            queries: dict[str, tuple[str, dict[str, Any]]] = {
                "participant_name": ("/events", {"participant": "Xi Jinping"}),
                "participant_id_since": ("/events", {"participant": "Q15031", "since": "2024-06-01"}),
                "participant_rare_leader": ("/events", {"participant": "Leader Number42"}),
                # Not targets, but what a desk asks next: articles naming someone (~3 % of them),
                # naming what every article names, naming two at once, and an entity's page.
                "articles_entity": ("/articles", {"entity": "Q15031"}),
                "articles_entity_everywhere": ("/articles", {"entity": "Officials"}),
                "articles_two_entities": ("/articles", {"entity": ["Xi Jinping", "City7"]}),
                "entity_page": ("/entities/Q15031", {}),
                "entity_page_everywhere": ("/entities/Officials", {}),
            }
            for name, (path, params) in queries.items():
                for _ in range(10):  # warm-up
                    (await client.get(path, params=params)).raise_for_status()
                samples = []
                for _ in range(args.requests):
                    t = time.perf_counter()
                    r = await client.get(path, params=params)
                    samples.append((time.perf_counter() - t) * 1000)
                    r.raise_for_status()
                timings[name] = samples
    await engine.dispose()

    def pct(xs: list[float], p: float) -> float:
        return round(statistics.quantiles(xs, n=100)[int(p) - 1], 2)

    return {
        "benchmark": "events_by_participant",
        "database": "postgresql",
        "rows": counts,
        "load_seconds": round(load_s, 1),
        "requests_per_query": args.requests,
        "latency_ms": {
            k: {"p50": pct(v, 50), "p95": pct(v, 95), "p99": pct(v, 99)} for k, v in timings.items()
        },
        "target_p95_ms": 50,  # for the /events ones
    }


def _stolen_pct(start: tuple[int, int], end: tuple[int, int]) -> float:
    return round(100 * (end[0] - start[0]) / max(1, end[1] - start[1]), 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["write", "query"])
    ap.add_argument("--articles", type=int, default=None)
    ap.add_argument("--events", type=int, default=50_000)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--body-repeat", type=int, default=12, help="Body size: ~180 bytes x this.")
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--database-url", default=None)
    ap.add_argument("--bootstrap", default=None)
    ap.add_argument(
        "--text",
        choices=["synthetic", "dev-gold", "enriched"],
        default="synthetic",
        help="enriched (recommended): the dev-gold texts as the real enrich stage outputs them",
    )
    ap.add_argument(
        "--mentions",
        type=int,
        default=15,
        help="synthetic entity mentions per article (the enrich stage gives dev-gold articles ~31, over "
        "~19 entities); ignored with --text enriched, which has the enrich stage's own",
    )
    ap.add_argument("--lanes", type=int, default=None, help="store_write_lanes (default: the setting's)")
    ap.add_argument(
        "--settle",
        type=float,
        default=30.0,
        help="before starting, flush dirty pages and wait up to this many seconds for the 1-minute "
        "load to fall below 1: a run started on the heels of another measured up to 20 %% slower",
    )
    ap.add_argument(
        "--durable",
        action="store_true",
        help="PostgreSQL with fsync, synchronous_commit and full_page_writes on (production settings); "
        "without it the server runs with the test suite's speed settings",
    )
    args = ap.parse_args()
    if args.lanes is None:
        from newswire.settings import Settings

        args.lanes = Settings.model_fields["store_write_lanes"].default
    args.articles = args.articles or (20_000 if args.what == "write" else 100_000)
    # Enrich before anything starts or is measured (the model load and the pipeline take seconds).
    settled_s = settle(args.settle)  # before the enrich step, whose own CPU is no one's write-back
    enriched = enriched_articles() if args.what == "write" and args.text == "enriched" else None

    load_at_start = os.getloadavg()[0]  # the machine may be shared: report how busy it was
    steal_at_start = cpu_ticks()
    pg, db_url = (None, args.database_url) if args.database_url else start_pg(durable=args.durable)
    broker = None
    try:
        if args.what == "write":
            if args.bootstrap is None:
                broker = start_broker()
            pg_pid = int((pg.data / "postmaster.pid").read_text().split()[0]) if pg else None
            result = asyncio.run(
                bench_write(
                    args,
                    db_url,
                    args.bootstrap or broker.bootstrap,
                    pg_pid,
                    broker.pid() if broker else None,
                    enriched,
                )
            )
        else:
            result = asyncio.run(bench_query(args, db_url))
        result["machine"] = {
            "cpus": os.cpu_count(),
            "date": date.today().isoformat(),
            "settled_s": settled_s,
            "load_avg_1m_start": load_at_start,
            "cpu_stolen_by_host_pct": _stolen_pct(steal_at_start, cpu_ticks()),
            "load_avg_1m_end": os.getloadavg()[0],
        }
        print(json.dumps(result, indent=2))
    finally:
        if broker is not None:
            broker.stop()
        if pg is not None:
            pg.stop()
            pg.cleanup()


if __name__ == "__main__":
    main()
