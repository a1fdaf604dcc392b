"""`newswire_paragraphs_v1`: a line break ends a sentence (title, dateline, header lines, paragraphs),
and the headline and every gazetteer name are unbroken. Runs before the parser, which keeps preset boundaries; the small
parser otherwise splits verbless headlines ("Talks with ... Viktor | Orban") or fuses them with the lead."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["paragraph_breaks"]


@Language.component("newswire_paragraphs_v1", assigns=["token.is_sent_start"])
def paragraph_breaks(doc: Doc) -> Doc:
    title_end = doc._.title_end if Doc.has_extension("title_end") else 0
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            doc[i].is_sent_start = True
        elif doc[i].idx < title_end:
            doc[i].is_sent_start = False
    for ent in doc.ents:  # the gazetteer ran first: never split "Vladimir | Putin"
        for tok in ent[1:]:
            tok.is_sent_start = False
    return doc
