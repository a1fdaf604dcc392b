"""Silences (Alertmanager semantics): matchers plus a time window; a matching notice is muted.

Labels of an alert a matcher can name: alert_id, rule, severity, event_id, event_type,
event_status, participant (any participant), country (any participant's or the place's),
location. A silence mutes while `starts_at <= now < ends_at`; expiring sets `ends_at = now`.
A muted notice is not queued: the alert is recorded as handled (Alertmanager drops it too).
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Literal, get_args

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from newswire.alert.names import normalise
from newswire.contracts import Alert, utcnow

__all__ = ["LABELS", "Matcher", "Silence", "SilenceRequest", "active", "labels_of", "muted_by"]

Label = Literal[
    "alert_id",
    "rule",
    "severity",
    "event_id",
    "event_type",
    "event_status",
    "participant",
    "country",
    "location",
]
LABELS: tuple[str, ...] = get_args(Label)


class Matcher(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Label
    value: str
    is_regex: bool = False
    is_equal: bool = True

    @model_validator(mode="after")
    def _regex_compiles(self) -> Matcher:
        if self.is_regex:
            try:
                re.compile(self.value)
            except re.error as e:
                raise ValueError(f"bad regex {self.value!r}: {e}") from None
        return self

    def test(self, values: list[str]) -> bool:
        if self.is_regex:
            hit = any(re.fullmatch(self.value, v, flags=re.IGNORECASE) for v in values)
        else:
            hit = normalise(self.value) in {normalise(v) for v in values}
        return hit == self.is_equal


class SilenceRequest(BaseModel):
    """What a client POSTs: matchers and either ends_at or a duration like '2h'."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    matchers: list[Matcher] = Field(min_length=1)
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    duration: str | None = None
    created_by: str = "api"
    comment: str = ""

    @model_validator(mode="after")
    def _window(self) -> SilenceRequest:
        if (self.ends_at is None) == (self.duration is None):
            raise ValueError("set exactly one of ends_at, duration")
        return self

    def to_silence(self, now: datetime) -> Silence:
        from newswire.alert.rules import parse_duration

        starts = self.starts_at or now
        ends = self.ends_at or starts + parse_duration(self.duration)
        if ends <= starts:
            raise ValueError("the silence ends before it starts")
        return Silence(
            id="s-" + uuid.uuid4().hex[:16], matchers=self.matchers, starts_at=starts, ends_at=ends,
            created_by=self.created_by, comment=self.comment, updated_at=now,
        )  # fmt: skip


class Silence(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    matchers: list[Matcher]
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    created_by: str = "api"
    comment: str = ""
    updated_at: AwareDatetime = Field(default_factory=utcnow)

    def is_active(self, now: datetime) -> bool:
        return self.starts_at <= now < self.ends_at

    def expired(self, now: datetime) -> Silence:
        return self.model_copy(update={"ends_at": min(self.ends_at, now), "updated_at": now})

    def mutes(self, alert: Alert, now: datetime) -> bool:
        if not self.is_active(now):
            return False
        labels = labels_of(alert)
        return all(m.test(labels[m.name]) for m in self.matchers)


def labels_of(alert: Alert) -> dict[str, list[str]]:
    countries = [p.country for p in alert.participants if p.country]
    if alert.location and alert.location.country:
        countries.append(alert.location.country)
    return {
        "alert_id": [alert.id],
        "rule": [alert.rule],
        "severity": [alert.severity],
        "event_id": [alert.event_id],
        "event_type": [alert.event_type.value],
        "event_status": [alert.event_status.value],
        "participant": [p.name for p in alert.participants],
        "country": countries,
        "location": [alert.location.name] if alert.location else [],
    }


def active(silences: list[Silence], now: datetime) -> list[Silence]:
    return [s for s in silences if s.is_active(now)]


def muted_by(alert: Alert, silences: list[Silence], now: datetime) -> Silence | None:
    return next((s for s in silences if s.mutes(alert, now)), None)
