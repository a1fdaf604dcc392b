"""Where an event happened: a venue or city in the sentence, a country as a last resort, or the
article's dateline."""

from __future__ import annotations

import re
from collections.abc import Collection

from spacy.tokens import Span, Token

from ..components.places import Place, PlaceIndex
from .dates import clause_head
from .model import Where

__all__ = ["parse_dateline", "place_of", "sentence_location"]

_PLACE_PREPS = frozenset({"in", "at", "to", "near", "inside", "outside"})
_SIDELINES = frozenset({"sidelines", "sideline", "margins", "margin"})  # "on the sidelines of SPIEF"
# "BEIJING (Agencies):", "BRASÍLIA, Brazil –", "MOSCOW, May 5 (Reuters) -"
_DATELINE = re.compile(
    r"^\s*([A-ZÀ-Ý][A-ZÀ-Ý .'-]{2,40}?)(?:,\s*[A-Z][\w .]+?)?\s*(?:\([^)]{1,40}\))?\s*[:–—-]\s")
_HEADER_LINE = 60  # header lines such as "New York" or "Charlevoix, Canada" above the body


def parse_dateline(body: str, places: PlaceIndex) -> Place | None:
    m = _DATELINE.match(body)
    if m:
        place = places.get(m.group(1).strip().title()) or places.get(m.group(1).strip())
        if place is not None:
            return place
    for line in body.splitlines()[:3]:
        line = line.strip()
        if not line or len(line) > _HEADER_LINE:
            if len(line) > _HEADER_LINE:
                break
            continue
        head = line.split(",")[0].strip()
        place = places.get(head)
        if place is not None and place.kind != "country":
            return Place(line if "," in line and place.kind == "city" and place.name == head else place.name,
                         place.country, place.kind)
        # "May 9, 2015, The Kremlin, Moscow", "May 16, 2013, Sochi": a date, then the place; its city
        # when it names one, else its venue
        found = [p for part in line.split(",")[1:] if (p := places.get(part.strip())) is not None
                 and p.kind != "country"]
        if found:
            return next((p for p in found if p.kind == "city"), found[0])
    return None


def _prep_governed(ent: Span, topic_nouns: Collection[str] = ()) -> bool:
    """Is the place the object of 'in/at/to' (or a compound/possessive inside such a phrase), and not
    of a phrase that only qualifies a topic ('the situation in Ukraine')?"""
    tok: Token = ent.root
    for _ in range(3):
        if tok.dep_ == "pobj" and tok.head.lower_ in _PLACE_PREPS:
            return tok.head.head.lemma_.lower() not in topic_nouns
        if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lower_ in _SIDELINES:
            return True
        if tok.dep_ in ("compound", "poss", "appos", "conj", "nmod", "amod") and tok.head.i != tok.i:
            tok = tok.head
            continue
        break
    return ent.start > 0 and ent.doc[ent.start - 1].lower_ in _PLACE_PREPS


def place_of(ent: Span, places: PlaceIndex) -> Place | None:
    """The place an entity names: a known one, or a town the index lacks but the text places in a
    known country right after it ("Granada, Spain", "Mainz, Germany")."""
    place = places.get(ent.text)
    if place is not None:
        return place
    doc = ent.doc
    if ent.label_ == "GPE" and ent.end + 1 < len(doc) and doc[ent.end].text == ",":
        after = next((e for e in doc.ents if e.start == ent.end + 1), None)
        country = places.get(after.text) if after is not None else None
        if country is not None and country.kind == "country":
            return Place(name=ent.text, country=country.country, kind="city")
    return None


def sentence_location(sent: Span, places: PlaceIndex, topic_nouns: Collection[str] = (),
                      trigger: Token | None = None) -> Where | None:
    """The sentence's strongest place; of places in several clauses, those of the trigger's own clause
    ("At a summit in Brussels ..., and X had talks with Y in London": London)."""
    found = [(ent, place) for ent in sent.ents if ent.label_ in ("GPE", "FAC", "LOC")
             if (place := place_of(ent, places)) is not None and _prep_governed(ent, topic_nouns)]
    if trigger is not None:
        own = clause_head(trigger).i
        found = [(e, p) for e, p in found if clause_head(e.root).i == own] or found
    best: Where | None = None
    for _, place in found:
        strength = 3 if place.kind in ("venue", "city") else 2
        if best is None or strength > best.strength or (strength == 3 and place.kind == "venue"):
            best = Where(place.name, place.country, strength)
    return best
