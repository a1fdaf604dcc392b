"""Resolve the date expressions news uses ("Thursday", "yesterday", "on May 16", "June 26, 2009")
against the article's publication date."""

from __future__ import annotations

import datetime as dt
import re

from dateutil import parser as date_parser
from spacy.tokens import Span, Token

__all__ = ["clause_head", "resolve_date_text", "sentence_date"]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Longest first: "the day after tomorrow" holds "tomorrow".
_RELATIVE = {"day after tomorrow": 2, "day before yesterday": -2,
             "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
             "last night": -1, "yesterday": -1, "tomorrow": 1}
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_MONTH = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b", re.I)


_DAY_RANGE = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s*(?:and|to|through|-|–|—)\s*\d{1,2}(?:st|nd|rd|th)?\b(?!\s*\d)", re.I
)
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")
_MONTH_ONLY = re.compile(
    rf"(?:(?:in|last|early|late|mid|since|of)[ -])*({'|'.join(_MONTHS)})(?:,? (1[89]\d\d|20\d\d))?"
)


def month_end(text: str, published: dt.date) -> dt.date | None:
    """The last day of a month named without a day ("in July", "last April", "March 2019"); a
    month without a year is its occurrence nearest publication. None for anything else."""
    m = _MONTH_ONLY.fullmatch(text.lower().strip())
    if m is None:
        return None
    month = _MONTHS.index(m.group(1)) + 1

    def last_day(year: int) -> dt.date:
        return (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)

    if m.group(2):
        return last_day(int(m.group(2)))
    ends = [last_day(y) for y in (published.year - 1, published.year, published.year + 1)]
    if text.lower().lstrip().startswith("last"):  # "last December": the one before publication
        ends = [d for d in ends if d < published]
    return min(ends, key=lambda d: abs((d - published).days))


def resolve_date_text(text: str, published: dt.date, *, future: bool) -> dt.date | None:
    """A date for `text`, or None when it names no single day. `future` picks the next rather
    than the last matching weekday (planned events)."""
    # A range of days is its first day: "May 25 to 28", "February 27 and 28" (else the parser
    # reads the second number as the year 2028).
    text = _DAY_RANGE.sub(r"\1", text)
    low = text.lower().strip()
    for word, delta in _RELATIVE.items():
        if word in low:
            return published + dt.timedelta(days=delta)
    if _MONTH.search(low) and re.search(r"\b\d{1,2}(st|nd|rd|th)?\b", low):
        try:
            default = dt.datetime(published.year, published.month, 1)
            day = date_parser.parse(text, default=default, fuzzy=True).date()
        except (ValueError, OverflowError):
            return None
        if not _YEAR.search(low) and future and day < published - dt.timedelta(days=7):
            day = day.replace(year=day.year + 1)
        elif not _YEAR.search(low) and not future and day > published + dt.timedelta(days=7):
            day = day.replace(year=day.year - 1)
        return day
    for i, name in enumerate(_WEEKDAYS):
        if name in low:
            delta = (i - published.weekday()) % 7
            if "next" in low:
                return published + dt.timedelta(days=delta or 7)
            if "last" in low or not future:
                return published - dt.timedelta(days=(published.weekday() - i) % 7)
            return published + dt.timedelta(days=delta)
    return None


def clause_head(tok: Token) -> Token:
    """The nearest verb at or above `tok`: the clause a word belongs to."""
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX") or tok.head.i == tok.i:  # spaCy makes a new Token per access
            return tok
        tok = tok.head
    return tok


def sentence_date(sent: Span, trigger_i: int, published: dt.date, *, future: bool,
                  reporting: frozenset[str] = frozenset(),
                  past_heads: frozenset[str] = frozenset(), absolute: bool = False) -> dt.date | None:
    """The DATE entity of the sentence nearest the trigger that resolves to a day, leaving out the
    dates of an attribution clause whose verb is in `reporting` ("..., the Elysee said on Monday").
    A date in the clause of a past-tense verb in `past_heads` ("cancelled the talks on Tuesday") is
    read backward even when `future` reads the others forward ("originally scheduled for Wednesday").
    `absolute`: only dates that carry their year (an undated article has nothing to count days from)."""
    trigger_clause = clause_head(sent.doc[trigger_i])
    dates = [e for e in sent.ents if e.label_ in ("DATE", "TIME")
             and not _attribution(e, trigger_clause, reporting)
             and (not absolute or (_YEAR.search(e.text) is not None and _MONTH.search(e.text) is not None))]
    dates.sort(key=lambda e: abs(e.start - trigger_i))
    for ent in dates:
        head = clause_head(ent.root)
        backward = head.tag_ in ("VBD", "VBN") and head.lemma_.lower() in past_heads
        day = resolve_date_text(ent.text, published, future=future and not backward)
        if day is not None:
            return day
    return None


def _attribution(ent: Span, trigger_clause: Token, reporting: frozenset[str]) -> bool:
    head = clause_head(ent.root)
    return head is not trigger_clause and head.lemma_.lower() in reporting

