"""Chaos run: N distinct articles through the four services (separate processes, real broker and
database) while workers are killed and restarted, the broker and PostgreSQL restarted, and a second
enrich and alert worker join and leave their groups. Prints one JSON object.

    .venv/bin/python benchmarks/chaos.py --articles 300 --json              # PostgreSQL
    .venv/bin/python benchmarks/chaos.py --articles 300 --json --db sqlite

Fields: produced (articles ingest took), stored (of those, in the store), lost, duplicate_rows (rows
beyond one per primary key, every table), events, alerts (rows), alert_notices (distinct
Idempotency-Keys the webhook received), duplicate_alert_notices (notices received again under a key
already seen: redeliveries the key lets the receiver drop), deadletters, and per fault its
recovery_s: from the fault's end (worker restarted, broker or database accepting connections) until
an article handed to ingest after the fault began is stored.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from chaos_rig import Fault, Rig, articles

FAULTS = ("enrich", "store", "alert", "ingest", "scale", "broker", "postgres")


def schedule(rig: Rig, args: argparse.Namespace) -> list[Callable[[], Fault]]:
    chosen = set(args.faults.split(","))
    faults: list[Callable[[], Fault]] = [
        functools.partial(rig.kill_restart, w) for w in ("enrich", "store", "alert", "ingest") if w in chosen
    ]
    if "scale" in chosen:
        faults += [
            lambda: rig.join("enrich-2", "enrich"),
            lambda: rig.join("alert-2", "alert"),
            lambda: rig.leave("enrich-2"),
            lambda: rig.leave("alert-2"),
        ]
    if "broker" in chosen:
        faults.append(lambda: rig.broker_outage(args.outage))
    if "postgres" in chosen and rig.pg is not None:
        faults.append(rig.database_restart)
    return faults


async def run(args: argparse.Namespace) -> dict[str, Any]:
    began = time.monotonic()
    rig = Rig.open(db=args.db)
    try:
        await rig.start()
        items = articles(args.articles)
        warm = Fault("start", time.monotonic(), time.monotonic())
        await rig.feed(items[:1], args.rate)
        first = await rig.recovered(warm, timeout=180)  # the first article stored: everyone is up
        feeder = asyncio.create_task(rig.feed(items[1:], args.rate))
        skipped = []
        for apply in schedule(rig, args):
            if feeder.done():  # nothing flows any more to measure a recovery by
                skipped.append(apply)
                continue
            await asyncio.sleep(args.gap)
            since = rig.log_sizes()
            fault = await asyncio.to_thread(apply)
            await rig.recovered(fault, timeout=args.fault_timeout)
            if "broker" in fault.name:
                await asyncio.sleep(2)  # the lines of clients settling after the outage count too
                fault.log_lines = rig.warning_lines(since)
        await feeder
        drained = await rig.drain(timeout=args.drain_timeout)
        report = await rig.report()
        wall = round(time.monotonic() - began, 1)
        report.update(
            {"db": args.db, "rate": args.rate, "drained": drained, "first_stored_s": first,
             "faults_skipped": len(skipped), "wall_s": wall}
        )  # fmt: skip
        return report
    finally:
        await rig.aclose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--rate", type=float, default=10.0, help="articles/s handed to ingest")
    ap.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    ap.add_argument("--outage", type=float, default=5.0, help="seconds the broker stays down")
    ap.add_argument("--fault-timeout", type=float, default=30.0, help="longest wait for a recovery (s)")
    ap.add_argument("--drain-timeout", type=float, default=60.0)
    ap.add_argument("--faults", default=",".join(FAULTS), help=f"comma-separated, of {','.join(FAULTS)}")
    ap.add_argument("--gap", type=float, default=1.0, help="seconds between a recovery and the next fault")
    ap.add_argument("--json", action="store_true", help="one line of JSON (default: indented)")
    ap.add_argument(
        "--children-path", help="run the services from this source tree (PYTHONPATH), e.g. an older checkout"
    )
    args = ap.parse_args()
    if args.children_path:
        os.environ["PYTHONPATH"] = args.children_path  # children only: this process imported newswire already
    report = asyncio.run(run(args))
    print(json.dumps(report) if args.json else json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
