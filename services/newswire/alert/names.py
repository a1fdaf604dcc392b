"""Leader names in rules: the port to the leader knowledge base and two small resolvers.

A rule names leaders the way people write them ("Putin", "Xi"); matching compares canonical names
(the `Participant.name` the enrich service writes). The knowledge base lives in the enrich service;
this module only needs `resolve` and `suggest`, so it depends on a Protocol, and `resolver_for`
adapts whatever the knowledge base offers.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

__all__ = ["NameResolver", "OpenResolver", "StaticResolver", "from_knowledge", "normalise", "resolver_for"]


def normalise(name: str) -> str:
    """Case-, accent- and spacing-insensitive key: 'Nguyễn  Xuân Phúc' == 'nguyen xuan phuc'."""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_ = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(ascii_.replace(".", " ").replace("-", " ").lower().split())


class NameResolver(Protocol):
    def resolve(self, name: str) -> str | None:
        """Canonical name for a canonical name or alias; None when unknown."""
        ...

    def suggest(self, name: str) -> list[str]:
        """Closest known canonical names, best first (for error messages)."""
        ...


class StaticResolver:
    """Canonical names and their aliases, in memory."""

    def __init__(self, aliases: Mapping[str, Iterable[str]]) -> None:
        self._index: dict[str, str] = {}
        for canonical, alts in aliases.items():
            for alias in (canonical, *alts):
                self._index.setdefault(normalise(alias), canonical)
        self._canonical = sorted(aliases)

    def resolve(self, name: str) -> str | None:
        return self._index.get(normalise(name))

    def suggest(self, name: str) -> list[str]:
        keys = difflib.get_close_matches(normalise(name), list(self._index), n=6, cutoff=0.6)
        out: list[str] = []
        for k in keys:
            if self._index[k] not in out:
                out.append(self._index[k])
        return out[:3]


class OpenResolver:
    """Used only when no knowledge base is installed: every name is its own canonical form."""

    def resolve(self, name: str) -> str | None:
        return " ".join(name.split()) or None

    def suggest(self, name: str) -> list[str]:
        return []


def from_knowledge(kb: Any) -> StaticResolver:
    """Adapter to the enrich service's KnowledgeBase: canonical names, aliases and every surname
    that names one leader only ("Putin" yes; a surname two leaders share, no)."""
    table: dict[str, list[str]] = {}
    owners: dict[str, set[str]] = {}
    for leader in kb.leaders:
        table.setdefault(leader.name, []).extend(kb.aliases_of(leader))
        for short in kb.surnames_of(leader):
            owners.setdefault(normalise(short), set()).add(leader.name)
    for leader in kb.leaders:
        table[leader.name] += [s for s in kb.surnames_of(leader) if len(owners[normalise(s)]) == 1]
    return StaticResolver(table)


def resolver_for(settings: Any) -> NameResolver:
    """The leader knowledge base of the enrich service (with settings.leaders_file merged in)."""
    try:
        from newswire.enrich.knowledge import load_knowledge
    except ImportError as e:  # the alert service installed without enrich: names are taken as written
        from newswire.observability import log

        log("alert").warning("leader knowledge base not available; rule names are taken as written: %s", e)
        return OpenResolver()
    extra = getattr(settings, "leaders_file", None)
    return from_knowledge(load_knowledge(str(extra) if extra else None))
