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
from .dates import clause_head, month_end, resolve_date_text

__all__ = ["HISTORICAL", "anticipated", "classify", "governing_chain", "has_phrase", "own_clause_text",
           "read_status"]

HISTORICAL = None  # classify() returns this for background mentions
_FUTURE_AUX = frozenset({"will", "shall", "'ll", "’ll", "wo"})  # typographic "He’ll" too
_YEAR = re.compile(r"\b(1[89]|20)\d\d\b")
_ORDINAL_WORDS = frozenset(
    {
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "latest",
        "last",
        "previous",
    }
)
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
_WHEN = frozenset({"when", "while", "as", "where"})
_PAST_PERIOD = re.compile(
    r"\b(?:last|previous) (?:week|month|year)\b"
    r"|\b(?:a|one|two|three|four|five|several|few|\d+) (?:months?|years?) ago\b"
)


@lru_cache(maxsize=64)
def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled alternation per cue list (compiled once, not per sentence and phrase)."""
    words = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{words})(?![\w-])")


def has_phrase(text: str, phrases: list[str]) -> bool:
    """Does `text` (lower-case) contain one of `phrases` as whole words?"""
    return bool(phrases) and _phrase_pattern(tuple(phrases)).search(text) is not None


def _without_milestones(text: str, lex: Lexicon, *, counting: bool = False) -> str:
    """'the first visit by an Australian leader since 2016': drop the 'since' that dates a milestone of
    the current event, so only other historical cues count. `counting`: the trigger is the verb that
    reports the event, so an ordinal before 'since' counts that event ("met Macron on Monday, their
    fifth meeting since January"); a meeting noun with its own ordinal is decided by the caller."""
    ordinals = _ORDINAL_WORDS - {"last", "latest", "previous"}
    marks = set(lex.milestone_words) | (ordinals if counting else set())
    if " since " not in f" {text} " or not any(m in text for m in marks):
        return text
    words = text.split(" ")
    for i, w in enumerate(words):
        if w == "since" and any(m in words[max(0, i - 8) : i] for m in marks):
            words[i] = "_"
    return " ".join(words)


def governing_chain(trigger: Token) -> list[Token]:
    """The trigger and its heads up to the clause root: where tense and modality live."""
    chain = [trigger]
    tok = trigger
    while tok.head.i != tok.i and tok.dep_ not in ("ROOT",) and len(chain) < 6:
        tok = tok.head
        chain.append(tok)
    return chain


_DETACHED = frozenset({"relcl", "acl", "appos", "advcl", "parataxis"})


def own_clause_text(sent: Span, trigger: Token) -> str:
    """The sentence without the side clauses that do not hold the trigger ("X, who took office last
    week, met Y"; "..., after the two had met in 2019"): the words that can say when and whether
    *this* event happened. Lower case, typographic apostrophes folded."""
    above = {t.i for t in (trigger, *trigger.ancestors)}
    kept = []
    for tok in sent:
        t, detached = tok, False
        while t.i not in above:
            if t.dep_ in _DETACHED or (t.dep_ == "conj" and t.pos_ in ("VERB", "AUX")) or (
                    # "met Meloni ..., their third meeting since July": a phrase about the event
                    # itself, counting it among others, is no time of its own
                    t.dep_ == "npadvmod" and t.pos_ == "NOUN" and not t.ent_type_
                    and any(c.ent_type_ == "ORDINAL" or c.lower_ in _ORDINAL_WORDS for c in t.children)):
                detached = True
                break
            if t.head.i == t.i:
                break
            t = t.head
        if not detached:
            kept.append(tok.text_with_ws)
    return "".join(kept).lower().replace("’", "'")


def classify(sent: Span, trigger: Token, lex: Lexicon, published: dt.date) -> EventStatus | None:
    return read_status(sent, trigger, lex, published)[0]


def read_status(sent: Span, trigger: Token, lex: Lexicon,
                published: dt.date) -> tuple[EventStatus | None, str]:
    """The rules' status for the trigger's event, and which rule decided it (a feature for the
    trained decision, see status_model)."""
    text = own_clause_text(sent, trigger)
    # A trigger that is itself a verb in the past tense reports something done: "spoke by telephone
    # ... and asked to put off the visit" calls off the visit, not the call.
    done = trigger.tag_ == "VBD" and not any(c.dep_ == "neg" for c in trigger.children)
    if has_phrase(text, lex.cancelled_cues) and not done:
        return EventStatus.CANCELLED, "cancelled_cue"
    why = _is_historical(sent, trigger, text, lex, published)
    if why:
        return HISTORICAL, why
    chain = _up_to_soft_clause(governing_chain(trigger))
    if _performative(trigger, chain, lex):  # "I want to welcome you": said, so done
        return EventStatus.OCCURRED, "performative"
    if _not_asserted(chain, text, lex):
        return HISTORICAL, "not_asserted"  # a vague intention or a negated meeting: no event either
    for tok in chain:
        if tok.i != trigger.i and _anticipates(tok, lex):
            return EventStatus.PLANNED, "anticipated"
        if _word_in(tok, lex.planned_verbs) and tok.i != trigger.i:
            return EventStatus.PLANNED, "planned_verb"
        if any(c.dep_ == "aux" and c.lower_ in _FUTURE_AUX for c in tok.children):
            return EventStatus.PLANNED, "future_aux"
        if any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) and tok.head.lemma_.lower() in (
            lex.infinitive_future_heads
        ) and not _evaluative_be(tok.head):
            return EventStatus.PLANNED, "future_infinitive"
    if _bare_infinitive(chain):
        return EventStatus.PLANNED, "bare_infinitive"
    if has_phrase(text, lex.planned_cues) and not _past_main_verb(chain):
        return EventStatus.PLANNED, "planned_cue"
    return EventStatus.OCCURRED, "default"


def _performative(trigger: Token, chain: list[Token], lex: Lexicon) -> bool:
    """'I would like to welcome you to the summit', 'allow me to greet you': the speaker welcomes the
    person spoken to by saying so; the welcome is now, whatever the modal ('looking forward to
    welcoming you' and 'will welcome you' still look ahead)."""
    if trigger.lemma_.lower() not in lex.performative_verbs:
        return False
    if not any(c.dep_ == "dobj" and c.lower_ == "you" for c in trigger.children):
        return False
    return not any(_anticipates(t, lex) or any(c.dep_ == "aux" and c.lower_ in _FUTURE_AUX
                                               for c in t.children)
                   for t in chain)


def anticipated(trigger: Token, lex: Lexicon) -> bool:
    """Is the trigger the act some verb of its chain looks forward to ('looked forward to seeing')?"""
    return any(_anticipates(t, lex) for t in governing_chain(trigger)[1:])


def _anticipates(tok: Token, lex: Lexicon) -> bool:
    """'looked forward to meeting': the verb and its particle look ahead to the act below them."""
    lemma = tok.lemma_.lower()
    return any(
        verb == lemma and any(c.lower_ == particle and c.dep_ in ("advmod", "prt") for c in tok.children)
        for verb, _, particle in (p.partition(" ") for p in lex.anticipation_phrasals)
    )


def _evaluative_be(head: Token) -> bool:
    """'It is a pleasure to welcome X', 'it is important to meet': 'be' with a complement or an
    empty 'it' judges the act; only 'X is to meet Y' schedules it."""
    if head.lemma_.lower() != "be":
        return False
    return any(c.dep_ in ("attr", "acomp") or (c.dep_ in ("nsubj", "expl") and c.lower_ == "it")
               for c in head.children)


def _up_to_soft_clause(chain: list[Token]) -> list[Token]:
    """'agreed to expand ties as the two leaders met': an as/when/while clause, or a finite verb
    conjoined to another, has its own tense; the plan above it ('agreed to') is not the meeting's."""
    for k, tok in enumerate(chain):
        if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _WHEN for c in tok.children):
            return chain[: k + 1]
        if k and tok.dep_ == "conj" and tok.tag_ in ("VBD", "VBZ", "VBP"):
            return chain[: k + 1]  # "leaders agreed on aid, and X had talks with Y": its own tense
    return chain


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
        if (
            below is not None
            and _word_in(tok, lex.intention_verbs)
            and (below.dep_ in ("xcomp", "ccomp") or (below.dep_ == "prep" and below.lower_ == "to"))
        ):
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
    span = wanted.doc[wanted.left_edge.i : wanted.right_edge.i + 1]
    return any(e.label_ in ("DATE", "TIME") for e in span.ents) or has_phrase(
        span.text.lower(), lex.planned_cues
    )


def _bare_infinitive(chain: list[Token]) -> bool:
    """Headline future, "Macron to host Scholz": a 'to' infinitive with no finite verb above it."""
    finite = ("VBD", "VBZ", "VBP", "MD")
    return any(c.dep_ == "aux" and c.lower_ == "to" for t in chain for c in t.children) and not any(
        t.tag_ in finite for t in chain
    )


def _past_main_verb(chain: list[Token]) -> bool:
    """'met', 'held talks', 'has met': the reported event is done even if the sentence looks ahead."""
    return any(
        t.tag_ in ("VBD", "VBN")
        and t.pos_ in ("VERB", "AUX")
        and not any(c.lower_ in _FUTURE_AUX for c in t.children)
        for t in chain
    )


def _is_historical(sent: Span, trigger: Token, text: str, lex: Lexicon, published: dt.date) -> str:
    """Which cue makes the mention background ('' when none does)."""
    if has_phrase(_without_milestones(text, lex, counting=trigger.pos_ == "VERB"), lex.historical_cues):
        return "historical_cue"
    if has_phrase(text, lex.perfect_cues) and not _perfect_of_news(trigger, text, lex):
        return "perfect"
    # "the fourth face-to-face discussion ... since the invasion": counting earlier meetings (the
    # 'since' may head a clause of its own: "since Russia launched its invasion").
    if " since " in f" {sent.text.lower()} " and any(
        c.lower_ in _ORDINAL_WORDS or c.ent_type_ == "ORDINAL" for c in trigger.children
    ):
        return "ordinal_since"
    return "dated_long_ago" if _dated_long_ago(sent, trigger, published) else ""


def _perfect_of_news(trigger: Token, text: str, lex: Lexicon) -> bool:
    """'Obama has met with his Chinese counterpart in Beijing' is a news lead (the perfect of a
    recent event, placed); 'the two have met three times' is experience, not an event."""
    if has_phrase(text, lex.experience_words):
        return False
    placed = any(t.dep_ == "pobj" and t.head.lower_ in ("in", "at") and t.ent_type_ in ("GPE", "FAC", "LOC")
                 for t in trigger.subtree)
    return placed and trigger.tag_ == "VBN"


def _dated_long_ago(sent: Span, trigger: Token, published: dt.date) -> bool:
    """An explicit date well before publication that dates the trigger's clause: "we met in Moscow
    in June 2020" (but not "reliant on China since February 2022, praised ... in meetings with Xi").
    A clause without a date of its own takes the time of what it hangs off: a date ("in April,
    when he met ..."), or the clause it completes or is subordinate to ("traveled to Brasilia in
    December to meet ...", "visited Kyiv in April, when he met ...")."""
    clause = clause_head(trigger)
    # An undated article has no day to place "September 12-14" before: only a date with its year
    # can say that the event is long past.
    undated = bool(sent.doc._.undated)
    # Only dates that say when ("in May", "on August 5"), not how long ("days after", "for years").
    when = {
        e.start: day
        for e in sent.ents
        if e.label_ == "DATE" and not _bounds_a_period(e) and not (undated and not _YEAR.search(e.text))
        if (day := _when(e.text, published, past=_past_tense(clause_head(e.root)))) is not None
    }
    dates = [e for e in sent.ents if e.start in when and e.label_ == "DATE"]

    def in_clause(head: Token) -> list[Span]:
        return [e for e in dates if clause_head(e.root).i == head.i]  # Tokens compare by index

    own = in_clause(clause)
    for _ in range(3):  # up through clauses that take their time from the one above
        if own or clause.dep_ not in ("relcl", "advcl", "xcomp", "conj"):
            break
        own = [e for e in dates if e.start <= clause.head.i < e.end]
        subordinate = clause.dep_ in ("xcomp", "conj") or any(
            c.lower_ in _WHEN or (c.dep_ == "aux" and c.lower_ == "to") for c in clause.children
        )  # "when/while/as/where he met ...", "(in order) to meet ...", "came here, and we held talks"
        if own or not subordinate:
            break
        clause = clause_head(clause.head)
        own = in_clause(clause)
    return any(when[e.start] < published - dt.timedelta(days=10) for e in own)


def _bounds_a_period(ent: Span) -> bool:
    """'the first visit ... since 2019' bounds a period; it does not date the event."""
    before = ent.doc[ent.start - 1].lower_ if ent.start else ""
    return "since" in (before, ent[0].lower_)


def _past_tense(head: Token) -> bool:
    """'warned', 'had warned': a clause told in the past."""
    return head.tag_ == "VBD" or (head.tag_ == "VBN" and any(
        c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in head.children))


def _when(text: str, published: dt.date, *, past: bool = False) -> dt.date | None:
    """The latest day a date expression can mean (None: it names no time, e.g. "days", "the week").
    In a clause told in the past, a month without its year is the last one before publication."""
    if _PAST_PERIOD.search(text.lower()):
        return dt.date.min  # "last month", "two years ago": before any recent day
    end = month_end(f"last {text.strip()}" if past else text, published)
    if past and end is None:
        end = month_end(text, published)
    if end is not None:
        return end  # "in July"
    # A date without a year ("on August 5", "June 26") is the occurrence nearest publication:
    # 13 days back in an article of August 18, but a week ahead in one of June 18.
    readings = [d for f in (False, True) if (d := resolve_date_text(text, published, future=f))]
    if readings:
        return min(readings, key=lambda d: abs((d - published).days))
    years = [int(y) for y in _YEAR.findall(text)]
    return dt.date(max(years), 12, 31) if years else None
