"""`newswire_leader_linker_v1`: give every PERSON its knowledge-base id.

Full aliases carry their id from the gazetteer. Other full names are compared by their parts
(knowledge/names.py: honorifics, titles and suffixes stripped, any word order, ASCII-folded,
"KISHIDA Fumio", "H.E. Mr. YOON Suk Yeol", "the Honorable Joseph R. Biden, Jr."). Short forms
("Putin", "Mr. Xi", "Prime Minister KISHIDA") link to a full name seen anywhere in the same document,
else to the only KB person of that name in office on the mention's day (role_dates.py), or, in an
undated article, to the only KB person of that name; a surname under a title ("the overthrow of
President Aristide") to the one person of that name who ever held the title's office; otherwise they
are dropped. A full name in another transliteration ("Bismullah Khan Muhammadi") is its leader when
the consonants agree and only one leader fits. In an article with no date at all, offices are
resolved on a day the named leaders were in office together (KnowledgeBase.common_day), not today.
A PERSON that is really a place ("Kyiv") becomes a GPE."""

from __future__ import annotations

import datetime as dt

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..knowledge import KnowledgeBase, ascii_fold, load_knowledge
from ..knowledge.names import name_index, name_parts
from .extensions import LeaderRef, ensure_extensions
from .gazetteer import SHORT_ID
from .places import place_index
from .role_dates import OFFICE_DAY, day_of, has_full_date

__all__ = ["LeaderLinker"]

_HONORIFICS = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "madam", "comrade",
                         "sheikh", "ayatollah", "dame", "lord"})


class LeaderLinker:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.places = place_index(kb)
        role_words = {w for r in kb.role_phrases for w in r.phrase.lower().split()}
        self.titles = frozenset(kb.lexicon.name_titles) | role_words | _HONORIFICS
        self.names = name_index(kb)
        self.honorific_words = frozenset(p[0] for p in self.names.rules.strip if len(p) == 1)
        self.title_roles: dict[tuple[str, ...], frozenset[str]] = {}
        for r in kb.role_phrases:
            key = tuple(r.phrase.lower().split())
            self.title_roles[key] = self.title_roles.get(key, frozenset()) | {x.value for x in r.roles}

    def __call__(self, doc: Doc) -> Doc:
        persons = [e for e in doc.ents if e.label_ == "PERSON"]
        if not has_full_date(doc):  # no date anywhere: offices by the named leaders' common time
            named = (e.ent_id_ if e.ent_id_ in self.kb.by_id else self._only_one(e.text) for e in persons)
            day = self.kb.common_day([i for i in named if i], dt.date.today())
            if day is not None:
                doc.user_data[OFFICE_DAY] = day
        # Full names first, so that a surname anywhere in the document can lean on them.
        full: dict[int, str | None] = {e.start: self._full(e) for e in persons if e.ent_id_ != SHORT_ID}
        full_ids = [i for i in full.values() if i is not None]
        leaders: dict[str, LeaderRef] = dict(doc._.leaders or {})
        spans: list[Span] = []
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                spans.append(ent)
                continue
            span = self._strip_honorific(ent)
            day = day_of(ent)
            leader_id = full.get(ent.start) or self._resolve(span, ent.ent_id_, full_ids, day)
            if leader_id is not None:
                if leader_id not in full_ids:  # "President Aristide ... Mr Aristide": one person
                    full_ids.append(leader_id)
                spans.append(Span(doc, span.start, span.end, label="PERSON", kb_id=leader_id))
                role, country = self.kb.office_on(leader_id, day)
                name = self.kb.by_id[leader_id].name
                leaders.setdefault(leader_id, LeaderRef(leader_id, name, role, country))
                continue
            place = self.places.get(span.text)
            if place is not None:
                spans.append(Span(doc, span.start, span.end, label="FAC" if place.kind == "venue" else "GPE"))
            elif ent.ent_id_ != SHORT_ID and not self._only_honorifics(ent):
                spans.append(ent)  # a person, not (yet) a known leader: the role component may title it
        doc.ents = filter_spans(spans)
        doc._.leaders = leaders
        return doc

    def _short_form(self, text: str) -> list[str]:
        """KB people a short form ('Obama', 'Erdogan') names, as written or ASCII-folded."""
        return self.kb.by_surname.get(text) or self.kb.by_surname.get(ascii_fold(text)) or []

    def _only_one(self, text: str) -> str | None:
        """The one KB person a short form names, if only one."""
        ids = self._short_form(text)
        return ids[0] if len(ids) == 1 else None

    def _only_honorifics(self, ent: Span) -> bool:
        """'the Rt Hon' tagged apart from the name after it: no person."""
        return all(t.lower_.rstrip(".") in self.honorific_words or t.lower_ in self.honorific_words
                   for t in ent)

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
        if low in self.titles or low in self.kb.demonyms or prev.ent_type_ == "ORG":
            return False
        # NER often tags an unfamiliar given name GPE or NORP ("Akylbek" NORP): only a place we know
        # ("Tokyo's Kishida" aside) is a place here.
        return not (prev.ent_type_ in ("GPE", "NORP", "LOC") and self.places.get(prev.text) is not None)

    def _is_country(self, text: str) -> bool:
        return self.kb.country_of_word(text) is not None

    def _full(self, ent: Span) -> str | None:
        """The leader a name of two or more words names, by its parts: with the honorifics that some
        names carry ("Sheikh Hasina"), then without them ("King Abdullah II"). None when no one or
        more than one leader fits."""
        if ent.ent_id_ in self.kb.by_id:
            return ent.ent_id_
        words = [t.text for t in ent]
        for keep in (True, False):
            parts = name_parts(words, self.names.rules, self._is_country, keep_name_honorifics=keep)
            if len(parts) < 2:
                return None
            ids = self.names.lookup(parts) or (self.names.spelled_otherwise(parts) if not keep else [])
            if len(ids) == 1:
                return ids[0]
            if ids:
                in_office = [i for i in ids if self.kb.in_office(i, day_of(ent))]
                return in_office[0] if len(in_office) == 1 else None
        return None

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
        candidates = ids or self._short_form(text)
        if not candidates:  # "Prime Minister KISHIDA", "Mr Erdogan's": any case, any diacritics
            parts = name_parts([t.text for t in span], self.names.rules, self._is_country)
            candidates = self.names.surname(parts) if len(parts) == 1 else []
        in_doc = [c for c in candidates if c in full_ids]
        if len(set(in_doc)) == 1:
            return in_doc[0]
        # "Foreign Minister Wong" beside "Penny Wong": the one full name here that ends so
        named = {i for i in full_ids if ascii_fold(self.kb.by_id[i].name.split()[-1]) == ascii_fold(text)}
        if len(named) == 1:
            return named.pop()
        if span.doc._.undated and len(set(candidates)) == 1:
            return candidates[0]  # no day to be in office on: the one person of that name
        in_office = [c for c in candidates if self.kb.in_office(c, day)]
        if len(in_office) == 1:
            return in_office[0]
        return self._former_holder(span, candidates) if not in_office else None

    def _former_holder(self, span: Span, candidates: list[str]) -> str | None:
        """'the overthrow of President Aristide' in 2005: a surname under a title is the one person
        of that name who ever held the title's office, in office that day or not."""
        before = [t.lower_ for t in span.doc[max(0, span.start - 3):span.start]]
        roles = next((self.title_roles[tuple(before[k:])] for k in range(len(before))
                      if tuple(before[k:]) in self.title_roles), None)
        if roles is None:
            return None
        held = {c for c in candidates if any(o.role.value in roles for o in self.kb.by_id[c].offices)}
        return held.pop() if len(held) == 1 else None


@Language.factory(
    "newswire_leader_linker_v1",
    default_config={"leaders_file": None},
    requires=["doc.ents"],
    assigns=["doc.ents", "doc._.leaders"],
)
def make_linker(nlp: Language, name: str, leaders_file: str | None) -> LeaderLinker:
    ensure_extensions()
    return LeaderLinker(load_knowledge(leaders_file))
