"""`newswire_leader_linker_v1`: give every PERSON its knowledge-base id.

Full aliases carry their id from the gazetteer. Short forms ("Putin", "Mr. Xi") link to a full name
seen anywhere in the same document, else to the only KB person of that name in office on the article
date; otherwise they are dropped. A PERSON that is really a place ("Kyiv") becomes a GPE."""

from __future__ import annotations

import datetime as dt

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..knowledge import KnowledgeBase, ascii_fold, load_knowledge
from .extensions import LeaderRef, ensure_extensions, published
from .gazetteer import SHORT_ID
from .places import place_index

__all__ = ["LeaderLinker"]

_HONORIFICS = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "madam", "comrade",
                         "sheikh", "ayatollah", "dame", "lord"})


class LeaderLinker:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.places = place_index(kb)
        role_words = {w for r in kb.role_phrases for w in r.phrase.lower().split()}
        self.titles = frozenset(kb.lexicon.name_titles) | role_words | _HONORIFICS

    def __call__(self, doc: Doc) -> Doc:
        day = published(doc)
        full_ids = [e.ent_id_ for e in doc.ents if e.label_ == "PERSON" and e.ent_id_ in self.kb.by_id]
        leaders: dict[str, LeaderRef] = dict(doc._.leaders or {})
        spans: list[Span] = []
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                spans.append(ent)
                continue
            span = self._strip_honorific(ent)
            leader_id = self._resolve(span, ent.ent_id_, full_ids, day)
            if leader_id is not None:
                spans.append(Span(doc, span.start, span.end, label="PERSON", kb_id=leader_id))
                role, country = self.kb.office_on(leader_id, day)
                name = self.kb.by_id[leader_id].name
                leaders.setdefault(leader_id, LeaderRef(leader_id, name, role, country))
                continue
            place = self.places.get(span.text)
            if place is not None:
                spans.append(Span(doc, span.start, span.end, label="FAC" if place.kind == "venue" else "GPE"))
            elif ent.ent_id_ != SHORT_ID:
                spans.append(ent)  # a person, not (yet) a known leader: the role component may title it
        doc.ents = filter_spans(spans)
        doc._.leaders = leaders
        return doc

    @staticmethod
    def _strip_honorific(ent: Span) -> Span:
        start = ent.start
        while start < ent.end - 1 and ent.doc[start].lower_ in _HONORIFICS:
            start += 1
        return ent.doc[start:ent.end]

    def _other_given_name(self, span: Span) -> bool:
        """A bare surname right after a capitalised word that is no title nor country word:
        'Akylbek Japarov' with only 'Japarov' tagged is someone else than Sadyr Japarov."""
        if span.start == 0 or len(span) != 1:
            return False
        prev = span.doc[span.start - 1]
        if not (prev.is_alpha and prev.is_title) or prev.is_sent_start:
            return False
        low = prev.lower_
        return low not in self.titles and low not in self.kb.demonyms and prev.ent_type_ not in (
            "GPE", "NORP", "ORG", "LOC")

    def _resolve(self, span: Span, ruler_id: str, full_ids: list[str], day: dt.date) -> str | None:
        if ruler_id in self.kb.by_id:
            return ruler_id
        text = span.text.replace("’", "'")
        if text.endswith("'s"):
            text = text[:-2]
        ids = self.kb.by_alias.get(text) or self.kb.by_alias.get(ascii_fold(text))
        if ids and len(ids) == 1:
            return ids[0]
        if not ids and self._other_given_name(span):
            return None
        candidates = ids or self.kb.by_surname.get(text) or self.kb.by_surname.get(ascii_fold(text)) or []
        in_doc = [c for c in candidates if c in full_ids]
        if len(set(in_doc)) == 1:
            return in_doc[0]
        in_office = [c for c in candidates if self.kb.in_office(c, day)]
        return in_office[0] if len(in_office) == 1 else None


@Language.factory(
    "newswire_leader_linker_v1",
    default_config={"leaders_file": None},
    requires=["doc.ents"],
    assigns=["doc.ents", "doc._.leaders"],
)
def make_linker(nlp: Language, name: str, leaders_file: str | None) -> LeaderLinker:
    ensure_extensions()
    return LeaderLinker(load_knowledge(leaders_file))
