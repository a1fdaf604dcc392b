"""Contracts -> table rows. Pure: no SQL, no I/O, so the mapping is unit-tested on its own.

A batch is folded into one `Rows` value keyed by primary key, because one upsert statement may not
touch the same row twice (PostgreSQL refuses it). Within a batch the later message wins for a
row's columns; evidence, participants and sources only ever accumulate.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

from newswire import fulltext
from newswire.contracts import Alert, EnrichedArticle, Entity, Event, SearchVector

__all__ = ["VALUE_LABELS", "Rows", "doc_key", "entity_id_for", "name_key", "rows_for", "tsvector_of"]

Row = dict[str, Any]
Message = EnrichedArticle | Event | Alert


def name_key(name: str) -> str:
    """Lookup key for names typed by people: case and surrounding space do not matter."""
    return " ".join(name.split()).casefold()


def doc_key(article_id: str) -> int:
    """A stable signed 63-bit integer for an article id (the SQLite FTS5 rowid)."""
    return int.from_bytes(hashlib.sha256(article_id.encode("utf-8")).digest()[:8], "big") >> 1


def tsvector_of(search: SearchVector | None, title: str | None, body: str) -> bytes:
    """An article's binary tsvector: the one enrich built, else built here by the same rules (a
    producer that sends none, or one from a tokenizer this store does not know)."""
    if search is not None and search.tokenizer == fulltext.TOKENIZER:
        try:
            return base64.b64decode(search.tsvector, validate=True)
        except binascii.Error:
            pass  # not base64 after all: rebuild rather than lose the article
    return fulltext.binary_tsvector(fulltext.article_terms(title, body))


# OntoNotes' value types: a date, a number or an amount is not a thing to look up or follow, and
# as "entities" they crowd co-mention lists ("Thursday", "two"). Their mentions are kept, with no
# entity id, and they make no entity rows.
VALUE_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})


def entity_id_for(entity: Entity) -> str:
    """Same rule as Participant.id: the knowledge-base id, else 'name:<canonical name>'."""
    return entity.kb_id or f"name:{entity.canonical or entity.text}"


@dataclass
class Rows:
    articles: dict[str, Row] = field(default_factory=dict)
    # article id -> its search terms as sent; turned into a column only where one exists (PostgreSQL)
    search_of: dict[str, SearchVector | None] = field(default_factory=dict)
    entities: dict[str, Row] = field(default_factory=dict)
    events: dict[str, Row] = field(default_factory=dict)
    participants: dict[tuple[str, str], Row] = field(default_factory=dict)
    evidence: dict[tuple[str, str, int], Row] = field(default_factory=dict)
    alerts: dict[str, Row] = field(default_factory=dict)
    alert_sources: dict[tuple[str, str], Row] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.articles) + len(self.events) + len(self.alerts)

    def split(self, n: int) -> list[Rows]:
        """The same rows in up to `n` disjoint parts for parallel transactions, each row in the part
        of its owner (an article's search vector with the article; an event's participants and evidence
        with the event; an alert's sources with the alert), so no two parts touch the same row and
        concurrent writers never wait on each other. Empty parts are left out."""
        if n <= 1:
            return [self]
        parts = [Rows() for _ in range(n)]
        for f in fields(self):
            for key, value in getattr(self, f.name).items():
                owner = key[0] if isinstance(key, tuple) else key  # (event id, ...), (alert id, ...)
                getattr(parts[zlib.crc32(owner.encode("utf-8")) % n], f.name)[key] = value
        return [p for p in parts if not p.is_empty()]

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))

    def add(self, message: Message) -> None:
        if isinstance(message, EnrichedArticle):
            self._article(message)
        elif isinstance(message, Event):
            self._event(message)
        else:
            self._alert(message)

    # ------------------------------------------------------------------ articles

    def _article(self, msg: EnrichedArticle) -> None:
        a = msg.article
        self.articles[a.id] = row = {
            "id": a.id,
            "doc_key": doc_key(a.id),
            "url": a.url,
            "source": a.source,
            "title": a.title,
            "body": a.body,
            "published_at": a.published_at or a.received_at,  # undated pages sort by arrival
            "received_at": a.received_at,
            "language": a.language,
            "dateline": a.dateline,
            "agency": a.agency,
            "model": f"{msg.processing.model}@{msg.processing.model_version}",
            "pipeline_version": msg.processing.pipeline_version,
        }
        self.search_of[a.id] = msg.search
        mentions: dict[tuple[int, int], Row] = {}  # one per span: a span named twice keeps the last
        for ent in msg.entities:
            eid = None if ent.label in VALUE_LABELS else entity_id_for(ent)
            if eid is not None:
                self._entity(eid, ent.canonical or ent.text, ent.label)
            mentions[(ent.start, ent.end)] = {
                "start": ent.start,
                "end": ent.end,
                "entity_id": eid,
                "text": ent.text,
                "label": ent.label,
            }
        row["mentions"] = [mentions[span] for span in sorted(mentions)]
        row["entity_ids"] = sorted({m["entity_id"] for m in mentions.values() if m["entity_id"] is not None})
        for event in msg.events:
            self._event(event)

    def _entity(self, eid: str, name: str, label: str) -> None:
        if eid not in self.entities:  # the first name seen for an id is kept (as the upsert does)
            self.entities[eid] = {"id": eid, "name": name, "name_key": name_key(name), "label": label}

    # ------------------------------------------------------------------ events

    def _event(self, ev: Event) -> None:
        published = [e.published_at for e in ev.evidence if e.published_at is not None]
        known = self.events.get(ev.id)
        day = ev.date or (min(published).astimezone(UTC).date() if published else None)
        if day is None:
            day = known["day"] if known else datetime.now(UTC).date()
        self.events[ev.id] = {
            "id": ev.id,
            "type": ev.type.value,
            "status": ev.status.value,
            "medium": ev.medium.value if ev.medium else None,
            "location_name": ev.location.name if ev.location else None,
            "location_key": name_key(ev.location.name) if ev.location else None,
            "location_country": ev.location.country if ev.location else None,
            "date": ev.date if ev.date is not None else (known["date"] if known else None),
            "day": day,
            "confidence": ev.confidence,
        }
        for p in ev.participants:
            self._entity(p.id, p.name, "PERSON")
            self.participants[(ev.id, p.id)] = {
                "event_id": ev.id,
                "participant_id": p.id,
                "name": p.name,
                "name_key": name_key(p.name),
                "role": p.role,
                "country": p.country,
                "day": day,  # the stored event's day wins once written (repository syncs it)
            }
        for e in ev.evidence:
            self.evidence[(ev.id, e.article_id, e.start)] = {
                "event_id": ev.id,
                "article_id": e.article_id,
                "start": e.start,
                "end": e.end,
                "sentence": e.sentence,
                "url": e.url,
                "title": e.title,
                "source": e.source,
                "published_at": e.published_at,
            }

    # ------------------------------------------------------------------ alerts

    def _alert(self, al: Alert) -> None:
        known = self.alerts.get(al.id)
        if known is not None and known["last_seen"] > al.last_seen:
            pass  # an older notice of the same alert: keep the newer row, still collect its sources
        else:
            self.alerts[al.id] = {
                "id": al.id,
                "rule": al.rule,
                "severity": al.severity,
                "state": al.state.value,
                "title": al.title,
                "event_id": al.event_id,
                "event_type": al.event_type.value,
                "event_status": al.event_status.value,
                "medium": al.medium.value if al.medium else None,
                "participants": [p.model_dump(mode="json") for p in al.participants],
                "location": al.location.model_dump(mode="json") if al.location else None,
                "date": al.date,
                "evidence": al.evidence,
                "source_count": al.source_count,
                "first_seen": al.first_seen,
                "last_seen": al.last_seen,
                "sent_at": al.sent_at,
            }
        for s in al.sources:
            self.alert_sources[(al.id, s.article_id)] = {
                "alert_id": al.id,
                "article_id": s.article_id,
                "url": s.url,
                "title": s.title,
                "source": s.source,
            }


def rows_for(messages: Iterable[Message]) -> Rows:
    rows = Rows()
    for m in messages:
        rows.add(m)
    return rows
