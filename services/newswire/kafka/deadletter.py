"""Dead letters: a record that cannot be processed is kept, with the reason, on the dead-letter topic."""

from __future__ import annotations

import base64
from typing import Protocol

from newswire.contracts import DeadLetter
from newswire.kafka.serde import encode
from newswire.observability import DEADLETTERS, log

__all__ = ["DeadLetters", "Sender", "dead_letter_for"]

_log = log("deadletter")


class Sender(Protocol):
    async def __call__(self, topic: str, key: bytes | None, value: bytes) -> None: ...


def _b64(data: bytes | None) -> str | None:
    return None if data is None else base64.b64encode(data).decode("ascii")


def dead_letter_for(
    *,
    topic: str,
    partition: int | None,
    offset: int | None,
    key: bytes | None,
    value: bytes | None,
    error: str,
    service: str,
) -> DeadLetter:
    return DeadLetter(
        topic=topic,
        partition=partition,
        offset=offset,
        key=_b64(key),
        payload=_b64(value) or "",
        error=error,
        service=service,
    )


class DeadLetters:
    """Publishes DeadLetter records through whatever producer the service has (faust or aiokafka)."""

    def __init__(self, topic: str, service: str, send: Sender) -> None:
        self.topic = topic
        self.service = service
        self._send = send

    async def publish(
        self,
        *,
        topic: str,
        partition: int | None,
        offset: int | None,
        key: bytes | None,
        value: bytes | None,
        error: str,
    ) -> DeadLetter:
        letter = dead_letter_for(
            topic=topic,
            partition=partition,
            offset=offset,
            key=key,
            value=value,
            error=error,
            service=self.service,
        )
        await self._send(self.topic, key, encode(letter))
        DEADLETTERS.labels(self.service).inc()
        _log.warning(
            "dead-lettered",
            extra={
                "service": self.service,
                "topic": topic,
                "partition": partition,
                "offset": offset,
                "error": error,
            },
        )
        return letter
