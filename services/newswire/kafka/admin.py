"""Cluster administration: idempotent topic creation and partition discovery (aiokafka admin)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from aiokafka.admin import NewTopic
from aiokafka.errors import KafkaConnectionError, KafkaError

from newswire.errors import TransientError
from newswire.kafka.clients import Target, bootstrap_of, security_of
from newswire.kafka.clients import admin as admin_client
from newswire.kafka.security import check_access
from newswire.kafka.topics import Topics
from newswire.observability import log
from newswire.settings import Settings

__all__ = ["TopicSpec", "create_topics", "ensure_topics", "partitions_of"]

_log = log("kafka.admin")
_TOPIC_ALREADY_EXISTS = 36


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    replication: int = 1
    config: Mapping[str, str] = field(default_factory=dict)  # e.g. {"cleanup.policy": "compact"}


async def create_topics(kafka: Target, specs: Sequence[TopicSpec], *, patience: float = 60.0) -> list[str]:
    """Create the topics of `specs` that are missing; return their names. Safe to call twice,
    and from several processes at once. Waits up to `patience` seconds for the broker, but not
    for one that refuses our certificate or credentials (KafkaAccessError at once)."""
    bootstrap, security = bootstrap_of(kafka), security_of(kafka)
    deadline = asyncio.get_running_loop().time() + patience
    while True:
        admin = admin_client(kafka, request_timeout_ms=10_000)
        try:
            # The admin client's own bootstrap swallows why a broker refused it; ask directly.
            await check_access(bootstrap, security)
            await admin.start()
            existing = set(await admin.list_topics())
            missing = [t for t in specs if t.name not in existing]
            if missing:
                resp = await admin.create_topics(
                    [
                        NewTopic(t.name, t.partitions, t.replication, topic_configs=dict(t.config))
                        for t in missing
                    ]
                )
                for name, code, *_ in getattr(resp, "topic_errors", []):
                    if code not in (0, _TOPIC_ALREADY_EXISTS):
                        raise TransientError(f"creating topic {name} failed with Kafka error code {code}")
                _log.info("topics created", extra={"topics": [t.name for t in missing]})
            return [t.name for t in missing]
        except (KafkaConnectionError, KafkaError, OSError) as e:
            if asyncio.get_running_loop().time() > deadline:
                raise TransientError(f"Kafka at {bootstrap} not reachable: {e!r}") from e
            await asyncio.sleep(1.0)
        finally:
            await admin.close()


async def ensure_topics(settings: Settings) -> list[str]:
    """Create every pipeline topic that is missing, with the configured partition count.

    Must run before a faust worker subscribes: a worker that joins its group before its source
    topic exists is assigned nothing and does not notice the topic appearing later.
    """
    specs = [
        TopicSpec(name, settings.topic_partitions, settings.topic_replication)
        for name in Topics.from_settings(settings).all()
    ]
    return await create_topics(settings, specs)


async def partitions_of(kafka: Target, topic: str, *, patience: float = 15.0) -> list[int]:
    """Partition ids of `topic`, waiting until every partition has a leader (fresh topics lag)."""
    admin = admin_client(kafka)
    await admin.start()
    try:
        deadline = asyncio.get_running_loop().time() + patience
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
