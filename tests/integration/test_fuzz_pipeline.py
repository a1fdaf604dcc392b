"""10,000 generated bad raw records interleaved with good and hostile ones, through the real
enrich and store workers (separate processes) on the real broker: every bad record reaches the
dead-letter topic with its reason and its exact bytes, every good one reaches the store, and no
worker crashes or stalls (an article produced after all of them is still stored).

FUZZ_BAD_RECORDS=100000 runs a larger count (default 10,000: about a minute here)."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import random
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from fuzz_records import Record, bad_record, good_article, hostile_article, numbered
from kafka_helpers import read_topic, wait_until
from newswire.contracts import DeadLetter, RawArticle
from newswire.kafka import Topics, decode, ensure_topics
from newswire.kafka.clients import producer
from newswire.processes import ServiceGroup
from newswire.settings import Settings
from newswire.store.db import connect

pytestmark = pytest.mark.integration
N_BAD = int(os.environ.get("FUZZ_BAD_RECORDS", "10000"))
N_GOOD, N_HOSTILE = 40, 15


def _generate(strategy: st.SearchStrategy[list[Record]], n: int) -> list[Record]:
    """`n` records with distinct values, drawn by hypothesis in rounds of examples."""
    out: dict[bytes, Record] = {}

    @settings(max_examples=max(1, n // 100), deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(strategy)
    def collect(batch: list[Record]) -> None:
        for rec in batch:
            rec = numbered(rec, len(out))
            out.setdefault(rec.value, rec)

    while len(out) < n:
        collect()
    return list(out.values())[:n]


def _corpus() -> list[Record]:
    bad = _generate(st.lists(bad_record, min_size=100, max_size=100), N_BAD)

    drawn: list[tuple[tuple[dict[str, object], ...], ...]] = []

    @settings(max_examples=1, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(
        st.tuples(
            st.tuples(*(good_article(i) for i in range(N_GOOD))),
            st.tuples(*(hostile_article(i) for i in range(N_HOSTILE))),
        )
    )
    def draw(articles: tuple[tuple[dict[str, object], ...], ...]) -> None:
        drawn.append(articles)

    draw()
    good, hostile = drawn[0]
    goods = [
        Record(kind, json.dumps(a).encode(), None, a)
        for kind, arts in (("good", good), ("hostile", hostile))
        for a in arts
    ]
    records = bad + goods
    random.Random(14).shuffle(records)
    return records


async def _stored_ids(settings: Settings) -> set[str]:
    engine = connect(settings.database_url)
    try:
        async with engine.connect() as conn:
            return {r[0] for r in await conn.execute(text("SELECT id FROM articles"))}
    except Exception:
        return set()  # the store has not created its tables yet
    finally:
        await engine.dispose()


async def test_bad_records_are_dead_lettered_good_ones_stored(settings: Settings, tmp_path: Path) -> None:
    started = time.monotonic()
    records = _corpus()
    kinds = Counter(r.kind for r in records)
    assert sum(1 for r in records if r.expect) == N_BAD and len(kinds) >= 12, kinds
    topics = Topics.from_settings(settings)
    await ensure_topics(settings)
    group = ServiceGroup(settings, log_dir=tmp_path / "logs")
    group.start("enrich", "store")
    p = producer(settings, acks="all", linger_ms=20, max_batch_size=1 << 20, max_request_size=1 << 20)
    await p.start()
    try:
        sent = [await p.send(topics.raw, r.value, key=f"k{i}".encode()) for i, r in enumerate(records)]
        where = [(m.partition, m.offset) for m in await asyncio.gather(*sent)]
        produced = time.monotonic()
        bad = {w: r for w, r in zip(where, records, strict=True) if r.expect}
        good = {RawArticle.model_validate(r.article).id for r in records if r.article}

        dead = await read_topic(settings, topics.deadletter, until=lambda got: len(got) >= N_BAD, timeout=120)
        letters = {(d.partition, d.offset): d for d in (decode(DeadLetter, x.value) for x in dead)}
        dead_lettered = time.monotonic()
        missing = [(w, r.kind) for w, r in bad.items() if w not in letters]
        assert not missing, (len(missing), missing[:5], group.log_tail("enrich"))
        for w, rec in bad.items():
            letter = letters[w]
            assert letter.topic == topics.raw and letter.service == "enrich"
            assert base64.b64decode(letter.payload) == rec.value, rec.kind
            assert letter.error.startswith(rec.expect or "?"), (rec.kind, letter.error)
        not_bad = [(w, d.error) for w, d in letters.items() if w not in bad]
        assert not_bad == [], "a valid article was dead-lettered"

        async def all_stored() -> bool:
            return good <= await _stored_ids(settings)

        await wait_until(all_stored, timeout=120, interval=1)
        lost = good - await _stored_ids(settings)
        assert not lost, (len(lost), group.log_tail("enrich"), group.log_tail("store"))

        # Not stalled: one more article, produced after everything, goes through.
        last = {"title": "Sentinel", "body": "The last article.", "published_at": "2024-05-16T09:00:00Z"}
        await p.send_and_wait(topics.raw, json.dumps(last).encode(), key=b"sentinel")
        sentinel = RawArticle.model_validate(last).id

        async def sentinel_stored() -> bool:
            return sentinel in await _stored_ids(settings)

        await wait_until(sentinel_stored, timeout=60)
        assert sentinel in await _stored_ids(settings), group.log_tail("enrich")
        assert group.dead() == {}, {n: group.log_tail(n) for n in group.dead()}
    finally:
        await p.stop()
        group.stop()
    print(
        f"\nfuzz: {N_BAD} bad ({dict(kinds)}) + {N_GOOD} good + {N_HOSTILE} hostile; "
        f"produced in {produced - started:.1f}s, dead-lettered after {dead_lettered - produced:.1f}s, "
        f"total {time.monotonic() - started:.1f}s"
    )
