"""Topic names: one prefix setting names every topic. Pure; creation lives in admin.py."""

from __future__ import annotations

from dataclasses import dataclass

from newswire.settings import Settings

__all__ = ["Topics"]


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
