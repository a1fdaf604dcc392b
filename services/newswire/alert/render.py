"""Words for people: the alert title and the plain-text body shared by Slack, e-mail and the log."""

from __future__ import annotations

from newswire.contracts import Alert, Event, EventStatus, EventType

__all__ = ["body_text", "title_for"]

# past tense (occurred), infinitive (planned), noun (cancelled)
_VERBS: dict[EventType, tuple[str, str, str]] = {
    EventType.MEET: ("met", "to meet", "meeting"),
    EventType.CALL: ("spoke by phone with", "to call", "call"),
    EventType.VISIT: ("visited", "to visit", "visit"),
    EventType.AGREE: ("reached an agreement with", "to sign an agreement with", "agreement"),
    EventType.ACCUSE: ("accused", "to accuse", "accusation"),
    EventType.CRITICIZE: ("criticised", "to criticise", "criticism"),
    EventType.SANCTION: ("sanctioned", "to sanction", "sanctions"),
}


def _and(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def title_for(event: Event) -> str:
    """'Xi Jinping met Vladimir Putin in Beijing'; 'Xi Jinping to meet ...'; 'Cancelled: ... meeting ...'."""
    names = list(dict.fromkeys(p.name for p in event.participants))
    first, others = names[0], names[1:]
    past, future, noun = _VERBS[event.type]
    where = f" in {event.location.name}" if event.location else ""
    if event.status is EventStatus.CANCELLED:
        with_ = f" with {_and(others)}" if others else ""
        return f"Cancelled: {first}'s {noun}{with_}{where}"
    verb = future if event.status is EventStatus.PLANNED else past
    if not others:
        return f"{first} {verb.split(' with')[0]}{where}".rstrip()
    return f"{first} {verb} {_and(others)}{where}"


def body_text(alert: Alert) -> str:
    when = alert.date.isoformat() if alert.date else "date unknown"
    lines = [
        f"[{alert.severity.upper()}] {alert.title} ({when})"
        + (" — update" if alert.state == "updated" else ""),
        f"“{alert.evidence}”",
        f"Sources ({alert.source_count}):",
    ]
    lines += [f"  - {s.title or s.article_id}: {s.url or '(no url)'}" for s in alert.sources]
    lines.append(f"rule {alert.rule} · event {alert.event_id} · alert {alert.id}")
    return "\n".join(lines)
