"""Find the words that report an event in a sentence, and what kind of event each one reports."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

import numpy as np
from spacy.attrs import LEMMA, LOWER
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from newswire.contracts import EventType, Medium

from ..knowledge import Lexicon

__all__ = ["DocTriggers", "Trigger", "TriggerFinder"]

# Verbs whose object must be a leader for the verb to report a meeting ("received a delegation",
# "received word" are not meetings).
_OBJECT_VERBS = frozenset({"host", "welcome", "receive", "greet"})
_CALL_VERBS = frozenset({"call", "phone", "telephone", "ring"})


@dataclass(frozen=True)
class DocTriggers:
    phrases: list[tuple[str, int, int]]  # (label, start, end) of multi-word trigger phrases
    tokens: list[int]  # sorted indices of tokens whose lemma or lower form is a single trigger word


@dataclass(frozen=True)
class Trigger:
    type: EventType
    medium: Medium | None
    token: Token
    # 2 verb, 1 noun/phrase, 0 a verb of speaking: a verb anchors status and participants better
    strength: int


class TriggerFinder:
    def __init__(self, nlp: Language, lex: Lexicon) -> None:
        self.lex = lex
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        for label, words in (("MEET", lex.meet_phrases), ("CALL", lex.call_words), ("VIDEO", lex.video_words),
                             ("AGREE", lex.agree_words)):
            self.phrases.add(label, [nlp.make_doc(w) for w in words if " " in w or "-" in w])
        self.single = {
            "CALL": {w for w in lex.call_words if " " not in w},
            "VIDEO": {w for w in lex.video_words if " " not in w},
            "AGREE": {w for w in lex.agree_words if " " not in w},
        }
        vocabulary = {w for ws in (*self.single.values(), lex.meet_verbs, lex.meet_nouns, lex.visit_words,
                                   lex.travel_verbs,
                                   lex.speak_verbs,
                              lex.accuse_words, lex.criticize_words, lex.sanction_words) for w in ws}
        forms = {f for w in vocabulary for f in (w, w.capitalize(), w.upper())}  # lemmas of PROPN keep case
        self._word_hashes = np.array(sorted(nlp.vocab.strings.add(f) for f in forms), dtype="uint64")

    def prepare(self, doc: Doc) -> DocTriggers:
        """Once per document: the phrase matches, and the tokens whose lemma or form is a trigger word
        (found with one vectorised lookup, so `find` never walks every token of every sentence)."""
        phrases = [(doc.vocab.strings[m], s, e) for m, s, e in self.phrases(doc)]
        if len(doc) == 0:
            return DocTriggers(phrases, [])
        arr = doc.to_array([LEMMA, LOWER])
        hits = np.isin(arr, self._word_hashes).any(axis=1)
        return DocTriggers(phrases, np.flatnonzero(hits).tolist())

    def find(self, sent: Span, leader_tokens: set[int], prepared: DocTriggers) -> tuple[list[Trigger], bool]:
        """Triggers in the sentence, and whether it says the contact was by video."""
        found: list[Trigger] = []
        video = False
        doc = sent.doc
        for label, start, end in prepared.phrases:
            if not (sent.start <= start and end <= sent.end):
                continue
            tok = doc[start]
            root = doc[start:end].root
            if label == "VIDEO":
                video = True
            elif label == "CALL":
                found.append(Trigger(EventType.CALL, Medium.PHONE, root, 1))
            elif label == "MEET":
                found.append(Trigger(EventType.MEET, Medium.IN_PERSON, root, 1))
            elif label == "AGREE":
                found.append(Trigger(EventType.AGREE, None, tok, 1))
        lo = bisect_left(prepared.tokens, sent.start)
        hi = bisect_left(prepared.tokens, sent.end)
        for i in prepared.tokens[lo:hi]:
            tok = doc[i]
            lemma, low = tok.lemma_.lower(), tok.lower_
            if low in self.single["VIDEO"] or lemma in self.single["VIDEO"]:
                video = True
            if tok.pos_ == "VERB" and lemma in self.lex.meet_verbs:
                if lemma not in _OBJECT_VERBS or self._leader_object(tok, leader_tokens):
                    found.append(Trigger(EventType.MEET, Medium.IN_PERSON, tok, 2))
            elif _nominal(tok) and lemma in self.lex.meet_nouns:
                found.append(Trigger(EventType.MEET, Medium.IN_PERSON, tok, 1))
            if (low in self.single["CALL"] or lemma in self.single["CALL"]) and not _phrasal_call(tok):
                if tok.pos_ == "NOUN" or lemma in ("telephone", "phone") or (
                        lemma in _CALL_VERBS and self._leader_object(tok, leader_tokens)):
                    found.append(Trigger(EventType.CALL, Medium.PHONE, tok, 2 if tok.pos_ == "VERB" else 1))
            if tok.pos_ == "VERB" and lemma in self.lex.speak_verbs \
                    and _spoke_to_a_leader(tok, leader_tokens):
                found.append(Trigger(EventType.CALL, Medium.PHONE, tok, 0))  # see discourse: _spoken
            if lemma in self.lex.visit_words and tok.pos_ in ("VERB", "NOUN"):
                found.append(Trigger(EventType.VISIT, Medium.IN_PERSON, tok, 1))
            elif tok.pos_ == "VERB" and lemma in self.lex.travel_verbs \
                    and any(c.dep_ == "prep" and c.lower_ == "to" for c in tok.children):
                found.append(Trigger(EventType.VISIT, Medium.IN_PERSON, tok, 1))
            if tok.pos_ == "VERB" and (low in self.single["AGREE"] or lemma in self.single["AGREE"]):
                found.append(Trigger(EventType.AGREE, None, tok, 2))
            for etype, words in ((EventType.ACCUSE, self.lex.accuse_words),
                                 (EventType.CRITICIZE, self.lex.criticize_words),
                                 (EventType.SANCTION, self.lex.sanction_words)):
                if lemma in words and (tok.pos_ == "VERB" or etype is EventType.SANCTION):
                    found.append(Trigger(etype, None, tok, 2 if tok.pos_ == "VERB" else 1))
        return found, video

    @staticmethod
    def _leader_object(verb: Token, leader_tokens: set[int]) -> bool:
        """A leader is the verb's object, passive subject or 'by'-agent: 'X hosted Y', 'Y was welcomed
        by X'."""
        for child in verb.children:
            if child.dep_ in ("dobj", "nsubjpass", "dative", "obj") and _covers(child, leader_tokens):
                return True
            # "called Benigno Aquino": the parser may take a lone name for a predicate ("called X a Y")
            if child.dep_ == "oprd" and not any(c.dep_ == "dobj" for c in verb.children) \
                    and _covers(child, leader_tokens):
                return True
            if child.dep_ == "dobj" and child.lower_ in ("him", "her", "you"):
                return True  # "welcome him/you here": whether he is a leader is for the extractor to tell
            if child.dep_ in ("agent", "prep") and child.lower_ in ("by", "with"):
                if any(_covers(g, leader_tokens) for g in child.children):
                    return True
        return False


def _nominal(tok: Token) -> bool:
    """A noun, or an adjective the tagger left without its noun: 'have a bilateral with X'."""
    return tok.pos_ in ("NOUN", "PROPN") or (
        tok.pos_ == "ADJ" and tok.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj", "attr")
        and any(c.dep_ == "det" for c in tok.children))


def _spoke_to_a_leader(verb: Token, leader_tokens: set[int]) -> bool:
    """'spoke to President X', 'talked with X' (not 'spoke about X', 'spoke of X')."""
    return any(c.dep_ == "prep" and c.lower_ in ("to", "with") and _covers(c, leader_tokens)
               for c in verb.children)


def _phrasal_call(tok: Token) -> bool:
    """'called off', 'called for', 'calls on X to': the verb 'call' that is not a phone call."""
    return any((c.dep_ == "prt" and c.lower_ == "off") or (c.dep_ == "prep" and c.lower_ in ("for", "on"))
               for c in tok.children)


def _covers(tok: Token, leader_tokens: set[int]) -> bool:
    """The phrase names a leader; a title that ends it names the leader right after it too ('spoke
    to Indian Prime Minister Modi', where the parser took 'Modi' for a verb of its own, and 'spoke to
    the President of the United States, Joe Biden,', where it hung the name on the verb)."""
    if any(t.i in leader_tokens for t in tok.subtree):
        return True
    end = tok.right_edge
    if end.pos_ != "PROPN" or not end.is_title:
        return False
    # ... or after a comma, in apposition: "spoke to the President of the United States, Joe Biden,"
    after = end.i + 2 if end.i + 1 < len(end.doc) and end.doc[end.i + 1].text == "," else end.i + 1
    return after in leader_tokens
