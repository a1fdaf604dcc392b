"""`newswire_gazetteer_v1`: an EntityRuler in front of NER, with every leader alias (PERSON, id = KB id),
every short form (PERSON, id = "?short", linked later by the linker) and every known place (GPE/FAC).
Each alias also comes with its family name in capitals, first or last ("KISHIDA Fumio").
The statistical NER then only fills the gaps, so "Xi Jinping" is always found and "Kyiv" is never a
person."""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc

from ..knowledge import KnowledgeBase, load_knowledge
from ..knowledge.names import written_forms
from .places import place_index

__all__ = ["SHORT_ID", "gazetteer_patterns"]

SHORT_ID = "?short"  # a surname or short form, resolved by the linker against the document


_MIN_UPPER = 4  # "HU", "XI", "LI" in capitals are more often codes and numerals than names


def _written_forms(kb: KnowledgeBase) -> dict[str, list[str]]:
    """Capitalised-family-name spellings of every alias that is not itself an alias ("KISHIDA Fumio",
    "ORBÁN Viktor"), with the leaders each one may name."""
    forms: dict[str, list[str]] = {}
    for leader in kb.by_id.values():
        for alias in kb.aliases_of(leader):
            for form in written_forms(alias, kb.surnames_of(leader)):
                if form not in kb.by_alias and leader.id not in forms.setdefault(form, []):
                    forms[form].append(leader.id)
    return forms


def gazetteer_patterns(kb: KnowledgeBase) -> list[dict[str, Any]]:
    patterns: list[dict[str, Any]] = []
    for alias, ids in kb.by_alias.items():
        # An alias shared by two people (rare: "Abdullah") is left to the linker.
        patterns.append({"label": "PERSON", "pattern": alias, "id": ids[0] if len(ids) == 1 else SHORT_ID})
    for form, ids in _written_forms(kb).items():
        patterns.append({"label": "PERSON", "pattern": form, "id": ids[0] if len(ids) == 1 else SHORT_ID})
    for short in kb.by_surname:
        if short not in kb.by_alias:
            patterns.append({"label": "PERSON", "pattern": short, "id": SHORT_ID})
        upper = short.upper()  # "Prime Minister KISHIDA": readouts print family names in capitals
        if len(short) >= _MIN_UPPER and upper != short and upper not in kb.by_alias:
            patterns.append({"label": "PERSON", "pattern": upper, "id": SHORT_ID})
    for surface, place in place_index(kb).by_surface.items():
        label = {"venue": "FAC", "city": "GPE", "country": "GPE"}[place.kind]
        patterns.append({"label": label, "pattern": surface, "id": f"place:{place.kind}"})
    return patterns


class LeftmostRuler(EntityRuler):
    """Of overlapping names, the one that starts first (then the longest): "Mohammed bin Salman of
    Saudi Arabia" is the crown prince, not the shorter name inside a longer alias of his father
    ("Salman of Saudi Arabia"). spaCy's ruler takes the longest anywhere."""

    def match(self, doc: Doc) -> list[tuple[int, int, int]]:
        matches = super().match(doc)
        return sorted(matches, key=lambda m: (m[1], -(m[2] - m[1])))


@Language.factory(
    "newswire_gazetteer_v1",
    default_config={"leaders_file": None},
    assigns=["doc.ents"],
)
def make_gazetteer(nlp: Language, name: str, leaders_file: str | None) -> EntityRuler:
    ruler = LeftmostRuler(nlp, name, phrase_matcher_attr="ORTH", overwrite_ents=True)
    # ORTH phrase patterns need only the tokenizer, but the ruler runs every pipe before it (the
    # parser too) over each of ~6,000 patterns: 3 of the enrich worker's 5 s start-up.
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(gazetteer_patterns(load_knowledge(leaders_file)))
    return ruler
