"""`newswire_date_ruler_v1`: DATE and ORDINAL entities from token patterns (knowledge/data/
date_patterns.jsonl), for pipelines that run without the statistical NER (pipeline-fast.cfg).

Why: event dates and the historical-mention check only need the date expressions our resolver
understands (weekdays, "May 16", "June 26, 2009", "yesterday", "last year", years); patterns find
those at a fraction of the NER's cost, and never overwrite a leader or place the gazetteer found."""

from __future__ import annotations

import json

from spacy.language import Language
from spacy.pipeline import EntityRuler

from newswire.errors import ConfigError

from ..knowledge.base import DATA

__all__ = ["DATE_PATTERNS"]

DATE_PATTERNS = DATA / "date_patterns.jsonl"


@Language.factory("newswire_date_ruler_v1", assigns=["doc.ents"])
def make_date_ruler(nlp: Language, name: str) -> EntityRuler:
    try:
        lines = DATE_PATTERNS.read_text(encoding="utf-8").splitlines()
        patterns = [json.loads(line) for line in lines if line.strip()]
    except (OSError, ValueError) as e:
        raise ConfigError(f"{DATE_PATTERNS}: cannot read date patterns: {e}") from e
    ruler = EntityRuler(nlp, name, overwrite_ents=False)
    ruler.add_patterns(patterns)
    return ruler
