"""Scale-out of enrich on Kafka's own machinery: the same articles through 1 and then 2 enrich
workers (processes) in one consumer group over a 4-partition raw topic, real broker. Prints one JSON
object with articles/s of each and their ratio.

    .venv/bin/python benchmarks/scale_bench.py --articles 600

Each phase has its own topics. The workers start, load their model and take a warm-up batch
first; the clock runs from producing the articles to the last of them on the enriched topic.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from chaos_rig import Rig, articles
from kafka_helpers import end_offsets, produce
from newswire.contracts import RawArticle
from newswire.kafka import Topics, encode, encode_key, ensure_topics


async def _enriched(rig: Rig, prefix: str) -> int:
    topic = Topics.from_settings(rig.settings.model_copy(update={"topic_prefix": prefix})).enriched
    return sum((await end_offsets(rig.settings.kafka_bootstrap, topic)).values())


async def _until(rig: Rig, prefix: str, n: int, timeout: float) -> float | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await _enriched(rig, prefix) >= n:
            return time.monotonic()
        await asyncio.sleep(0.2)
    return None


async def phase(rig: Rig, workers: int, items: list[RawArticle], warm: list[RawArticle]) -> float | None:
    prefix = f"scale{workers}"
    settings = rig.settings.model_copy(update={"topic_prefix": prefix})
    await ensure_topics(settings)
    raw = Topics.from_settings(settings).raw
    labels = [f"enrich-{workers}-{i}" for i in range(workers)]
    for label in labels:
        own = settings.model_copy(update={"data_dir": rig.root / "state" / label})
        rig.group.start_as(label, "enrich", own)
    try:
        await produce(rig.settings.kafka_bootstrap, raw, [(encode_key(a.id), encode(a)) for a in warm])
        if await _until(rig, prefix, len(warm), timeout=240) is None:
            return None
        await asyncio.sleep(2)  # every worker has had its share of the warm-up
        started = time.monotonic()
        await produce(rig.settings.kafka_bootstrap, raw, [(encode_key(a.id), encode(a)) for a in items])
        done = await _until(rig, prefix, len(warm) + len(items), timeout=600)
        return None if done is None else len(items) / (done - started)
    finally:
        for label in labels:
            rig.group.kill(label, 15)


async def run(args: argparse.Namespace) -> dict[str, Any]:
    rig = Rig.open(db="sqlite", partitions=4)
    try:
        pool = articles(args.articles + 32)
        warm, items = pool[: 16], pool[16 : 16 + args.articles]
        one = await phase(rig, 1, items, warm)
        two = await phase(rig, 2, items, pool[16 + args.articles :])
        return {
            "articles": args.articles,
            "partitions": 4,
            "one_worker_articles_per_s": round(one, 2) if one else None,
            "two_workers_articles_per_s": round(two, 2) if two else None,
            "ratio": round(two / one, 2) if one and two else None,
        }
    finally:
        await rig.aclose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=600)
    args = ap.parse_args()
    print(json.dumps(asyncio.run(run(args))))


if __name__ == "__main__":
    main()
