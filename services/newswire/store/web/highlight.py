"""An article's text cut into plain and evidence runs, for <mark>: pure, no I/O.

Evidence offsets count characters of title + "\\n\\n" + body (newswire.contracts.Evidence). A span
whose text no longer matches (the article was re-enriched with other offsets) is looked up by its
sentence instead; a sentence not in the text at all is reported, not marked somewhere wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Run", "article_text", "runs"]


@dataclass(frozen=True)
class Run:
    text: str
    marked: bool


def article_text(title: str, body: str) -> str:
    return f"{title}\n\n{body}" if title else body


def _locate(text: str, sentence: str, start: int, end: int) -> tuple[int, int] | None:
    if 0 <= start < end <= len(text) and text[start:end] == sentence:
        return start, end
    found = text.find(sentence)
    return (found, found + len(sentence)) if found >= 0 and sentence else None


def runs(text: str, evidence: list[tuple[str, int, int]]) -> tuple[list[Run], list[str]]:
    """(runs covering `text` in order, sentences that could not be found in it)."""
    spans: list[tuple[int, int]] = []
    missing: list[str] = []
    for sentence, start, end in evidence:
        at = _locate(text, sentence, start, end)
        if at is None:
            missing.append(sentence)
        else:
            spans.append(at)
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out: list[Run] = []
    pos = 0
    for s, e in merged:
        if s > pos:
            out.append(Run(text[pos:s], False))
        out.append(Run(text[s:e], True))
        pos = e
    if pos < len(text):
        out.append(Run(text[pos:], False))
    return out, missing
