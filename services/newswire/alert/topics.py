"""The alert service's own topics, created before the worker subscribes (like `ensure_topics`).

<prefix>.alert.silences         silences, keyed by id, compacted, 1 partition (every worker reads all)
<prefix>.alert.ticks            clock ticks, one per partition per second, co-partitioned with events
<prefix>-alert-state-changelog  the faust Table of alert records, compacted
"""

from __future__ import annotations

from dataclasses import dataclass

from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from newswire.errors import TransientError
from newswire.settings import Settings

__all__ = ["AlertTopics", "ensure_alert_topics"]

_TOPIC_ALREADY_EXISTS = 36


@dataclass(frozen=True)
class AlertTopics:
    app_id: str
    silences: str
    ticks: str
    changelog: str

    @classmethod
    def from_settings(cls, settings: Settings) -> AlertTopics:
        app_id = f"{settings.topic_prefix}-alert"
        return cls(
            app_id=app_id,
            silences=settings.topic("alert.silences"),
            ticks=settings.topic("alert.ticks"),
            changelog=f"{app_id}-state-changelog",  # faust's name for Table "state" of app `app_id`
        )


async def ensure_alert_topics(settings: Settings) -> list[str]:
    t = AlertTopics.from_settings(settings)
    n, rf = settings.topic_partitions, settings.topic_replication
    wanted = [
        NewTopic(t.silences, 1, rf, topic_configs={"cleanup.policy": "compact"}),
        NewTopic(t.ticks, n, rf, topic_configs={"retention.ms": "600000"}),
        NewTopic(t.changelog, n, rf, topic_configs={"cleanup.policy": "compact"}),
    ]
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, request_timeout_ms=10_000)
    try:
        await admin.start()
        existing = set(await admin.list_topics())
        missing = [nt for nt in wanted if nt.name not in existing]
        if missing:
            resp = await admin.create_topics(missing)
            for name, code, *_ in getattr(resp, "topic_errors", []):
                if code not in (0, _TOPIC_ALREADY_EXISTS):
                    raise TransientError(f"creating topic {name} failed with Kafka error code {code}")
        return [nt.name for nt in missing]
    finally:
        await admin.close()
