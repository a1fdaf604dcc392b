"""The day that decides who "the President of X" or a bare surname is.

In order: a date the mention's own sentence states ("On 3 May 2019 the Prime Minister met ..."),
else the article's publication date, else the first explicit date of the article ("TOKYO, 12 May
2023 - ..." in a readout that came without one), else today (ad-hoc docs). Pure: reads the Doc's
DATE entities and `doc._.published` (None when the article has none)."""

from __future__ import annotations

import datetime as dt
import re

from spacy.tokens import Doc, Span

from ..events.dates import resolve_date_text

__all__ = ["article_day", "day_of"]

_YEAR = re.compile(r"\b(19|20)\d\d\b")
_DAY = re.compile(r"\b\d{1,2}\b")


def _explicit(ent: Span, anchor: dt.date) -> dt.date | None:
    """A DATE entity that names one day with its year ("May 3, 2019", "3 May 2019")."""
    text = ent.text
    if not (_YEAR.search(text) and _DAY.search(_YEAR.sub("", text))):
        return None
    return resolve_date_text(text, anchor, future=False)


def article_day(doc: Doc) -> dt.date:
    published = doc._.published
    if isinstance(published, dt.date):
        return published
    cached = doc.user_data.get("newswire.article_day")
    if isinstance(cached, dt.date):
        return cached
    today = dt.date.today()
    day = next((d for e in doc.ents if e.label_ == "DATE" and (d := _explicit(e, today))), today)
    doc.user_data["newswire.article_day"] = day
    return day


def day_of(span: Span) -> dt.date:
    """The day for resolving the office of the person `span` names."""
    doc = span.doc
    base = article_day(doc)
    sent = span.sent
    key = f"newswire.sentence_day.{sent.start}"
    cached = doc.user_data.get(key)
    if isinstance(cached, dt.date):
        return cached
    dates = sorted((e for e in sent.ents if e.label_ == "DATE"), key=lambda e: abs(e.start - span.start))
    day = next((d for e in dates if (d := _explicit(e, base))), base)
    doc.user_data[key] = day
    return day
