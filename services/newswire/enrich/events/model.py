"""What the event component finds in one sentence, before it becomes a contracts.Event."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from newswire.contracts import EventStatus, EventType, Medium

__all__ = ["EventMention", "Where"]


@dataclass(frozen=True)
class Where:
    name: str
    country: str | None
    strength: int  # 3 sentence venue/city, 2 sentence country, 1 dateline: the strongest wins on merge


@dataclass(frozen=True)
class EventMention:
    type: EventType
    status: EventStatus
    medium: Medium | None
    participants: tuple[str, ...]  # leader ids, in order of mention
    location: Where | None
    date: dt.date | None
    date_explicit: bool  # "on May 16" beats the publication date on merge
    sent_start: int  # character offsets of the evidence sentence
    sent_end: int
    confidence: float
