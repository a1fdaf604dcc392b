"""Does a rule select an event? Pure function of the rule and the event."""

from __future__ import annotations

from newswire.alert.names import normalise
from newswire.alert.rules import Rule
from newswire.contracts import Event, Participant

__all__ = ["matches", "participant_key", "participant_names"]


def participant_names(event: Event) -> set[str]:
    return {normalise(p.name) for p in event.participants}


def participant_key(participants: list[Participant]) -> str:
    """Order-free identity of who took part: the inhibition key (planned vs occurred)."""
    return "|".join(sorted({normalise(p.name) for p in participants}))


def matches(rule: Rule, event: Event) -> bool:
    m = rule.match
    if m.types is not None and event.type not in m.types:
        return False
    if m.status is not None and event.status not in m.status:
        return False
    if event.confidence < m.min_confidence:
        return False
    if m.countries is not None:
        have = {p.country.upper() for p in event.participants if p.country}
        if event.location and event.location.country:
            have.add(event.location.country.upper())
        if not have & {c.upper() for c in m.countries}:
            return False
    if m.locations is not None:
        if event.location is None or normalise(event.location.name) not in {
            normalise(x) for x in m.locations
        }:
            return False
    names = participant_names(event)
    p = rule.participants
    if p.of is not None and p.at_least is not None and len(names & {normalise(n) for n in p.of}) < p.at_least:
        return False
    if p.any_of is not None and not names & {normalise(n) for n in p.any_of}:
        return False
    return not (p.all_of is not None and not {normalise(n) for n in p.all_of} <= names)
