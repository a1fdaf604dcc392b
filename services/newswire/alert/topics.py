"""The alert service's own topics, created before the worker subscribes (like `ensure_topics`).

<prefix>.alert.grouped          events re-keyed by their participant set, so that every event about
                                the same people (planned, occurred, each outlet's) meets on one partition
<prefix>.alert.silences         silences, keyed by id, compacted, 1 partition (every worker reads all)
<prefix>.alert.ticks            clock ticks, one per partition per second, co-partitioned with events
<prefix>-alert-state-changelog  the faust Table of alert records, compacted
"""

from __future__ import annotations

from dataclasses import dataclass

from newswire.kafka.admin import TopicSpec, create_topics
from newswire.settings import Settings

__all__ = ["AlertTopics", "ensure_alert_topics"]


@dataclass(frozen=True)
class AlertTopics:
    app_id: str
    grouped: str
    silences: str
    ticks: str
    changelog: str

    @classmethod
    def from_settings(cls, settings: Settings) -> AlertTopics:
        app_id = f"{settings.topic_prefix}-alert"
        return cls(
            app_id=app_id,
            grouped=settings.topic("alert.grouped"),
            silences=settings.topic("alert.silences"),
            ticks=settings.topic("alert.ticks"),
            changelog=f"{app_id}-state-changelog",  # faust's name for Table "state" of app `app_id`
        )


async def ensure_alert_topics(settings: Settings) -> list[str]:
    t = AlertTopics.from_settings(settings)
    n, rf = settings.topic_partitions, settings.topic_replication
    compact = {"cleanup.policy": "compact"}
    return await create_topics(
        settings,
        [
            TopicSpec(t.grouped, n, rf),
            TopicSpec(t.silences, 1, rf, compact),
            TopicSpec(t.ticks, n, rf, {"retention.ms": "600000"}),
            TopicSpec(t.changelog, n, rf, compact),
        ],
    )
