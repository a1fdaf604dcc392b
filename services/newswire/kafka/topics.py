"""Topic names (one prefix setting) and idempotent creation with explicit partition counts."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaConnectionError, KafkaError

from newswire.errors import TransientError
from newswire.observability import log
from newswire.settings import Settings

__all__ = ["Topics", "ensure_topics"]

_log = log("kafka.topics")
_TOPIC_ALREADY_EXISTS = 36


@dataclass(frozen=True)
class Topics:
    raw: str
    enriched: str
    events: str
    alerts: str
    deadletter: str

    @classmethod
    def from_settings(cls, settings: Settings) -> Topics:
        return cls(
            raw=settings.topic("articles.raw"),
            enriched=settings.topic("articles.enriched"),
            events=settings.topic("events"),
            alerts=settings.topic("alerts"),
            deadletter=settings.topic("deadletter"),
        )

    def all(self) -> list[str]:
        return [self.raw, self.enriched, self.events, self.alerts, self.deadletter]


async def ensure_topics(settings: Settings, *, timeout: float = 60.0) -> list[str]:
    """Create every pipeline topic that is missing; return the names created. Safe to call twice.

    Must run before a faust worker subscribes: a worker that joins its group before its source
    topic exists is assigned nothing and does not notice the topic appearing later.
    """
    topics = Topics.from_settings(settings).all()
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, request_timeout_ms=10_000)
        try:
            await admin.start()
            existing = set(await admin.list_topics())
            missing = [t for t in topics if t not in existing]
            if missing:
                resp = await admin.create_topics(
                    [NewTopic(t, settings.topic_partitions, settings.topic_replication) for t in missing]
                )
                for name, code, *_ in getattr(resp, "topic_errors", []):
                    if code not in (0, _TOPIC_ALREADY_EXISTS):
                        raise TransientError(f"creating topic {name} failed with Kafka error code {code}")
                _log.info("topics created", extra={"topics": missing})
            return missing
        except (KafkaConnectionError, KafkaError, OSError) as e:
            if asyncio.get_running_loop().time() > deadline:
                raise TransientError(f"Kafka at {settings.kafka_bootstrap} not reachable: {e!r}") from e
            await asyncio.sleep(1.0)
        finally:
            await admin.close()
