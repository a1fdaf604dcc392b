"""Story identity and within-article merging.

The same real meeting gets the same Event.id in every article that reports it: a digest of type,
status, the sorted participant ids, the date and the normalised location name."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from newswire.contracts import EventStatus, EventType, Medium

from ..knowledge import ascii_fold
from .model import EventMention

__all__ = ["event_id", "merge_mentions", "normalise_place"]


def normalise_place(name: str | None) -> str:
    """'St. Petersburg' / 'Saint-Petersburg' style differences are handled by the gazetteer; here only
    case, accents and a trailing region ('Charlevoix, Canada' -> 'charlevoix')."""
    if not name:
        return ""
    return ascii_fold(name.split(",")[0]).strip().casefold()


def event_id(m: EventMention) -> str:
    h = hashlib.sha256()
    parts = (m.type.value, m.status.value, *sorted(m.participants), m.date.isoformat() if m.date else "",
             normalise_place(m.location.name if m.location else None))
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return "ev-" + h.hexdigest()[:24]


def _key(m: EventMention) -> tuple[object, ...]:
    return (m.type, m.status, m.medium, frozenset(m.participants))


def merge_mentions(mentions: Iterable[EventMention]) -> list[tuple[EventMention, list[EventMention]]]:
    """One event per (type, status, medium, participant set) in an article, with the strongest
    location, the most explicit date and every supporting sentence. A planned meeting of the same
    people on the same day as one that occurred is that meeting's preview, not a second event."""
    groups: dict[tuple[object, ...], list[EventMention]] = {}
    for m in mentions:
        groups.setdefault(_key(m), []).append(m)
    merged: list[tuple[EventMention, list[EventMention]]] = []
    for group in groups.values():
        first = group[0]
        located = [m.location for m in group if m.location is not None]
        where = max(located, key=lambda w: w.strength) if located else None
        explicit = [m for m in group if m.date_explicit]
        dated = explicit or [m for m in group if m.date is not None]
        best = EventMention(
            type=first.type, status=first.status, medium=first.medium,
            participants=max((m.participants for m in group), key=len), location=where,
            date=dated[0].date if dated else None, date_explicit=bool(explicit),
            sent_start=first.sent_start, sent_end=first.sent_end,
            confidence=min(0.99, max(m.confidence for m in group) + 0.05 * (len(group) - 1)),
        )
        merged.append((best, group))
    occurred = {(e.type, frozenset(e.participants), e.date) for e, _ in merged
                if e.status is EventStatus.OCCURRED}
    # A headline "Meeting with X" and a lead "had a meeting, via videoconference, with X" are one call;
    # "the conversation" / "the two leaders talked" beside "a telephone conversation" is that call too.
    # A meeting placed somewhere stays beside a phone call of the same day ("met on the sidelines of
    # the G20 summit in Mexico" beside "delaying a congratulatory call"): a phone call has no place.
    calls = {(frozenset(e.participants), e.date): e.medium for e, _ in merged
             if e.status is EventStatus.OCCURRED and e.type is EventType.CALL}
    merged = _fold_multilateral(merged)
    return [
        (e, g) for e, g in merged
        if not (e.status is EventStatus.PLANNED and (e.type, frozenset(e.participants), e.date) in occurred)
        and not (e.type is EventType.MEET and e.status is EventStatus.OCCURRED
                 and (frozenset(e.participants), e.date) in calls
                 and (e.location is None or calls[(frozenset(e.participants), e.date)] is Medium.VIDEO))
    ]


_MULTILATERAL = 4


def _fold_multilateral(merged: list[tuple[EventMention, list[EventMention]]]
                       ) -> list[tuple[EventMention, list[EventMention]]]:
    """A summit named with four of its five leaders in one sentence and all five in another is one
    gathering. Only for four or more: a trilateral beside its bilaterals stays three events."""
    out: list[tuple[EventMention, list[EventMention]]] = []
    for e, g in merged:
        bigger = next((b for b, _ in merged if len(e.participants) >= _MULTILATERAL
                       and set(e.participants) < set(b.participants) and _same_kind(b, e)), None)
        if bigger is None:
            out.append((e, g))
    for i, (e, g) in enumerate(out):
        extra = [m for x, xg in merged if (x, xg) not in out and set(x.participants) < set(e.participants)
                 and _same_kind(x, e) for m in xg]
        if extra:
            out[i] = (e, g + extra)
    return out


def _same_kind(a: EventMention, b: EventMention) -> bool:
    return (a.type, a.status, a.medium, a.date) == (b.type, b.status, b.medium, b.date)
