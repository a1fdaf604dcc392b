"""Deterministic contract messages for the store tests: articles about meetings, their events, an alert."""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime

from newswire.contracts import (
    Alert,
    AlertSource,
    EnrichedArticle,
    Entity,
    Event,
    EventType,
    Evidence,
    Location,
    Participant,
    Processing,
    RawArticle,
)

XI = Participant(id="Q15031", name="Xi Jinping", role="President", country="CN")
PUTIN = Participant(id="Q7747", name="Vladimir Putin", role="President", country="RU")
ERDOGAN = Participant(id="Q39723", name="Recep Tayyip Erdoğan", role="President", country="TR")
PROC = Processing(model="en_core_web_sm", model_version="3.8.0", pipeline_version="test", took_ms=1.0)


def _entity(body: str, text: str, label: str, kb_id: str | None, canonical: str | None = None) -> Entity:
    start = body.index(text)
    return Entity(
        text=text, label=label, start=start, end=start + len(text), kb_id=kb_id, canonical=canonical
    )


def meeting_article(
    n: int, *, day: int = 10, source: str = "wire-a", event_id: str = "ev-xi-putin"
) -> EnrichedArticle:
    title = f"Xi and Putin meet in Moscow ({n})"
    body = f"MOSCOW (AP) — Xi Jinping met Vladimir Putin in Moscow on Tuesday, report {n}. NATO watched."
    text = title + "\n\n" + body
    published = datetime(2024, 3, day, 8, n % 60, tzinfo=UTC)
    art = RawArticle(
        url=f"https://example.test/{source}/{n}",
        source=source,
        title=title,
        body=body,
        published_at=published,
        received_at=published,
        dateline="MOSCOW",
        agency="AP",
    )
    sentence = f"Xi Jinping met Vladimir Putin in Moscow on Tuesday, report {n}."
    ev = Event(
        id=event_id,
        type=EventType.MEET,
        participants=[XI, PUTIN],
        location=Location(name="Moscow", country="RU"),
        date=dt.date(2024, 3, 5),
        evidence=[
            Evidence(
                article_id=art.id,
                sentence=sentence,
                start=text.index(sentence),
                end=text.index(sentence) + len(sentence),
                url=art.url,
                title=title,
                source=source,
                published_at=published,
            )
        ],
        confidence=0.9,
    )
    ents = [
        _entity(text, "Xi Jinping", "PERSON", "Q15031", "Xi Jinping"),
        _entity(text, "Vladimir Putin", "PERSON", "Q7747", "Vladimir Putin"),
        _entity(text, "Moscow", "GPE", "Q649", "Moscow"),
        _entity(text, "NATO", "ORG", "Q7184", "NATO"),
    ]
    return EnrichedArticle(article=art, entities=ents, events=[ev], processing=PROC)


def ankara_article() -> EnrichedArticle:
    title = "NATO envoys gather in Ankara"
    body = (
        "ANKARA (Reuters) — NATO envoys met in Ankara as Recep Tayyip Erdoğan hosted talks on grain exports."
    )
    text = title + "\n\n" + body
    published = datetime(2024, 6, 4, 12, 0, tzinfo=UTC)
    art = RawArticle(
        url="https://example.test/ankara",
        source="wire-b",
        title=title,
        body=body,
        published_at=published,
        received_at=published,
    )
    ents = [
        _entity(text, "NATO", "ORG", "Q7184", "NATO"),
        _entity(text, "Ankara", "GPE", "Q3640", "Ankara"),
        _entity(text, "Recep Tayyip Erdoğan", "PERSON", "Q39723", "Recep Tayyip Erdoğan"),
    ]
    return EnrichedArticle(article=art, entities=ents, events=[], processing=PROC)


def call_event() -> Event:
    """An event that arrives on the events topic alone (no article stored for it)."""
    return Event(
        id="ev-erdogan-putin-call",
        type=EventType.CALL,
        participants=[ERDOGAN, PUTIN],
        date=dt.date(2024, 6, 1),
        evidence=[
            Evidence(
                article_id="a-elsewhere",
                sentence="Erdoğan called Putin.",
                start=0,
                end=21,
                url="https://example.test/elsewhere",
                title="Call",
                source="wire-c",
                published_at=datetime(2024, 6, 1, 9, tzinfo=UTC),
            )
        ],
        confidence=0.8,
    )


def alert_for(articles: list[EnrichedArticle], *, last_hour: int = 9) -> Alert:
    ev = articles[0].events[0]
    return Alert(
        id=f"leaders-meet/{ev.id}",  # the alert service's id format: <rule>/<event id>
        rule="leaders-meet",
        severity="high",
        title="Xi Jinping met Vladimir Putin",
        event_id=ev.id,
        event_type=ev.type,
        event_status=ev.status,
        participants=list(ev.participants),
        location=ev.location,
        date=ev.date,
        evidence=ev.evidence[0].sentence,
        sources=[
            AlertSource(article_id=a.id, url=a.article.url, title=a.article.title, source=a.article.source)
            for a in articles
        ],
        source_count=len(articles),
        first_seen=datetime(2024, 3, 10, 8, tzinfo=UTC),
        last_seen=datetime(2024, 3, 10, last_hour, tzinfo=UTC),
        sent_at=datetime(2024, 3, 10, last_hour, tzinfo=UTC),
    )
