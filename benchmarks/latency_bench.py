"""Ingest -> alert delivered, under a steady load: articles handed to ingest (POST and dropped
files) at --rate for --seconds, through the four services as processes (real broker, SQLite or
PostgreSQL), to a webhook receiver. Prints one JSON object.

    .venv/bin/python benchmarks/latency_bench.py --rate 10 --seconds 60 --db sqlite

Latency of a notice: from the moment ingest took the first article it cites (POST answered 202,
or the file renamed into the watched directory) to the webhook receiving it. Only articles that
raise a new alert give a notice (the test texts repeat, so the later ones update nothing);
`notices` says how many were measured.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from chaos_rig import Fault, Rig, articles


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def run(args: argparse.Namespace) -> dict[str, Any]:
    rig = Rig.open(db=args.db)
    try:
        await rig.start()
        items = articles(1 + int(args.rate * args.seconds))
        warm = Fault("start", time.monotonic(), time.monotonic())
        await rig.feed(items[:1], args.rate)
        await rig.recovered(warm, timeout=180)
        await asyncio.sleep(2)
        rig.hook.received.clear()
        began = time.monotonic()
        await rig.feed(items[1:], args.rate)
        fed_s = time.monotonic() - began
        drained = await rig.drain(timeout=120)
        await asyncio.sleep(3)  # the last notices
        latencies = [
            at - min(rig.handed[i] for i in cited if i in rig.handed)
            for at, cited in rig.hook.received
            if any(i in rig.handed for i in cited)
        ]
        return {
            "db": args.db,
            "rate": args.rate,
            "seconds": args.seconds,
            "articles": len(items) - 1,
            "achieved_rate": round((len(items) - 1) / fed_s, 2),
            "drained": drained,
            "notices": len(latencies),
            "p50_s": round(percentile(latencies, 0.50), 3) if latencies else None,
            "p99_s": round(percentile(latencies, 0.99), 3) if latencies else None,
            "max_s": round(max(latencies), 3) if latencies else None,
            "mean_s": round(statistics.fmean(latencies), 3) if latencies else None,
        }
    finally:
        await rig.aclose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rate", type=float, default=10.0)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--db", choices=("postgres", "sqlite"), default="sqlite")
    args = ap.parse_args()
    print(json.dumps(asyncio.run(run(args))))


if __name__ == "__main__":
    main()
