"""`newswire_paragraphs_v1`: a line break ends a sentence (title, dateline, header lines, paragraphs),
and the headline and every gazetteer name are unbroken. Runs before the parser, which keeps preset
boundaries; the small parser otherwise splits verbless headlines ("Talks with ... Viktor | Orban") or
fuses them with the lead. Only the tokens next to a line break, in the title or in a name are touched:
a walk over every token costs more than the rule is worth."""

from __future__ import annotations

import numpy as np
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["paragraph_breaks"]

# A sentence does not start right after these ("... Red Crescent (IFRC) | Societies Francesco Rocca").
_NO_BREAK_AFTER = frozenset({"(", ")", ",", "-", "–", "—", "&"})


@Language.component("newswire_paragraphs_v1", assigns=["token.is_sent_start"])
def paragraph_breaks(doc: Doc) -> Doc:
    n = len(doc)
    if n < 2:
        return doc
    title_end = doc._.title_end if Doc.has_extension("title_end") else 0
    text = doc.text
    starts: set[int] = set()
    pos = text.find("\n")
    while pos != -1:
        span = doc.char_span(pos, pos + 1, alignment_mode="expand")
        if span is not None:
            i = span.start
            # "\n" inside a whitespace token, or in the trailing whitespace of the token before
            nxt = i + 1 if doc[i].is_space or doc[i].idx + len(doc[i].text) <= pos else i
            if 0 < nxt < n:
                starts.add(nxt)
        pos = text.find("\n", pos + 1)
    for i in starts:
        doc[i].is_sent_start = True
    if title_end:
        for tok in doc:
            if tok.idx >= title_end:
                break
            if tok.i > 0 and tok.i not in starts:
                tok.is_sent_start = False
    after = np.isin(doc.to_array(ORTH)[:-1], [doc.vocab.strings.add(w) for w in _NO_BREAK_AFTER])
    for i in np.flatnonzero(after).tolist():
        if i + 1 not in starts:
            doc[i + 1].is_sent_start = False
    for ent in doc.ents:  # the gazetteer ran first: never split "Vladimir | Putin"
        for tok in ent[1:]:
            tok.is_sent_start = False
    return doc
