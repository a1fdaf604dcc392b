"""The trained status decision. The rules propose a candidate (a trigger and its leaders in one
sentence) and their own reading of it (read_status); a linear model over features of the candidate
decides what it reports: a contact that occurred, a planned one, a cancelled one, or none (background,
a vague intention, not a meeting). `newswire train` fits it from the annotated sets (training.py);
the weights ship as JSON in the package, and nothing is fetched at run time.

Features describe constructions, not sentences: which rule fired and why, the tense, aspect and
modality of the trigger's clause, the time expression attached to it and its distance from the
publication date, cue words in the trigger's own clause against the whole sentence, negation, a
reporting verb above the trigger, the sentence's place in the article and the headline's tense."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.tokens import Span, Token

from newswire.contracts import EventStatus, EventType

from ..knowledge import Lexicon
from .status import governing_chain, has_phrase, own_clause_text

__all__ = ["BUILTIN", "LABELS", "NONE", "StatusModel", "candidate_features", "label_status"]

BUILTIN = Path(__file__).resolve().parent.parent / "models" / "event_status.json"
NONE = "none"
LABELS = ("occurred", "planned", "cancelled", NONE)
_AUX = frozenset({"will", "would", "shall", "'ll", "wo", "to", "have", "has", "had", "be", "is", "are",
                  "was", "were", "been", "may", "might", "could", "should", "must", "can", "do", "did"})


def label_status(label: str) -> EventStatus | None:
    return None if label == NONE else EventStatus(label)


@dataclass(frozen=True)
class StatusModel:
    """A multinomial logistic regression over binary features: weights[feature][k] for LABELS[k]."""

    labels: tuple[str, ...]
    weights: dict[str, tuple[float, ...]]
    bias: tuple[float, ...]
    meta: dict[str, Any] = field(default_factory=dict)
    override_at: float = 0.9  # the probability at which the decision overrides the rules' reading

    def probabilities(self, features: Iterable[str]) -> dict[str, float]:
        z = list(self.bias)
        for f in set(features):
            w = self.weights.get(f)
            if w is not None:
                z = [a + b for a, b in zip(z, w, strict=True)]
        top = max(z)
        e = [math.exp(v - top) for v in z]
        total = sum(e)
        return {label: v / total for label, v in zip(self.labels, e, strict=True)}

    def decide(self, features: Iterable[str]) -> tuple[str, float]:
        probs = self.probabilities(features)
        label = max(self.labels, key=lambda k: (probs[k], -self.labels.index(k)))
        return label, probs[label]

    def to_json(self) -> str:
        body = {"labels": list(self.labels), "bias": [round(b, 6) for b in self.bias],
                "weights": {f: [round(v, 6) for v in w] for f, w in sorted(self.weights.items())},
                "meta": self.meta, "override_at": self.override_at}
        return json.dumps(body, indent=0, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> StatusModel:
        d = json.loads(text)
        return cls(labels=tuple(d["labels"]), bias=tuple(d["bias"]),
                   weights={f: tuple(w) for f, w in d["weights"].items()}, meta=d.get("meta", {}),
                   override_at=float(d.get("override_at", 0.9)))

    @classmethod
    def load(cls, path: Path) -> StatusModel:
        return cls.from_json(path.read_text(encoding="utf-8"))


def _days_bucket(date: dt.date | None, day: dt.date) -> str:
    if date is None:
        return "none"
    delta = (date - day).days
    if delta < -10:
        return "far_past"
    if delta < -1:
        return "past"
    return {-1: "yesterday", 0: "today", 1: "tomorrow"}.get(delta, "future")


def _position(index: int) -> str:
    return str(index) if index < 3 else ("3-5" if index < 6 else "6+")


def _chain_class(tok: Token, lex: Lexicon) -> str | None:
    lemma, low = tok.lemma_.lower(), tok.lower_
    for name, words in (("reporting", lex.reporting_verbs), ("planned", lex.planned_verbs),
                        ("intention", lex.intention_verbs), ("cancel", lex.cancel_verbs),
                        ("briefing", lex.briefing_verbs)):
        if lemma in words or low in words:
            return name
    return None


def candidate_features(sent: Span, trigger: Token, etype: EventType, lex: Lexicon, *, reading: str,
                       rule: EventStatus | None, date: dt.date | None, day: dt.date, people: int,
                       index: int, in_title: bool, future_title: bool) -> list[str]:
    """Binary features of one candidate (see the module docstring)."""
    f = [f"type={etype.value}", f"rule={rule.value if rule else 'historical'}", f"why={reading}",
         f"pos={trigger.pos_}", f"tag={trigger.tag_}", f"dep={trigger.dep_}",
         f"lemma={trigger.lemma_.lower()}",
         f"date={_days_bucket(date, day)}", f"people={min(people, 4)}", f"sent={_position(index)}"]
    if in_title:
        f.append("in_title")
    if future_title:
        f.append("future_title")
    chain = governing_chain(trigger)
    for k, tok in enumerate(chain[1:4], start=1):
        f.append(f"up{k}_tag={tok.tag_}")
        if (cls := _chain_class(tok, lex)) is not None:
            f.append(f"above={cls}")
    for tok in chain[:4]:
        for c in tok.children:
            if c.dep_ in ("aux", "auxpass") and c.lower_ in _AUX:
                f.append(f"aux={c.lower_}")
            if c.dep_ == "neg":
                f.append("negated")
            if c.dep_ == "mark":
                f.append(f"mark={c.lower_}")
    own, whole = own_clause_text(sent, trigger), sent.text.lower().replace("’", "'")
    for name, cues in (("historical", lex.historical_cues), ("perfect", lex.perfect_cues),
                       ("planned", lex.planned_cues), ("cancelled", lex.cancelled_cues),
                       ("vague", lex.vague_cues), ("present_time", lex.present_time_cues),
                       ("in_person", lex.in_person_cues), ("negation", lex.negation_cues),
                       ("experience", lex.experience_words)):
        if has_phrase(own, cues):
            f.append(f"cue_clause={name}")
        elif has_phrase(whole, cues):
            f.append(f"cue_sentence={name}")
    return f
