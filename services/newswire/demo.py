"""`newswire demo`: the whole pipeline on the embedded defaults, end to end.

broker (local KRaft, started if none answers) -> ingest, enrich, alert, store (one process each)
-> replay seeds/ -> wait for the alert -> print it and where the data is -> shut down.

Each demo run uses its own topic prefix, so replaying the same seeds raises the alert again
instead of being (correctly) deduplicated against an earlier run.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.panel import Panel

from newswire.contracts import Alert
from newswire.kafka import Topics, decode, ensure_topics
from newswire.kafka.local_broker import LocalBroker
from newswire.kafka.observer import observe
from newswire.processes import ServiceGroup
from newswire.settings import Settings

__all__ = ["run_demo", "wait_for_alert"]

SERVICES = ("ingest", "enrich", "alert", "store")


def _reachable(bootstrap: str) -> bool:
    host, _, port = bootstrap.split(",")[0].rpartition(":")
    try:
        with socket.create_connection((host or "127.0.0.1", int(port)), timeout=1.0):
            return True
    except OSError:
        return False


async def wait_for_alert(settings: Settings, *, timeout: float, stop_when: int = 1) -> list[Alert]:
    """Read the alerts topic from the beginning as a pure observer (no consumer group)."""
    topic = Topics.from_settings(settings).alerts
    alerts: list[Alert] = []

    async def collect() -> None:
        async for record in observe(settings, topic):
            alerts.append(decode(Alert, record.value))
            if len(alerts) >= stop_when:
                return

    try:
        await asyncio.wait_for(collect(), timeout)
    except TimeoutError:
        pass
    return alerts


def _feed_settings(settings: Settings, url: str) -> Settings:
    """Point the ingest service's poller at `url` (polled every second)."""
    feeds = settings.data_dir / "feeds.yaml"
    feeds.parent.mkdir(parents=True, exist_ok=True)
    feeds.write_text(f"feeds:\n  - {{url: {url!r}, name: demo-feed, interval: 1}}\n", encoding="utf-8")
    return settings.model_copy(update={"feeds_file": feeds})


def run_demo(settings: Settings, *, seeds: Path, follow: bool, timeout: float, via_feed: bool = False) -> int:
    console = Console()
    run_id = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    broker: LocalBroker | None = None
    if not _reachable(settings.kafka_bootstrap):
        broker = LocalBroker(
            home=settings.broker_home, port=settings.broker_port,
            controller_port=settings.broker_controller_port, heap=settings.broker_heap,
        )  # fmt: skip
        console.print(f"[bold]broker[/]: starting Apache Kafka (KRaft) at {broker.bootstrap} ...")
        broker.start()
    settings = settings.model_copy(
        update={
            "kafka_bootstrap": broker.bootstrap if broker else settings.kafka_bootstrap,
            "topic_prefix": f"{settings.topic_prefix}-demo-{run_id}",
            "data_dir": settings.data_dir / f"demo-{run_id}",
            # The broker started here has a PLAINTEXT listener only; a configured one keeps its security.
            **({"kafka_security_protocol": "PLAINTEXT"} if broker else {}),
        }
    )
    asyncio.run(ensure_topics(settings))
    publisher = None
    if via_feed:
        from newswire.ingest.localfeed import FeedPublisher

        publisher = FeedPublisher(seeds, port=0).start()
        settings = _feed_settings(settings, publisher.url)
        console.print(f"[bold]feed[/]: {seeds} served as RSS at {publisher.url}; the ingest service polls it")
    group = ServiceGroup(settings, log_dir=settings.data_dir / "logs")
    services = (*SERVICES, "api") if follow else SERVICES  # following: the desk page too
    console.print(f"[bold]services[/]: {', '.join(services)} (logs in {group.log_dir})")
    group.start(*services)
    try:
        if publisher is None:
            fed = group.run_once("ingest", "file", str(seeds))
            if fed.returncode != 0:
                console.print(f"[red]ingest failed[/]:\n{fed.stdout}{fed.stderr}")
                return 1
            summary = fed.stdout.strip().splitlines()[-1] if fed.stdout.strip() else "done"
            console.print(f"[bold]ingest[/]: {summary}")
        alerts = asyncio.run(wait_for_alert(settings, timeout=timeout))
        if not alerts:
            for name in SERVICES:
                console.print(Panel(group.log_tail(name), title=f"{name}.log (tail)"))
            exited = group.dead() or "none"
            console.print(f"[red]no alert within {timeout:.0f}s[/]; services exited: {exited}")
            return 1
        alert = alerts[0]
        body = json.dumps(alert.model_dump(mode="json"), indent=2, ensure_ascii=False)
        console.print(Panel(body, title=alert.title))
        _print_storage(console, settings, alert)
        if follow:
            _print_desk(console, group, settings, alert)
            console.print("following; Ctrl-C to stop")
            while not group.dead():
                time.sleep(1.0)
        return 0
    except KeyboardInterrupt:
        return 130
    finally:
        codes = group.stop()
        if publisher is not None:
            publisher.stop()
        console.print(f"[bold]stopped[/]: {codes}")
        if broker is not None:
            broker.stop()
            console.print("[bold]broker[/]: stopped")


async def wait_stored(settings: Settings, alert: Alert, *, timeout: float) -> dict[str, int] | None:
    """Row counts once the store has committed the alert and its event, else None.

    Only reads: the store worker owns the schema (it may still be migrating when we start)."""
    from sqlalchemy.exc import DBAPIError

    from newswire.store.db import connect
    from newswire.store.queries import get_alert, get_event
    from newswire.store.repository import count_rows

    engine = connect(settings.database_url)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                async with engine.connect() as conn:
                    if await get_event(conn, alert.event_id) and await get_alert(conn, alert.id):
                        return await count_rows(engine)
            except DBAPIError:  # no schema yet
                pass
            await asyncio.sleep(0.5)
        return None
    finally:
        await engine.dispose()


def _print_desk(console: Console, group: ServiceGroup, settings: Settings, alert: Alert) -> None:
    """The desk page's URL, once the API answers with the alert on the page."""
    import httpx

    url = f"http://{settings.api_host}:{settings.api_port}/"
    headers = {"X-API-Key": settings.api_key.get_secret_value()} if settings.api_key else {}
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and "api" not in group.dead():
        try:
            if f'data-alert-id="{alert.id}"' in httpx.get(url, headers=headers, timeout=2).text:
                key = " (it asks for NEWSWIRE_API_KEY once)" if settings.api_key else ""
                console.print(f"[bold]desk[/]: open {url} in a browser: the alert is on it, live{key}")
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    console.print(Panel(group.log_tail("api"), title="api.log (tail)"))
    console.print(f"[red]the desk page at {url} does not show the alert[/] (port taken? NEWSWIRE_API_PORT)")


def _print_storage(console: Console, settings: Settings, alert: Alert) -> None:
    counts = asyncio.run(wait_stored(settings, alert, timeout=30))
    if counts is None:
        console.print(f"[red]the store has not committed event {alert.event_id} within 30s[/]")
        return
    rows = ", ".join(f"{n} {table}" for table, n in counts.items())
    console.print(
        f"[bold]stored[/]: {settings.database_url} now holds {rows}\n"
        f'  newswire query events --participant "{alert.participants[0].name}"\n'
        f"  newswire query event {alert.event_id}\n"
        f"  newswire run api   # then GET http://{settings.api_host}:{settings.api_port}/events/{alert.event_id}"
    )
