"""The day that decides who "the President of X" or a bare surname is.

In order: a date the mention's own sentence states in full ("On 3 May 2019 the Prime Minister met
..."), else the article's publication date, else the first full date in the article's text ("TOKYO,
12 May 2023 - ..." in a readout that came without one), else today (ad-hoc docs). Only dates with
day, month and year count: "on Tuesday" is near the publication date anyway. Read from the text by
pattern, not from NER, which often splits "14 September 2022" into a number and a month. An
article with neither publication date nor full date resolves offices by the day its named leaders
were in office together (`office_day`, set by the linker), not by today. Pure."""

from __future__ import annotations

import datetime as dt
import re

from spacy.tokens import Doc, Span

__all__ = ["OFFICE_DAY", "article_day", "day_of", "full_dates", "has_full_date", "office_day"]

OFFICE_DAY = "newswire.office_day"  # user_data key: the undated article's day by its named leaders

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|" \
         r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"((?:19|20)\d\d)"
_FULL = re.compile(
    rf"\b{_DAY} (?:of )?{_MONTH},? {_YEAR}\b"  # 14 September 2022
    rf"|\b{_MONTH} {_DAY},? {_YEAR}\b"  # September 14, 2022
    r"|\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b",  # 2022-09-14
    re.IGNORECASE,
)


def full_dates(text: str) -> list[tuple[int, dt.date]]:
    """(character offset, day) of every date written with day, month and year."""
    out: list[tuple[int, dt.date]] = []
    for m in _FULL.finditer(text):
        g = m.groups()
        try:
            if g[0]:
                day = dt.date(int(g[2]), _MONTHS.index(g[1][:3].lower()) + 1, int(g[0]))
            elif g[3]:
                day = dt.date(int(g[5]), _MONTHS.index(g[3][:3].lower()) + 1, int(g[4]))
            else:
                day = dt.date(int(g[6]), int(g[7]), int(g[8]))
        except ValueError:
            continue  # "31 February 2022"
        out.append((m.start(), day))
    return out


def article_day(doc: Doc) -> dt.date:
    published = doc._.published
    if isinstance(published, dt.date):
        return published
    cached = doc.user_data.get("newswire.article_day")
    if isinstance(cached, dt.date):
        return cached
    found = full_dates(doc.text)
    day = found[0][1] if found else dt.date.today()
    doc.user_data["newswire.article_day"] = day
    return day


def office_day(doc: Doc) -> dt.date:
    """The article's day for resolving offices: `article_day`, except in an article with no date at
    all, where the linker's estimate from the leaders it names comes first."""
    estimated = doc.user_data.get(OFFICE_DAY)
    if isinstance(estimated, dt.date) and not isinstance(doc._.published, dt.date):
        return estimated
    return article_day(doc)


def has_full_date(doc: Doc) -> bool:
    return isinstance(doc._.published, dt.date) or bool(full_dates(doc.text))


def day_of(span: Span) -> dt.date:
    """The day for resolving the office of the person `span` names: the nearest full date of its
    sentence, else the article's day."""
    doc = span.doc
    sent = span.sent
    key = f"newswire.sentence_dates.{sent.start}"
    dates = doc.user_data.get(key)
    if not isinstance(dates, list):
        dates = [(sent.start_char + off, d) for off, d in full_dates(sent.text)]
        doc.user_data[key] = dates
    if not dates:
        return office_day(doc)
    return min(dates, key=lambda x: abs(x[0] - span.start_char))[1]
