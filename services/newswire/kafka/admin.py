"""Cluster administration: idempotent topic creation and partition discovery (aiokafka admin)."""

from __future__ import annotations

import asyncio

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaConnectionError, KafkaError

from newswire.errors import TransientError
from newswire.kafka.topics import Topics
from newswire.observability import log
from newswire.settings import Settings

__all__ = ["ensure_topics", "partitions_of"]

_log = log("kafka.admin")
_TOPIC_ALREADY_EXISTS = 36


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


async def partitions_of(bootstrap: str, topic: str, *, timeout: float = 15.0) -> list[int]:
    """Partition ids of `topic`, waiting until every partition has a leader (fresh topics lag)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            [desc] = await admin.describe_topics([topic])
            parts = desc.get("partitions") or []
            if desc.get("error_code", 0) == 0 and parts and all(p.get("leader", -1) >= 0 for p in parts):
                return sorted(p["partition"] for p in parts)
            if asyncio.get_running_loop().time() > deadline:
                raise TransientError(
                    f"topic {topic} has no usable partitions (error {desc.get('error_code')})"
                )
            await asyncio.sleep(0.2)
    finally:
        await admin.close()
