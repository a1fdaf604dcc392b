"""Is a reported meeting news (occurred), future (planned), called off (cancelled) or background
(historical: no current event at all)? Decided from the lexicon's cue lists and the parse."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from functools import lru_cache

from spacy.tokens import Span, Token

from newswire.contracts import EventStatus

from ..knowledge import Lexicon
from .dates import clause_head, resolve_date_text

__all__ = ["HISTORICAL", "classify", "governing_chain", "has_phrase"]

HISTORICAL = None  # classify() returns this for background mentions
_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
_ORDINAL_WORDS = frozenset({"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                            "ninth", "tenth", "latest", "last", "previous"})
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")


@lru_cache(maxsize=64)
def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled alternation per cue list (compiled once, not per sentence and phrase)."""
    words = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{words})(?![\w-])")


def has_phrase(text: str, phrases: list[str]) -> bool:
    """Does `text` (lower-case) contain one of `phrases` as whole words?"""
    return bool(phrases) and _phrase_pattern(tuple(phrases)).search(text) is not None


def _without_milestones(text: str, lex: Lexicon) -> str:
    """'the first visit by an Australian leader since 2016': drop the 'since' that dates a milestone of
    the current event, so only other historical cues count."""
    if " since " not in f" {text} " or not has_phrase(text, lex.milestone_words):
        return text
    words = text.split(" ")
    for i, w in enumerate(words):
        if w == "since" and any(m in words[max(0, i - 8):i] for m in lex.milestone_words):
            words[i] = "_"
    return " ".join(words)


def governing_chain(trigger: Token) -> list[Token]:
    """The trigger and its heads up to the clause root: where tense and modality live."""
    chain = [trigger]
    tok = trigger
    while tok.head is not tok and tok.dep_ not in ("ROOT",) and len(chain) < 6:
        tok = tok.head
        chain.append(tok)
    return chain


def classify(sent: Span, trigger: Token, lex: Lexicon, published: dt.date) -> EventStatus | None:
    text = sent.text.lower().replace("’", "'")
    if has_phrase(text, lex.cancelled_cues):
        return EventStatus.CANCELLED
    if _is_historical(sent, trigger, text, lex, published):
        return HISTORICAL
    chain = governing_chain(trigger)
    if _not_asserted(chain, text, lex):
        return HISTORICAL  # a vague intention or a negated meeting: no event either
    for tok in chain:
        if _word_in(tok, lex.planned_verbs) and tok.i != trigger.i:
            return EventStatus.PLANNED
        if any(c.dep_ == "aux" and c.lower_ in _FUTURE_AUX for c in tok.children):
            return EventStatus.PLANNED
        if any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) and tok.head.lemma_.lower() in (
                lex.infinitive_future_heads):
            return EventStatus.PLANNED
    if _bare_infinitive(chain):
        return EventStatus.PLANNED
    if has_phrase(text, lex.planned_cues) and not _past_main_verb(chain):
        return EventStatus.PLANNED
    return EventStatus.OCCURRED


def _word_in(tok: Token, words: Collection[str]) -> bool:
    """Lemma or form: the lemmatizer gets some verbs wrong ("hoped" -> "hop")."""
    return tok.lemma_.lower() in words or tok.lower_ in words


def _own_clause(chain: list[Token], lex: Lexicon) -> list[Token]:
    """The governing chain below the first reporting verb: "said he hoped to meet X" is about the
    hoping, not the saying."""
    for k, tok in enumerate(chain):
        if k and tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in lex.reporting_verbs:
            return chain[:k]
    return chain


def _not_asserted(chain: list[Token], text: str, lex: Lexicon) -> bool:
    """Not a meeting that happened or is arranged: a vague intention ("hoped to meet X at some point",
    "would like to hold talks", "may meet", "is open to meeting") or a negated one ("did not meet",
    "no talks have been arranged", "refused to meet"). A cancelled meeting is decided before this."""
    own = _own_clause(chain, lex)
    negators = {w for w in lex.negation_cues if " " not in w}
    for k, tok in enumerate(own):
        below = own[k - 1] if k else None
        if below is not None and _word_in(tok, lex.intention_verbs) and (
                below.dep_ in ("xcomp", "ccomp") or (below.dep_ == "prep" and below.lower_ == "to")):
            return not _concrete(below, text, lex)
        if below is not None and tok.pos_ == "VERB" and _word_in(tok, negators):  # "refused to meet"
            return True
        for c in tok.children:
            if c.dep_ == "aux" and c.lower_ in lex.hypothetical_modals:
                return True
            if c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no"):
                return True
    return has_phrase(text, lex.vague_cues) and not _past_main_verb(own)


def _concrete(wanted: Token, text: str, lex: Lexicon) -> bool:
    """'wishes to speak with Hu at the upcoming APEC summit later this month': the intention names
    its occasion (a date, or a planned gathering), so it is a plan, unless a vague cue says otherwise."""
    if has_phrase(text, lex.vague_cues):
        return False
    span = wanted.doc[wanted.left_edge.i:wanted.right_edge.i + 1]
    return any(e.label_ in ("DATE", "TIME") for e in span.ents) or has_phrase(
        span.text.lower(), lex.planned_cues)


def _bare_infinitive(chain: list[Token]) -> bool:
    """Headline future, "Macron to host Scholz": a 'to' infinitive with no finite verb above it."""
    finite = ("VBD", "VBZ", "VBP", "MD")
    return any(c.dep_ == "aux" and c.lower_ == "to" for t in chain for c in t.children) and not any(
        t.tag_ in finite for t in chain)


def _past_main_verb(chain: list[Token]) -> bool:
    """'met', 'held talks', 'has met': the reported event is done even if the sentence looks ahead."""
    return any(t.tag_ in ("VBD", "VBN") and t.pos_ in ("VERB", "AUX") and
               not any(c.lower_ in _FUTURE_AUX for c in t.children) for t in chain)


def _is_historical(sent: Span, trigger: Token, text: str, lex: Lexicon, published: dt.date) -> bool:
    if has_phrase(_without_milestones(text, lex), lex.historical_cues):
        return True
    # "the fourth face-to-face discussion ... since the invasion": counting earlier meetings.
    if " since " in f" {text} " and any(c.lower_ in _ORDINAL_WORDS or c.ent_type_ == "ORDINAL"
                                        for c in trigger.children):
        return True
    # An explicit date well before publication, in the trigger's own clause: "we met in Moscow in
    # June 2020" (but not "reliant on China since February 2022, praised ... in meetings with Xi").
    clause = clause_head(trigger)
    for ent in sent.ents:
        if ent.label_ != "DATE" or clause_head(ent.root) is not clause:
            continue
        years = [int(y) for y in _YEAR.findall(ent.text)]
        if years and max(years) < published.year:
            return True
        day = resolve_date_text(ent.text, published, future=False)
        if day is not None and day < published - dt.timedelta(days=10):
            return True
    return False
