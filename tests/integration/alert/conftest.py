"""Real receivers for the alert worker: an aiohttp webhook server and an aiosmtpd SMTP server on
free ports, plus the worker itself as a subprocess (`newswire run alert`) and Kafka helpers."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import types
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiohttp import web
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiosmtpd.controller import Controller

from newswire.contracts import Alert, DeadLetter, Event
from newswire.kafka import Topics, encode
from newswire.settings import Settings


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


SECRET = "s3cret-for-tests"


@dataclass
class Hook:
    """Records every POST; answers with the next status from `script[path]` (then 200)."""

    port: int
    requests: list[tuple[str, dict[str, str], bytes, float]] = field(default_factory=list)
    script: dict[str, list[int]] = field(default_factory=dict)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def bodies(self, path: str) -> list[dict[str, Any]]:
        return [json.loads(b) for p, _, b, _ in self.requests if p == path]


@pytest.fixture
async def hook() -> AsyncIterator[Hook]:
    h = Hook(port=free_port())

    async def handle(request: web.Request) -> web.Response:
        body = await request.read()
        h.requests.append((request.path, dict(request.headers), body, asyncio.get_running_loop().time()))
        h.arrived.set()
        queue = h.script.get(request.path) or []
        status = queue.pop(0) if queue else 200
        return web.Response(status=status, text="ok")

    app = web.Application()
    app.router.add_post("/{tail:.*}", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", h.port).start()
    try:
        yield h
    finally:
        await runner.cleanup()


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Controller, _Inbox]]:
    inbox = _Inbox()
    ctl = Controller(inbox, hostname="127.0.0.1", port=free_port())
    ctl.start()
    try:
        yield ctl, inbox
    finally:
        ctl.stop()


class Worker:
    def __init__(self, settings: Settings, rules: Path | None, log: Path, env: dict[str, str]) -> None:
        self.settings, self.rules, self.log, self.extra = settings, rules, log, env
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        s = self.settings
        env = {
            **os.environ,
            "NEWSWIRE_KAFKA_BOOTSTRAP": s.kafka_bootstrap,
            "NEWSWIRE_TOPIC_PREFIX": s.topic_prefix,
            "NEWSWIRE_TOPIC_PARTITIONS": str(s.topic_partitions),
            "NEWSWIRE_DATA_DIR": str(s.data_dir),
            "NEWSWIRE_ALERT_HTTP_PORT": str(s.alert_http_port),
            "NEWSWIRE_LOG_FORMAT": "json",
            **({"NEWSWIRE_RULES_FILE": str(self.rules)} if self.rules else {}),
            **self.extra,
        }
        out = open(self.log, "ab")  # closed with the process
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "newswire", "run", "alert"], env=env, stdout=out, stderr=subprocess.STDOUT
        )

    async def wait_http(self, timeout: float = 60.0) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        async with httpx.AsyncClient() as c:
            while True:
                assert self.proc is not None and self.proc.poll() is None, self.log.read_text()[-3000:]
                try:
                    if (await c.get(self.api("/silences"))).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                assert asyncio.get_running_loop().time() < deadline, self.log.read_text()[-3000:]
                await asyncio.sleep(0.3)

    def api(self, path: str) -> str:
        return f"http://127.0.0.1:{self.settings.alert_http_port}{path}"

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


@pytest.fixture
def alert_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"alert_http_port": free_port()})


@pytest.fixture
def worker_factory(alert_settings: Settings, tmp_path: Path) -> Iterator[Any]:
    workers: list[Worker] = []

    def make(rules: Path | None, env: dict[str, str] | None = None) -> Worker:
        w = Worker(alert_settings, rules, tmp_path / "worker.log", env or {})
        workers.append(w)
        return w

    yield make
    for w in workers:
        w.stop()


async def produce_events(settings: Settings, events: list[Event | bytes]) -> None:
    topic = Topics.from_settings(settings).events
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")
    await producer.start()
    try:
        for ev in events:
            if isinstance(ev, bytes):
                await producer.send_and_wait(topic, ev, key=b"bad")
            else:
                await producer.send_and_wait(topic, encode(ev), key=ev.id.encode())
    finally:
        await producer.stop()


async def read_topic(settings: Settings, topic: str, *, settle: float = 1.0) -> list[bytes]:
    """Everything on `topic` now (all partitions, no group): read until `settle` s bring nothing."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap, group_id=None, enable_auto_commit=False
    )
    await consumer.start()
    out: list[bytes] = []
    try:
        tps = [TopicPartition(topic, p) for p in range(settings.topic_partitions)]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        quiet_since = time.monotonic()
        while time.monotonic() - quiet_since < settle:
            for recs in (await consumer.getmany(timeout_ms=200)).values():
                out += [r.value for r in recs if r.value is not None]
                quiet_since = time.monotonic()
    finally:
        await consumer.stop()
    return out


async def alerts_on_topic(settings: Settings) -> list[Alert]:
    return [
        Alert.model_validate_json(v)
        for v in await read_topic(settings, Topics.from_settings(settings).alerts)
    ]


async def dead_letters(settings: Settings) -> list[DeadLetter]:
    raw = await read_topic(settings, Topics.from_settings(settings).deadletter)
    return [DeadLetter.model_validate_json(v) for v in raw]


async def wait_for(predicate: Any, timeout: float = 60.0, every: float = 0.3) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await predicate()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {predicate.__name__}")
        await asyncio.sleep(every)


@pytest.fixture
def kit() -> types.SimpleNamespace:
    """The helpers above, for test modules (conftest modules are not importable by name)."""
    return types.SimpleNamespace(
        produce_events=produce_events,
        read_topic=read_topic,
        alerts=alerts_on_topic,
        dead_letters=dead_letters,
        wait_for=wait_for,
        free_port=free_port,
        secret=SECRET,
    )


def make_event(
    event_id: str = "ev-xi-putin-1",
    *,
    article: str = "a-1",
    outlet: str = "AP",
    status: str = "occurred",
    type_: str = "MEET",
    names: tuple[str, ...] = ("Xi Jinping", "Vladimir Putin"),
    location: str | None = "Beijing",
) -> Event:
    return Event.model_validate(
        {
            "id": event_id,
            "type": type_,
            "status": status,
            "participants": [{"id": f"name:{n}", "name": n} for n in names],
            "location": {"name": location, "country": "CN"} if location else None,
            "date": "2024-05-16",
            "evidence": [
                {
                    "article_id": article,
                    "sentence": f"{names[0]} met {names[1]} in Beijing on Thursday.",
                    "start": 0,
                    "end": 40,
                    "url": f"https://{outlet.lower()}.example/{article}",
                    "title": f"{outlet}: leaders meet",
                    "source": outlet,
                }
            ],
            "confidence": 0.9,
        }
    )


@pytest.fixture
def event_factory() -> Any:
    return make_event
