"""Inhibition across partitions: a planned and an occurred meeting of the same people have
different event ids, so on the events topic they can sit on different partitions. The alert worker
re-keys events by participant set, so the occurred one still inhibits the pending planned alert."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from aiokafka.partitioner import DefaultPartitioner

from integration.alert.conftest import alerts_on_topic, make_event, produce_events, wait_for
from newswire.settings import Settings

RULES = """
receivers:
  - name: log
    log: {}
rules:
  - name: pair-meets
    match: {types: [MEET], status: [planned, occurred]}
    participants: {at_least: 2, of: ["Xi Jinping", "Vladimir Putin"]}
    group_wait: 4s
    repeat_interval: 4h
    receivers: [log]
"""


def _ids_on_different_partitions(n: int) -> tuple[str, str]:
    parts = list(range(n))
    partition = DefaultPartitioner()
    planned = "ev-planned-0"
    for i in range(1, 1000):
        occurred = f"ev-occurred-{i}"
        if partition(occurred.encode(), parts, parts) != partition(planned.encode(), parts, parts):
            return planned, occurred
    raise AssertionError("no pair of ids on different partitions")


async def test_occurred_inhibits_planned_on_another_partition(
    alert_settings: Settings, tmp_path: Path, worker_factory: Any
) -> None:
    assert alert_settings.topic_partitions > 1  # otherwise this test proves nothing
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES)
    planned_id, occurred_id = _ids_on_different_partitions(alert_settings.topic_partitions)
    w = worker_factory(rules)
    w.start()
    await w.wait_http()
    await produce_events(
        alert_settings,
        [
            make_event(planned_id, article="a-preview", status="planned"),
            make_event(occurred_id, article="a-report", status="occurred"),
        ],
    )

    async def occurred_alert() -> bool:
        return any(a.event_id == occurred_id for a in await alerts_on_topic(alert_settings))

    await wait_for(occurred_alert, timeout=60)
    await asyncio.sleep(6)  # past the planned alert's group_wait: it would have fired by now
    alerts = await alerts_on_topic(alert_settings)
    assert [(a.event_id, a.event_status.value) for a in alerts] == [(occurred_id, "occurred")]
