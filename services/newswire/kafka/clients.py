"""Client factories: every aiokafka producer, consumer and admin client newswire makes goes through
here, so each carries the connection security of its settings (kafka/security.py).

A target is the Settings of a service, or a bare "host:port[,...]" for a PLAINTEXT broker (tools,
benchmarks, tests of a local broker).
"""

from __future__ import annotations

from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient

from newswire.kafka.security import KafkaSecurity
from newswire.settings import Settings

__all__ = ["Target", "admin", "bootstrap_of", "connection", "consumer", "producer", "security_of"]

Target = Settings | str


def bootstrap_of(target: Target) -> str:
    return target.kafka_bootstrap if isinstance(target, Settings) else target


def security_of(target: Target) -> KafkaSecurity:
    return KafkaSecurity.from_settings(target) if isinstance(target, Settings) else KafkaSecurity()


def connection(target: Target) -> dict[str, Any]:
    """bootstrap_servers plus the security arguments: what every client needs to reach the cluster."""
    return {"bootstrap_servers": bootstrap_of(target), **security_of(target).client_kwargs()}


def producer(target: Target, **kwargs: Any) -> AIOKafkaProducer:
    return AIOKafkaProducer(**connection(target), **kwargs)


def consumer(target: Target, *topics: str, **kwargs: Any) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(*topics, **connection(target), **kwargs)


def admin(target: Target, **kwargs: Any) -> AIOKafkaAdminClient:
    return AIOKafkaAdminClient(**connection(target), **kwargs)
