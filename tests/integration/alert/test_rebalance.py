"""Two alert workers in one consumer group, partitions moving between them while alerts are pending:
a planned/occurred pair still ends with the occurred alert only, and an update held back by
repeat_interval is sent once, on time, by whichever worker owns the alert when the interval ends.
(The state and its wake-up times live in the changelog-backed table, so they move with it.)"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient

from integration.alert.conftest import (
    Worker,
    alerts_on_topic,
    free_port,
    make_event,
    produce_events,
    wait_for,
)
from newswire.contracts import AlertState
from newswire.settings import Settings

REPEAT_S = 8.0
RULES = """
receivers:
  - name: log
    log: {}
rules:
  - name: pair-meets
    match: {types: [MEET], status: [planned, occurred]}
    participants: {at_least: 2, of: ["Xi Jinping", "Vladimir Putin"]}
    group_wait: 15s
    repeat_interval: 4h
    receivers: [log]
  - name: kim-meets
    match: {types: [MEET], status: [occurred]}
    participants: {all_of: ["Kim Jong Un"]}
    group_wait: 0s
    repeat_interval: 8s
    receivers: [log]
"""


async def _members(settings: Settings) -> int:
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    await admin.start()
    try:
        [group] = await admin.describe_consumer_groups([f"{settings.topic_prefix}-alert"])
    finally:
        await admin.close()
    # groups: (error, group id, state, protocol type, protocol, members, ...)
    return len(group.groups[0][5]) if group.groups else 0


async def test_pairs_and_repeat_intervals_survive_a_rebalance(
    alert_settings: Settings, tmp_path: Path
) -> None:
    assert alert_settings.topic_partitions > 1
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES)
    a = Worker(alert_settings, rules, tmp_path / "a.log", {})
    second = alert_settings.model_copy(update={"alert_http_port": free_port(), "data_dir": tmp_path / "b"})
    b = Worker(second, rules, tmp_path / "b.log", {})
    try:
        a.start()
        await a.wait_http()
        kim = ("Xi Jinping", "Kim Jong Un")
        await produce_events(
            alert_settings,
            [
                make_event("ev-pair-planned", article="a-preview", status="planned"),
                make_event("ev-kim", article="k-1", outlet="AP", names=kim),
            ],
        )

        async def fired() -> Any:
            alerts = await alerts_on_topic(alert_settings)
            return next((x for x in alerts if x.event_id == "ev-kim"), None)

        first = await wait_for(fired, timeout=60)
        b.start()  # joins: a rebalance while the planned alert waits and before the update is due
        await b.wait_http()
        assert await wait_for(lambda: _two(alert_settings), timeout=60), "the second worker never joined"
        await produce_events(
            alert_settings,
            [
                make_event("ev-kim", article="k-2", outlet="Reuters", names=kim),  # held: repeat_interval
                make_event("ev-pair-occurred", article="a-report", status="occurred"),
            ],
        )
        await asyncio.sleep(3)
        b.stop()  # leaves: partitions move back before the held update is due

        async def updated() -> Any:
            alerts = await alerts_on_topic(alert_settings)
            return next((x for x in alerts if x.event_id == "ev-kim" and x.state is AlertState.UPDATED), None)

        async def occurred() -> bool:  # after its group_wait (15 s)
            return any(x.event_id == "ev-pair-occurred" for x in await alerts_on_topic(alert_settings))

        update = await wait_for(updated, timeout=60)
        assert await wait_for(occurred, timeout=60)
        await asyncio.sleep(REPEAT_S)  # a second update, or a late planned alert, would show by now
        alerts = await alerts_on_topic(alert_settings)
    finally:
        b.stop()
        a.stop()
    seen = sorted((x.event_id, x.state.value) for x in alerts)
    assert seen == [("ev-kim", "firing"), ("ev-kim", "updated"), ("ev-pair-occurred", "firing")], seen
    held = (update.sent_at - first.sent_at).total_seconds()
    assert REPEAT_S - 0.5 <= held <= REPEAT_S + 15, held  # not early, and not lost with the partitions
    assert update.source_count == 2


async def _two(settings: Settings) -> bool:
    return await _members(settings) >= 2
