"""The receiver port and the retry loop around it."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from newswire.alert.rules import Retry
from newswire.contracts import Alert

__all__ = ["DeliveryError", "Outcome", "Receiver", "deliver", "idempotency_key"]


class DeliveryError(Exception):
    """A send failed. `permanent` (e.g. HTTP 400/401/404) skips the remaining retries."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent


class Receiver(Protocol):
    name: str
    retry: Retry

    async def send(self, alert: Alert) -> None:
        """Deliver once or raise DeliveryError."""
        ...


def idempotency_key(alert: Alert) -> str:
    """Same notice, same key: a redelivery after a crash is recognisable by the receiver."""
    raw = f"{alert.id}\x1f{alert.state}\x1f{alert.source_count}\x1f{alert.event_status}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Outcome:
    receiver: str
    ok: bool
    attempts: int
    error: str | None = None


async def deliver(
    receiver: Receiver, alert: Alert, *, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
) -> Outcome:
    policy = receiver.retry
    wait = policy.backoff.total_seconds()
    error = ""
    for attempt in range(1, policy.attempts + 1):
        try:
            await asyncio.wait_for(receiver.send(alert), timeout=policy.timeout.total_seconds())
            return Outcome(receiver.name, True, attempt)
        except DeliveryError as e:
            error = str(e)
            if e.permanent:
                return Outcome(receiver.name, False, attempt, error)
        except (TimeoutError, OSError) as e:
            error = f"{type(e).__name__}: {e}"
        if attempt < policy.attempts:
            await sleep(wait)
            wait = min(wait * 2, policy.max_backoff.total_seconds())
    return Outcome(receiver.name, False, policy.attempts, error)
