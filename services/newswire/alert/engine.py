"""Grouping, dedup, min_sources, group_wait, repeat_interval, inhibition and silences.

Pure: the engine reads and writes plain dicts in a `StateStore` (a dict in tests, a faust Table
slice in the worker) and takes `now` as an argument, so every timing rule is tested with a fake
clock. One record per alert id (rule + event id); its life:

    pending ──(enough independent sources, group_wait over, not muted)──> sent
       │            sent ──(new sources, repeat_interval over)──> sent (updated)
       ├──(muted by a silence)──> silenced ──(new sources after the silence)──> sent
       └──(an occurred event with the same participants, for a planned alert)──> inhibited

`on_tick(now)` releases what waits on the clock (group_wait, a held update, retention).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

from pydantic import AwareDatetime, BaseModel, ConfigDict

from newswire.alert.matching import matches, participant_key
from newswire.alert.render import title_for
from newswire.alert.rules import Rule, RuleSet
from newswire.alert.silences import Silence, muted_by
from newswire.alert.state import StateStore
from newswire.contracts import Alert, AlertSource, AlertState, Event, EventStatus, Evidence

__all__ = ["AlertRecord", "Engine", "Phase", "StateStore", "alert_id"]


def alert_id(rule: str, event_id: str) -> str:
    return f"{rule}/{event_id}"


class Phase(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    SILENCED = "silenced"
    INHIBITED = "inhibited"


class AlertRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    rule: str
    event: Event
    sources: list[AlertSource]
    outlets: list[str]
    first_seen: AwareDatetime
    last_seen: AwareDatetime
    phase: Phase = Phase.PENDING
    notified_at: AwareDatetime | None = None
    notified_sources: int = 0
    notified_status: EventStatus | None = None
    wake_at: AwareDatetime


def _outlet(ev: Evidence) -> str:
    """Independence of a source: the outlet, else the URL's host, else the article itself."""
    if ev.source:
        return ev.source.lower()
    if ev.url and urlsplit(ev.url).hostname:
        return str(urlsplit(ev.url).hostname).lower().removeprefix("www.")
    return ev.article_id


class Engine:
    def __init__(self, rules: RuleSet, *, retention: timedelta = timedelta(days=7)) -> None:
        self.rules = rules
        self.retention = retention

    # ------------------------------------------------------------------ inputs

    def on_event(
        self, store: StateStore, event: Event, now: datetime, silences: Iterable[Silence] = ()
    ) -> list[Alert]:
        out: list[Alert] = []
        muting = list(silences)
        for rule in self.rules.rules:
            if not matches(rule, event):
                continue
            rec = self._merge(store, rule, event, now)
            if rec.event.status is EventStatus.OCCURRED:
                self._inhibit_planned(store, rule, rec)
            elif rec.event.status is EventStatus.PLANNED and self._occurred_exists(store, rule, rec):
                rec.phase = Phase.INHIBITED
            out += self._evaluate(store, rule, rec, now, muting)
        return out

    def on_tick(self, store: StateStore, now: datetime, silences: Iterable[Silence] = ()) -> list[Alert]:
        out: list[Alert] = []
        muting = list(silences)
        for aid in store.due(now):
            raw = store.get("a|" + aid)
            if raw is None:
                continue
            rec = AlertRecord.model_validate(raw)
            rule = self.rules.rule(rec.rule)
            if rule is None or now - rec.last_seen >= self.retention:  # rule removed, or retention over
                self._forget(store, rec)
                continue
            out += self._evaluate(store, rule, rec, now, muting)
        return out

    def records(self, store: StateStore) -> Iterator[AlertRecord]:
        for key in store.keys():
            if key.startswith("a|") and (raw := store.get(key)) is not None:
                yield AlertRecord.model_validate(raw)

    # ------------------------------------------------------------------ state changes

    def _merge(self, store: StateStore, rule: Rule, event: Event, now: datetime) -> AlertRecord:
        aid = alert_id(rule.name, event.id)
        raw = store.get("a|" + aid)
        if raw is None:
            rec = AlertRecord(
                id=aid,
                rule=rule.name,
                event=event,
                sources=[],
                outlets=[],
                first_seen=now,
                last_seen=now,
                wake_at=now,
            )
            self._index(store, rule.name, event, aid)
        else:
            rec = AlertRecord.model_validate(raw)
        known = {s.article_id for s in rec.sources}
        for ev in event.evidence:
            if ev.article_id in known:
                continue
            known.add(ev.article_id)
            rec.sources.append(
                AlertSource(article_id=ev.article_id, url=ev.url, title=ev.title, source=ev.source)
            )
            rec.last_seen = now
            if _outlet(ev) not in rec.outlets:
                rec.outlets.append(_outlet(ev))
        if event.status is EventStatus.OCCURRED and rec.event.status is not EventStatus.OCCURRED:
            rec.event = event.model_copy(update={"evidence": rec.event.evidence})  # the plan happened
            self._index(store, rule.name, rec.event, aid)
        elif rec.event.location is None and event.location is not None:
            rec.event = rec.event.model_copy(
                update={"location": event.location, "date": rec.event.date or event.date}
            )
        return rec

    def _index(self, store: StateStore, rule: str, event: Event, aid: str) -> None:
        """`ix|<rule>|<participants>` -> {alert id: event status}: inhibition reads no records."""
        ix = f"ix|{rule}|{participant_key(event.participants)}"
        entries = dict(store.get(ix) or {})
        if entries.get(aid) != event.status.value:
            entries[aid] = event.status.value
            store.put(ix, entries)

    def _siblings(self, store: StateStore, rule: Rule, rec: AlertRecord) -> dict[str, str]:
        ix = store.get(f"ix|{rule.name}|{participant_key(rec.event.participants)}") or {}
        return {aid: status for aid, status in ix.items() if aid != rec.id}

    def _inhibit_planned(self, store: StateStore, rule: Rule, rec: AlertRecord) -> None:
        for aid, status in self._siblings(store, rule, rec).items():
            if status == EventStatus.PLANNED.value and (raw := store.get("a|" + aid)) is not None:
                other = AlertRecord.model_validate(raw)
                if other.phase in (Phase.PENDING, Phase.SILENCED):
                    other.phase = Phase.INHIBITED
                    self._save(store, other, None)

    def _occurred_exists(self, store: StateStore, rule: Rule, rec: AlertRecord) -> bool:
        """An occurred sibling (inhibited ones are planned, so any occurred entry counts)."""
        return EventStatus.OCCURRED.value in self._siblings(store, rule, rec).values()

    def _evaluate(
        self, store: StateStore, rule: Rule, rec: AlertRecord, now: datetime, silences: list[Silence]
    ) -> list[Alert]:
        """Decide whether `rec` notifies now; save it with its next wake-up time."""
        expire = rec.last_seen + self.retention
        if rec.phase is Phase.INHIBITED:
            self._save(store, rec, expire)
            return []
        news = len(rec.sources) > rec.notified_sources or (
            rec.notified_status is not None and rec.event.status is not rec.notified_status
        )
        if rec.phase is Phase.SENT:
            state = AlertState.UPDATED
            wake = (rec.notified_at or now) + rule.repeat_interval
            status_changed = rec.event.status is not rec.notified_status
            if not news or (now < wake and not status_changed):
                self._save(store, rec, wake if news else expire)
                return []
        else:
            state = AlertState.FIRING
            if rec.phase is Phase.SILENCED and not news:
                self._save(store, rec, expire)
                return []
            if len(rec.outlets) < rule.min_sources:
                self._save(store, rec, expire)  # held until more independent sources arrive
                return []
            ready = rec.first_seen + rule.group_wait
            if now < ready:
                self._save(store, rec, ready)
                return []
        alert = to_alert(rule, rec, state, now)
        rec.notified_sources = len(rec.sources)
        rec.notified_status = rec.event.status
        if muted_by(alert, silences, now) is not None:
            if rec.phase is not Phase.SENT:
                rec.phase = Phase.SILENCED
            self._save(store, rec, expire)
            return []
        rec.phase = Phase.SENT
        rec.notified_at = now
        self._save(store, rec, expire)
        return [alert]

    def _save(self, store: StateStore, rec: AlertRecord, wake: datetime | None) -> None:
        rec.wake_at = wake or rec.last_seen + self.retention
        store.put("a|" + rec.id, rec.model_dump(mode="json"))

    def _forget(self, store: StateStore, rec: AlertRecord) -> None:
        ix = f"ix|{rec.rule}|{participant_key(rec.event.participants)}"
        rest = {a: st for a, st in (store.get(ix) or {}).items() if a != rec.id}
        if rest:
            store.put(ix, rest)
        else:
            store.delete(ix)
        store.delete("a|" + rec.id)


def to_alert(rule: Rule, rec: AlertRecord, state: AlertState, now: datetime) -> Alert:
    ev = rec.event
    return Alert(
        id=rec.id,
        rule=rule.name,
        severity=rule.severity,
        state=state,
        title=title_for(ev),
        event_id=ev.id,
        event_type=ev.type,
        event_status=ev.status,
        medium=ev.medium,
        participants=ev.participants,
        location=ev.location,
        date=ev.date,
        evidence=ev.evidence[0].sentence,
        sources=rec.sources,
        source_count=len(rec.sources),
        first_seen=rec.first_seen,
        last_seen=rec.last_seen,
        sent_at=now,
    )
