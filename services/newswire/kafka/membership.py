"""Consumer-group timing for every worker, faust and aiokafka alike, from one place.

Why these matter: a worker killed with SIGKILL keeps its partitions until its group membership
lapses (session timeout); with the clients' defaults (faust 60 s) a restarted enrich worker sat idle
for over a minute. Here the timeout is short, heartbeats frequent, and a worker given a
`kafka_group_instance_id` is a static member (KIP-345): restarted under the same name, it gets its
partitions straight back, with no rebalance and no wait for the old membership to lapse.

SIGTERM: a dynamic member leaves the group as it stops (aiokafka's LeaveGroup), so its partitions
move at once. A static member does not leave (aiokafka, like the Java client, sends no LeaveGroup
for one): its partitions wait for it up to kafka_session_timeout, which is what a restart wants and
what a scale-down pays.

Only timing and membership live here; how to connect (addresses, TLS, SASL) is the client
factories' business, so the two merge as separate keyword sets.
"""

from __future__ import annotations

from typing import Any

from newswire.settings import Settings

__all__ = ["aiokafka_group_options", "faust_group_options", "instance_id"]


def instance_id(settings: Settings, service: str) -> str | None:
    """The static member name of `service` in this process, or None (dynamic membership)."""
    base = settings.kafka_group_instance_id
    return f"{base}-{service}" if base else None


def _ms(seconds: float) -> int:
    return int(seconds * 1000)


def aiokafka_group_options(settings: Settings, service: str) -> dict[str, Any]:
    """Keyword arguments for an `AIOKafkaConsumer` in a consumer group."""
    return {
        "session_timeout_ms": _ms(settings.kafka_session_timeout),
        "heartbeat_interval_ms": _ms(settings.kafka_heartbeat_interval),
        "max_poll_interval_ms": _ms(settings.kafka_max_poll_interval),
        "rebalance_timeout_ms": _ms(settings.kafka_rebalance_timeout),
        "group_instance_id": instance_id(settings, service),
    }


def faust_group_options(settings: Settings, service: str) -> dict[str, Any]:
    """Keyword arguments for `faust.App` (faust-streaming passes them on to its aiokafka consumer;
    `consumer_group_instance_id` reaches it since faust-streaming PR #600, checked in 0.15.3's
    `_create_worker_consumer`)."""
    return {
        "broker_session_timeout": settings.kafka_session_timeout,
        "broker_heartbeat_interval": settings.kafka_heartbeat_interval,
        "broker_max_poll_interval": settings.kafka_max_poll_interval,
        "broker_rebalance_timeout": settings.kafka_rebalance_timeout,
        "broker_commit_interval": settings.kafka_commit_interval,
        # faust refuses a session timeout above the request timeout (default 90 s).
        "broker_request_timeout": max(90.0, settings.kafka_session_timeout + 10.0),
        "consumer_group_instance_id": instance_id(settings, service),
    }
