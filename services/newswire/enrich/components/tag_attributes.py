"""`newswire_attribute_ruler_v1`: the model's own attribute ruler (tag -> POS and morphology, lemma
exceptions), applied with the same result but without a Matcher pass and a Python call per token.

Why: spaCy's AttributeRuler runs ~180 single-token patterns through the Matcher and then sets every
token's attributes one by one; on our texts that cost as much as the parser. Nearly all patterns look
only at TAG and LOWER, so their combined effect depends on the (tag, lower) pair alone: it is
computed once per distinct pair and written back with one array call. The few patterns that look at
DEP or span two tokens still go through a (much smaller) Matcher. Order is the ruler's: a later
pattern overrides an earlier one, attribute by attribute. `build_nlp` swaps this in for the model's
component of the same job; a unit test checks both give identical tokens.
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

__all__ = ["FastAttributeRuler"]

_COLUMNS = (POS, MORPH, LEMMA, TAG)
_KEYS = ("TAG", "LOWER", "DEP", "IS_SPACE")  # what a single-token pattern may look at to be vectorised
_KEY_ATTRS = [TAG, LOWER, DEP, IS_SPACE]
_SET_OPS = frozenset({"IN", "NOT_IN"})


def _simple(alternatives: list[list[dict[str, Any]]]) -> bool:
    return all(
        len(alt) == 1 and set(alt[0]) <= set(_KEYS)
        and all(isinstance(v, str | bool) or (isinstance(v, dict) and len(v) == 1 and set(v) <= _SET_OPS)
                for v in alt[0].values())
        for alt in alternatives)


def _accepts(constraint: Any, value: str | bool) -> bool:
    if isinstance(constraint, str | bool):
        return constraint == value
    if "IN" in constraint:
        return value in constraint["IN"]
    return value not in constraint["NOT_IN"]


class FastAttributeRuler:
    def __init__(self, ruler: AttributeRuler) -> None:
        self.vocab = ruler.vocab
        self.attrs: list[dict[int, int]] = list(ruler.attrs)  # normalised: attr id -> value id/hash
        self.indices: list[int] = list(ruler.indices)
        self.simple: list[tuple[int, list[dict[str, Any]]]] = []
        self.complex = Matcher(self.vocab)
        for i, pattern in enumerate(ruler.patterns):
            # spaCy types patterns loosely; an attribute ruler's are lists of token-pattern lists.
            alternatives = cast(list[list[dict[str, Any]]], pattern["patterns"])
            if _simple(alternatives):
                self.simple.append((i, [alt[0] for alt in alternatives]))
            else:
                self.complex.add(str(i), alternatives)
        self._by_key: dict[tuple[int, ...], tuple[int, ...]] = {}
        self._effects: dict[tuple[int, ...], tuple[list[int], list[bool], int | None]] = {}

    def _key_rules(self, key: tuple[int, ...]) -> tuple[int, ...]:
        """Ids of the single-token patterns matching a (TAG, LOWER, DEP, IS_SPACE) key, in ruler
        order (cached: a few hundred distinct keys cover a corpus)."""
        found = self._by_key.get(key)
        if found is None:
            tag, lower, dep, space = key
            values: dict[str, str | bool] = {
                "TAG": self.vocab.strings[tag] if tag else "",
                "LOWER": self.vocab.strings[lower],
                "DEP": self.vocab.strings[dep] if dep else "",
                "IS_SPACE": bool(space),
            }
            found = tuple(i for i, alts in self.simple
                          if any(all(_accepts(v, values[k]) for k, v in alt.items()) for alt in alts))
            self._by_key[key] = found
        return found

    def _effect(self, key: tuple[int, ...]) -> tuple[list[int], list[bool], int | None]:
        """What the single-token patterns do to a token with this key: column values, which columns
        they set, and the DEP they set (if any)."""
        effect = self._effects.get(key)
        if effect is None:
            final: dict[int, int] = {}
            for i in self._key_rules(key):
                final.update(self.attrs[i])
            effect = ([final.get(a, 0) for a in _COLUMNS], [a in final for a in _COLUMNS], final.get(DEP))
            self._effects[key] = effect
        return effect

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        keys = doc.to_array(_KEY_ATTRS)
        pairs, inverse = np.unique(keys, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        rules_per_token: dict[int, list[int]] = {}
        for s_key, start, end in self.complex(doc, allow_missing=True):
            i = int(self.vocab.strings[s_key])
            index = self.indices[i]
            rules_per_token.setdefault(start + index if index >= 0 else end + index, []).append(i)
        arr = doc.to_array(list(_COLUMNS)).astype("uint64")
        col = {attr: c for c, attr in enumerate(_COLUMNS)}
        effects = [self._effect(tuple(key)) for key in pairs.tolist()]
        values = np.array([e[0] for e in effects], dtype="uint64").reshape(-1, len(_COLUMNS))
        masks = np.array([e[1] for e in effects], dtype=bool).reshape(-1, len(_COLUMNS))
        arr = np.where(masks[inverse], values[inverse], arr)
        deps = {t: effects[k][2] for t, k in enumerate(inverse.tolist()) if effects[k][2] is not None}
        for t, extra in rules_per_token.items():
            final = {}
            for i in sorted((*self._key_rules(tuple(keys[t].tolist())), *extra)):
                final.update(self.attrs[i])
            for attr, value in final.items():
                if attr in col:
                    arr[t, col[attr]] = value
                elif attr == DEP:
                    deps[t] = value
        doc.from_array(list(_COLUMNS), arr)  # type: ignore[arg-type]  # thinc's Ints2d is this uint64 array
        for t, value in deps.items():
            doc[t].dep = value
        return doc


@Language.factory("newswire_attribute_ruler_v1", assigns=["token.pos", "token.morph", "token.lemma"])
def make_fast_attribute_ruler(nlp: Language, name: str,
                              source: str = "attribute_ruler") -> FastAttributeRuler:
    ruler = nlp.get_pipe(source)
    if not isinstance(ruler, AttributeRuler):
        raise TypeError(f"{source!r} is not an AttributeRuler")
    return FastAttributeRuler(ruler)
