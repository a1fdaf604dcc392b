"""One batch of raw records -> enriched articles, events and dead letters. Pure: no Kafka here.

The faust agent (app.py) hands records in and sends what comes out, so everything that can go
wrong with a record is decided here and tested without a broker.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from newswire.contracts import EnrichedArticle, Event, RawArticle
from newswire.errors import BadMessage
from newswire.kafka.serde import decode
from newswire.observability import log

__all__ = ["EnrichBatch", "EnricherPort", "InRecord", "Outbox"]

_log = log("enrich")


class EnricherPort(Protocol):
    def enrich(self, articles: Sequence[RawArticle]) -> list[EnrichedArticle]: ...


@dataclass(frozen=True)
class InRecord:
    topic: str
    partition: int | None
    offset: int | None
    key: bytes | None
    value: bytes | None


@dataclass
class Outbox:
    enriched: list[EnrichedArticle] = field(default_factory=list)
    dead: list[tuple[InRecord, str]] = field(default_factory=list)

    @property
    def events(self) -> list[Event]:
        return [ev for art in self.enriched for ev in art.events]


class EnrichBatch:
    """Decode, enrich in one NLP pass, and isolate any record that cannot be processed."""

    def __init__(self, enricher: EnricherPort) -> None:
        self._enricher = enricher

    def __call__(self, records: Sequence[InRecord]) -> Outbox:
        out = Outbox()
        good: list[tuple[InRecord, RawArticle]] = []
        for rec in records:
            try:
                good.append((rec, decode(RawArticle, rec.value)))
            except BadMessage as e:
                out.dead.append((rec, str(e)))
        if not good:
            return out
        try:
            out.enriched.extend(self._enricher.enrich([a for _, a in good]))
        except Exception:
            # One poisoned article must not take the batch with it: retry one by one.
            _log.exception("batch enrichment failed; isolating", extra={"size": len(good)})
            for rec, article in good:
                try:
                    out.enriched.extend(self._enricher.enrich([article]))
                except Exception as e:  # a bug or a pathological text: keep the record, say why
                    out.dead.append((rec, f"enrichment failed: {type(e).__name__}: {e}"))
        return out
