"""Full-text search terms: one tokenizer for the index and for queries, so the two always agree.

Why not PostgreSQL's `to_tsvector`: on real news it costs the store ~360 µs of database CPU per
article (its parser, then Snowball), about a third of everything the store spends, while the enrich
stage already holds the text and scales out. Enrich builds the vector once (`search_vector`), the
store hands PostgreSQL the binary form (`tsvector_send` layout, which it reads in ~10 µs), and the
query API turns a search string into a `tsquery` with the same rules. PostgreSQL's own parser is
not mimicked (it has quirks such as 'COVID-19' → 'covid', '-19'); consistency comes from using this
module on both sides. A change to the rules is a new `TOKENIZER` and needs a re-index.

Rules (`newswire-en-1`):
- text is NFKD-folded without combining marks ("Erdoğan" finds "Erdogan"), then split into words:
  runs of letters and digits; "U.S." / "U.N." (single letters with dots) are one word "us" / "un";
  "1,000" is "1000" and "3.5" stays one word; hyphens and apostrophes separate words, and a
  possessive "'s" is dropped;
- every word takes a position (1-based, as PostgreSQL counts), stopwords included;
- lowercase words of PostgreSQL's English stop list (the Snowball list, `english.stop`) are not
  indexed; an upper-case acronym of 2–5 letters is kept and not stemmed ("US", "IT", "WHO");
- other words with a letter and no digit are stemmed by Snowball English (PyStemmer); words with
  digits are kept lowercased as they are.
"""

from __future__ import annotations

import base64
import re
import struct
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import Stemmer

from newswire.contracts import SearchVector

__all__ = [
    "TOKENIZER",
    "Term",
    "article_terms",
    "binary_tsvector",
    "parse_query",
    "search_vector",
    "terms",
    "text_tsvector",
    "tsquery",
    "words",
]

TOKENIZER = "newswire-en-1"

# PostgreSQL's limits (tsvector.h): a lexeme ≤ 2047 bytes, ≤ 256 positions per lexeme, positions
# ≤ 16383, lexeme bytes in total < 1 MiB. Past them PostgreSQL itself drops or clamps.
_MAX_LEXEME = 2047
_MAX_POSITIONS = 256
_MAX_POSITION = 16383
_MAX_TOTAL = (1 << 20) - 1

_WORD = re.compile(
    r"(?P<abbr>(?:[^\W\d_]\.){2,})"  # U.S. / U.N. / e.g.
    r"|(?P<num>\d+(?:[.,]\d+)*)"  # 2024, 1,000, 3.5
    r"|(?P<word>[^\W_]+)(?:['’]s\b)?"  # letters and digits; a possessive 's is dropped
)


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    text = files(__package__).joinpath("english.stop").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.split() if w.strip())


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


# Combining marks left by NFKD: the diacritics of Latin, Greek and Cyrillic letters.
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _fold(text: str) -> str:
    return text if text.isascii() else _MARKS.sub("", unicodedata.normalize("NFKD", text))


def words(text: str) -> list[str | None]:
    """Every word of `text` as its index term, in order; None where a word takes a position but is not
    indexed (a stopword)."""
    stop = _stopwords()
    out: list[str | None] = []
    to_stem: list[int] = []
    for abbr, num, word in _WORD.findall(_fold(text)):
        if word:
            low = word.lower()
            if 1 < len(word) < 6 and word.isupper() and word.isalpha():
                out.append(low)  # an acronym: not a stopword, not stemmed
            elif low in stop:
                out.append(None)
            else:
                if low.isalpha():
                    to_stem.append(len(out))
                out.append(low)
        elif num:
            out.append(num.replace(",", ""))
        else:
            out.append(abbr.replace(".", "").lower())
    if to_stem:
        stems = _stemmer().stemWords([out[i] for i in to_stem])  # one C call for the whole text
        for i, s in zip(to_stem, stems, strict=True):
            out[i] = s
    return out


def terms(text: str) -> dict[str, list[int]]:
    """Lexeme -> ascending 1-based positions, within PostgreSQL's tsvector limits."""
    found: dict[str, list[int]] = {}
    total = 0
    for pos, w in enumerate(words(text), start=1):
        if w is None:
            continue
        size = len(w.encode("utf-8"))
        if size > _MAX_LEXEME:
            continue
        known = found.get(w)
        if known is None:
            if total + size > _MAX_TOTAL:
                continue
            total += size
            found[w] = [min(pos, _MAX_POSITION)]
        elif len(known) < _MAX_POSITIONS and known[-1] < _MAX_POSITION:
            known.append(min(pos, _MAX_POSITION))
    return found


def binary_tsvector(found: dict[str, list[int]]) -> bytes:
    """PostgreSQL's binary tsvector (tsvector_send): int32 count, then per lexeme in byte order its
    UTF-8 text, a NUL, uint16 count of positions, uint16 positions (weight D = 0)."""
    items = sorted((w.encode("utf-8"), ps) for w, ps in found.items())
    parts = [struct.pack("!i", len(items))]
    for lexeme, ps in items:
        parts.append(lexeme + b"\0" + struct.pack(f"!{len(ps) + 1}H", len(ps), *ps))
    return b"".join(parts)


def text_tsvector(found: dict[str, list[int]]) -> str:
    """The same vector in tsvector's text form (`'lexeme':1,4 ...`), for SQL where binary cannot go."""
    return " ".join(f"{_quote(w)}:{','.join(map(str, ps))}" for w, ps in found.items())


def article_terms(title: str | None, body: str) -> dict[str, list[int]]:
    """What an article is indexed by: its title and body as one text."""
    return terms(f"{title or ''} {body}")


def search_vector(title: str | None, body: str) -> SearchVector:
    """An article's vector as a message carries it (binary, base64)."""
    vector = base64.b64encode(binary_tsvector(article_terms(title, body))).decode("ascii")
    return SearchVector(tokenizer=TOKENIZER, tsvector=vector)


# --------------------------------------------------------------------------- queries

_QUERY_TOKEN = re.compile(r'"(?P<phrase>[^"]*)"?|(?P<word>\S+)')


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _phrase(found: Iterable[str | None]) -> str | None:
    """Words in order as `a <-> b`, or `a <2> b` across an unindexed word, as PostgreSQL's phrases."""
    out: list[str] = []
    gap = 1
    for w in found:
        if w is None:
            gap += 1 if out else 0
            continue
        if out:
            out.append("<->" if gap == 1 else f"<{gap}>")
        out.append(_quote(w))
        gap = 1
    return " ".join(out) or None


@dataclass(frozen=True)
class Term:
    """One search term as typed: a word or a "quoted phrase", maybe negated with a leading `-`."""

    text: str
    negate: bool = False


def parse_query(q: str) -> list[list[Term]]:
    """A web-search string (PostgreSQL's `websearch_to_tsquery` syntax: words are ANDed, "quoted
    words" are a phrase, `or` between terms is OR, a leading `-` negates) as an OR of ANDs. Terms
    with nothing indexable in them (stop words, punctuation) are left out, as PostgreSQL does."""
    clauses: list[list[Term]] = [[]]
    pending_or = False
    for m in _QUERY_TOKEN.finditer(q):
        raw = m.group("phrase") if m.group("phrase") is not None else m.group("word")
        if m.group("word") is not None and raw.lower() == "or":
            pending_or = bool(clauses[-1])
            continue
        negate = m.group("word") is not None and raw.startswith("-")
        text = raw.lstrip("-") if negate else raw
        if all(w is None for w in words(text)):
            continue
        if pending_or:
            clauses.append([])
            pending_or = False
        clauses[-1].append(Term(text, negate))
    return [c for c in clauses if c]


def tsquery(q: str) -> str | None:
    """A web-search string (see `parse_query`) as tsquery text. None when nothing in `q` is
    indexable (such a search matches nothing)."""
    ands = []
    for clause in parse_query(q):
        exprs = []
        for term in clause:
            expr = _phrase(words(term.text))
            assert expr is not None  # parse_query keeps indexable terms only
            if " " in expr:
                expr = f"({expr})"
            exprs.append(f"!{expr}" if term.negate else expr)
        ands.append(" & ".join(exprs))
    if not ands:
        return None
    return " | ".join(f"({a})" if " & " in a and len(ands) > 1 else a for a in ands)
