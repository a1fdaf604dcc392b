"""`newswire_speakers_v1`: who is speaking in a transcript, and the first names leaders call each other.

* Speaker labels: "PRESIDENT TRUMP:" at the start of a line (White House remarks) or a linked
  leader followed by a colon ("President of Russia Vladimir Putin: ...", "Angela Merkel
  (retranslated): ..."). doc._.speakers lists
  (token index, leader id) in text order, so "we had a good meeting with X" in a turn has a subject.
* In a transcript (two or more labels), a bare first name ("with Justin and his team") links to the
  one leader in office on the article date with that first name. Outside transcripts first names
  are left alone: news copy names people in full, and "Justin" there may be anyone.
"""

from __future__ import annotations

import datetime as dt
import re

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..knowledge import KnowledgeBase, load_knowledge
from .extensions import LeaderRef, ensure_extensions
from .role_dates import office_day

__all__ = ["SpeakerTurns", "is_label"]

# "PRESIDENT PUTIN:", "ANTHONY ALBANESE, PRIME MINISTER OF AUSTRALIA:" (the office after a comma)
_CAPS_LABEL = re.compile(
    r"(?m)^[ \t]*((?:[A-Z][A-Z.'’-]*[ \t]+){0,3}[A-Z][A-Z'’-]+)(?:,[ \t]*[A-Z][A-Z.'’ -]{2,60})?[ \t]*:")
_MIN_LABELS = 2  # one label is a quote; two make a transcript


def is_label(ent: Span) -> bool:
    """A name that opens a transcript turn: 'Vladimir Putin:', 'Angela Merkel (retranslated):'."""
    doc, i = ent.doc, ent.end
    while i < len(doc) and i - ent.end < 3 and doc[i].pos_ == "PROPN" and doc[i].is_title:
        i += 1  # the rest of a name the entity covers in part: "Lula Da Silva"
    if i < len(doc) and doc[i].text == "(":
        close = next((t for t in doc[i:i + 6] if t.text in (")", "):")), None)
        if close is not None and close.text == "):":  # the tokenizer keeps "):" whole
            return True
        i = close.i + 1 if close is not None else i
    return i < len(doc) and doc[i].text == ":"


class SpeakerTurns:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        given: dict[str, list[str]] = {}
        for leader in kb.by_id.values():
            given.setdefault(leader.name.split()[0], []).append(leader.id)
        self.given = given

    def __call__(self, doc: Doc) -> Doc:
        day = office_day(doc)
        leaders: dict[str, LeaderRef] = dict(doc._.leaders or {})
        labels: list[tuple[int, str]] = []
        for m in _CAPS_LABEL.finditer(doc.text):
            words = m.group(1).split()
            leader_id = self._in_office(words[-1].title().replace("’", "'"), day)
            span = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
            if leader_id is not None and span is not None:
                labels.append((span.start, leader_id))
        for ent in doc.ents:
            if is_label(ent) and ent.label_ == "PERSON" and ent.kb_id_ in leaders:
                labels.append((ent.start, ent.kb_id_))
        labels.sort()
        doc._.speakers = labels
        if len(labels) >= _MIN_LABELS:
            self._link_first_names(doc, leaders, day)
        for _, leader_id in labels:
            self._remember(leaders, leader_id, day)
        doc._.leaders = leaders
        return doc

    def _in_office(self, surname: str, day: dt.date) -> str | None:
        ids = [i for i in self.kb.by_surname.get(surname, []) if self.kb.in_office(i, day)]
        return ids[0] if len(ids) == 1 else None

    def _link_first_names(self, doc: Doc, leaders: dict[str, LeaderRef], day: dt.date) -> None:
        # A lone first name may come out of NER as any label ("with Justin" as ORG): one-token
        # entities give way; longer ones ("Justin Bieber", a linked leader) are kept.
        taken = {t for e in doc.ents if len(e) > 1 or e.kb_id_ for t in range(e.start, e.end)}
        new: list[Span] = []
        for tok in doc:
            if tok.pos_ != "PROPN" or tok.i in taken or tok.text not in self.given:
                continue
            if tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "PROPN":
                continue  # "Justin Bieber": a full name that is not our leader's
            ids = [i for i in self.given[tok.text] if self.kb.in_office(i, day)]
            if len(ids) == 1:
                new.append(Span(doc, tok.i, tok.i + 1, label="PERSON", kb_id=ids[0]))
                self._remember(leaders, ids[0], day)
        if new:
            replaced = {s.start for s in new}
            doc.ents = filter_spans([*(e for e in doc.ents if e.start not in replaced), *new])

    def _remember(self, leaders: dict[str, LeaderRef], leader_id: str, day: dt.date) -> None:
        if leader_id not in leaders:
            role, country = self.kb.office_on(leader_id, day)
            leaders[leader_id] = LeaderRef(leader_id, self.kb.by_id[leader_id].name, role, country)


@Language.factory(
    "newswire_speakers_v1",
    default_config={"leaders_file": None},
    requires=["doc.ents", "doc._.leaders"],
    assigns=["doc.ents", "doc._.leaders", "doc._.speakers"],
)
def make_speakers(nlp: Language, name: str, leaders_file: str | None) -> SpeakerTurns:
    ensure_extensions()
    return SpeakerTurns(load_knowledge(leaders_file))
