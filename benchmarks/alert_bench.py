"""Event on the events topic -> webhook received: latency at a fixed rate. Prints one JSON object.

    .venv/bin/python benchmarks/alert_bench.py --rate 50 --seconds 20

Starts a throwaway local Kafka broker on free ports (or uses --bootstrap), a real aiohttp webhook
server, and `newswire run alert` as a child process with a rule that fires for every event
(each event has its own id, so each one is a new alert). Latency = webhook arrival - produce time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from aiohttp import web
from aiokafka import AIOKafkaProducer

from newswire.contracts import Event
from newswire.kafka import Topics, encode
from newswire.kafka.local_broker import LocalBroker
from newswire.processes import env_for
from newswire.settings import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def event(i: int) -> Event:
    return Event.model_validate(
        {
            "id": f"bench-{i}",
            "type": "MEET",
            "status": "occurred",
            "confidence": 0.9,
            "participants": [
                {"id": "Q15031", "name": "Xi Jinping"},
                {"id": "Q7747", "name": "Vladimir Putin"},
            ],
            "location": {"name": "Beijing", "country": "CN"},
            "evidence": [
                {"article_id": f"a-{i}", "sentence": "Xi met Putin.", "start": 0, "end": 13, "source": "AP"}
            ],
        }
    )


RULES = """
receivers: [{{name: hook, webhook: {{url: "http://127.0.0.1:{port}/hook"}}}}]
rules:
  - name: bench
    match: {{types: [MEET], status: [occurred]}}
    participants: {{at_least: 2, of: ["Xi Jinping", "Vladimir Putin"]}}
    receivers: [hook]
"""


def pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))] if s else float("nan")


async def bench(args: argparse.Namespace, bootstrap: str, work: Path) -> dict[str, object]:
    settings = Settings(
        kafka_bootstrap=bootstrap,
        topic_prefix=f"bench{uuid.uuid4().hex[:6]}",
        topic_partitions=args.partitions,
        data_dir=work / "state",
        alert_http_port=free_port(),
    )
    arrived: dict[str, float] = {}
    got_all = asyncio.Event()
    total = int(args.rate * args.seconds)

    async def hook(request: web.Request) -> web.Response:
        body = await request.json()
        arrived.setdefault(body["event_id"], time.perf_counter())
        if len(arrived) >= total:
            got_all.set()
        return web.Response(text="ok")

    hook_port = free_port()
    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", hook_port).start()
    rules = work / "rules.yaml"
    rules.write_text(RULES.format(port=hook_port))
    env = env_for(settings.model_copy(update={"rules_file": rules, "log_level": "WARNING"}))
    log = open(work / "worker.log", "wb")
    cmd = [sys.executable, "-m", "newswire", "run", "alert"]
    worker = subprocess.Popen(cmd, env=env, stdout=log, stderr=log)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=0)
    await producer.start()
    topic = Topics.from_settings(settings).events
    sent: dict[str, float] = {}
    try:
        # warm-up: wait until the worker answers one event end to end
        started = time.perf_counter()
        await producer.send_and_wait(topic, encode(event(-1)), key=b"bench--1")
        while "bench--1" not in arrived:
            if worker.poll() is not None or time.perf_counter() - started > 120:
                raise SystemExit(f"worker not ready; see {work / 'worker.log'}")
            await asyncio.sleep(0.05)
        ready_s = time.perf_counter() - started
        arrived.clear()
        t0 = time.perf_counter()
        for i in range(total):
            due = t0 + i / args.rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            ev = event(i)
            sent[ev.id] = time.perf_counter()
            await producer.send(topic, encode(ev), key=ev.id.encode())
        await producer.flush()
        try:
            await asyncio.wait_for(got_all.wait(), timeout=60)
        except TimeoutError:
            pass
    finally:
        await producer.stop()
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
        await runner.cleanup()
    lat = [(arrived[k] - sent[k]) * 1000 for k in sent if k in arrived]
    return {
        "benchmark": "event on events topic -> webhook received",
        "rate_per_s": args.rate, "seconds": args.seconds, "partitions": args.partitions,
        "sent": len(sent), "received": len(lat), "first_alert_after_start_s": round(ready_s, 2),
        "latency_ms": {"p50": round(pct(lat, 50), 1), "p95": round(pct(lat, 95), 1),
                       "p99": round(pct(lat, 99), 1), "max": round(max(lat, default=float("nan")), 1)},
    }  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rate", type=float, default=50.0)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--partitions", type=int, default=3)
    ap.add_argument("--bootstrap", help="use this broker instead of starting one")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="alert-bench-") as tmp:
        work = Path(tmp)
        broker = None
        if args.bootstrap is None:
            home = Path(os.environ.get("NEWSWIRE_BROKER_HOME", Path.home() / ".cache" / "newswire" / "kafka"))
            broker = LocalBroker(home=home, port=free_port(), controller_port=free_port(), heap="512m",
                                 state=work / "kafka")  # fmt: skip
            broker.start()
        try:
            result = asyncio.run(bench(args, args.bootstrap or broker.bootstrap, work))  # type: ignore[union-attr]
        finally:
            if broker is not None:
                broker.stop()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
