"""Person linking against a gold file's `persons` (canonical names, English Wikipedia titles, which
are also the knowledge base's names).

Predicted: the distinct knowledge-base entries an article's entities and event participants are
linked to (unlinked `name:` participants are not links). Recall: the share of gold persons linked to
their own entry; precision: the share of linked entries that are gold persons of that article.
Pure: scores records against EnrichedArticles already made."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from newswire.contracts import EnrichedArticle

from .knowledge import ascii_fold, load_knowledge

__all__ = ["LinkingScore", "canonical_name", "linking_score"]


def canonical_name(name: str) -> str:
    """A person's name for comparison: folded, and one of the knowledge base's spellings of a person
    ('Thomas Boni Yayi' for 'Boni Yayi') as that person's canonical name."""
    folded = ascii_fold(name).casefold().strip()
    return _canonical_names().get(folded, folded)


@lru_cache(maxsize=1)
def _canonical_names() -> dict[str, str]:
    """Folded alias -> folded canonical name, for the aliases that name one person only."""
    kb = load_knowledge()
    out: dict[str, str] = {}
    for alias, ids in kb.by_alias.items():
        if len(ids) == 1:
            out[ascii_fold(alias).casefold().strip()] = ascii_fold(kb.by_id[ids[0]].name).casefold().strip()
    return out


@dataclass
class LinkingScore:
    gold: int = 0
    linked: int = 0
    correct: int = 0
    missed: list[dict[str, str]] = field(default_factory=list)
    wrong: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        p = self.correct / self.linked if self.linked else 0.0
        r = self.correct / self.gold if self.gold else 0.0
        return {"precision": round(p, 3), "recall": round(r, 3), "gold_persons": self.gold,
                "linked": self.linked, "correct": self.correct, "missed": self.missed, "wrong": self.wrong}


def _linked(result: EnrichedArticle) -> dict[str, str]:
    """Folded canonical name -> as written, of every KB entry the article links to."""
    names = [e.canonical for e in result.entities
             if e.kb_id and e.canonical and not e.kb_id.startswith("name:")]
    names += [p.name for ev in result.events for p in ev.participants if not p.id.startswith("name:")]
    return {canonical_name(n): n for n in names}


def linking_score(records: Sequence[dict[str, Any]], enriched: Sequence[EnrichedArticle]) -> LinkingScore:
    score = LinkingScore()
    for record, result in zip(records, enriched, strict=True):
        gold = {canonical_name(p): p for p in record.get("persons", [])}
        linked = _linked(result)
        score.gold += len(gold)
        score.linked += len(linked)
        score.correct += len(gold.keys() & linked.keys())
        rid = str(record.get("id", ""))
        score.missed += [{"id": rid, "person": gold[k]} for k in sorted(gold.keys() - linked.keys())]
        score.wrong += [{"id": rid, "person": linked[k]} for k in sorted(linked.keys() - gold.keys())]
    return score
