"""Where the engine keeps alert records: a port and its in-memory adapter.

Keys are `a|<alert id>` (one AlertRecord as a JSON-able dict) and `ix|<rule>|<participants>` (the
alert ids of the same people, for inhibition). Every record carries `wake_at`, the next time the
clock may change it; `due(now)` lists the ids whose time has come. The worker's adapter keeps the
same data in a faust Table (app.py); tests and the dry-run use `MemoryStore`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, Protocol

__all__ = ["MemoryStore", "StateStore", "WakeIndex"]


class StateStore(Protocol):
    def get(self, key: str) -> Any | None: ...
    def put(self, key: str, value: Any) -> None: ...
    def delete(self, key: str) -> None: ...
    def due(self, now: datetime) -> list[str]: ...
    def keys(self) -> Iterator[str]: ...


class WakeIndex:
    """alert id -> wake_at, kept beside the data so a tick does not scan every record."""

    def __init__(self) -> None:
        self._at: dict[str, datetime] = {}

    def note(self, key: str, value: Any) -> None:
        if key.startswith("a|"):
            if value is None:
                self._at.pop(key[2:], None)
            else:
                self._at[key[2:]] = datetime.fromisoformat(value["wake_at"])

    def due(self, now: datetime) -> list[str]:
        return sorted((a for a, at in self._at.items() if at <= now), key=lambda a: self._at[a])


class MemoryStore:
    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self._wake = WakeIndex()

    def get(self, key: str) -> Any | None:
        return self.data.get(key)

    def put(self, key: str, value: Any) -> None:
        self.data[key] = value
        self._wake.note(key, value)

    def delete(self, key: str) -> None:
        self.data.pop(key, None)
        self._wake.note(key, None)

    def due(self, now: datetime) -> list[str]:
        return self._wake.due(now)

    def keys(self) -> Iterator[str]:
        return iter(list(self.data))
