"""Custom attributes on Doc and Span. Article metadata is set on the Doc *before* the pipeline runs
(Enricher makes the Docs, then one nlp.pipe), so components can resolve 'Thursday' or 'the President'."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from .role_dates import article_day

__all__ = ["LeaderRef", "ensure_extensions", "published"]


@dataclass(frozen=True)
class LeaderRef:
    """A person the pipeline treats as a leader: from the KB, or titled in the text ('President of X Y')."""

    id: str  # QID, nw:slug or name:<canonical>
    name: str
    role: str | None
    country: str | None


def ensure_extensions() -> None:
    doc_attrs: dict[str, object] = {
        "published": None,  # dt.date | None: the article's publication date (None: undated)
        "undated": False,  # the article gave no publication date: relative day words stay unresolved
        "home_country": None,  # ISO2 of the publisher ("the President" on whitehouse.gov -> US)
        "voice_role": None,  # Role whose holder is the "I" of the publisher's statements (pm.gov.au)
        "dateline": None,  # place name of "BEIJING (AP) -" or a header line
        "title_end": 0,  # offset where the body starts (0 when there is no title)
        "leaders": None,  # dict[str, LeaderRef], filled by the linker
        "speakers": None,  # list[(token index, leader id)] of transcript speaker labels
        "role_groups": None,  # list[(start, end, leader ids)]: "the presidents of Russia and Belarus"
        "events": None,  # list[EventMention], filled by the event component
        "status_samples": None,  # list[dict]: candidates' features, kept only while training
    }
    for name, default in doc_attrs.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    if not Span.has_extension("place"):
        Span.set_extension("place", default=None)  # (city-or-place, ISO2) for GPE/FAC/LOC spans


def published(doc: Doc) -> dt.date:
    """The article date; for an undated article, the first full date its text states, else today
    (role_dates.article_day)."""
    value = doc._.published
    return value if isinstance(value, dt.date) else article_day(doc)
