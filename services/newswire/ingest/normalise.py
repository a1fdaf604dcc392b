"""Pure normalisation of article fields, whatever door they came through.

HTML -> text, Unicode NFC and whitespace, wire datelines ("BEIJING (AP) —" -> dateline + agency),
language detection and published time in UTC. Works on plain dicts of `RawArticle` fields, before
validation, so the stable id is computed from the cleaned text. Standard library, lxml and
py3langid only.
"""

from __future__ import annotations

import html
import re
import time
import unicodedata
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import lxml.html
from dateutil import parser as dateparser
from lxml import etree

__all__ = [
    "clean_text",
    "detect_language",
    "html_to_text",
    "normalise",
    "parse_dateline",
    "to_utc",
]

# ----------------------------------------------------------------------------- text

_SPACES = re.compile(r"[ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
# Zero-width space, word joiner, BOM, soft hyphen; ZWNJ/ZWJ stay (they matter in Persian, Indic).
_INVISIBLE = re.compile(r"[\u200b\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_BLANK_LINES = re.compile(r"\n{3,}")
_LOOKS_HTML = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*|/[a-zA-Z]|!--)")
_BLOCK = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr table blockquote section article header footer pre hr dd dt "
    "figcaption".split()
)
_DROP = frozenset(("script", "style", "noscript", "template", "iframe"))


def clean_text(text: str) -> str:
    """NFC, no control or invisible characters, single spaces, at most one blank line in a row."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _INVISIBLE.sub("", _CONTROL.sub("", text))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def html_to_text(value: str) -> str:
    """Visible text of an HTML fragment, block elements on their own lines, then `clean_text`."""
    if not _LOOKS_HTML.search(value):
        return clean_text(html.unescape(value) if "&" in value else value)
    try:
        root = lxml.html.fragment_fromstring(value, create_parent="div")
    except (etree.ParserError, ValueError):
        return clean_text(html.unescape(re.sub(r"<[^>]*>", " ", value)))
    for el in list(root.iter()):
        if not isinstance(el.tag, str):  # comments, processing instructions
            el.drop_tree() if el.getparent() is not None else None
            continue
        tag = el.tag.lower()
        if tag in _DROP and el.getparent() is not None:
            el.drop_tree()
        elif tag in _BLOCK:
            el.tail = "\n" + (el.tail or "")
            if tag != "br":
                el.text = "\n" + (el.text or "")
    return clean_text(root.text_content())


def one_line(text: str) -> str:
    return " ".join(text.split())


# ----------------------------------------------------------------------------- datelines

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE_PART = re.compile(rf"^(?:{_MONTH}\s+\d{{1,2}}(?:,?\s*\d{{4}})?|\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?)$")
_WITH_AGENCY = re.compile(
    r"^(?P<head>[^\n()]{2,80}?)\s*\((?P<agency>[A-Za-z][A-Za-z0-9 .&/'’-]{0,39})\)\s*(?:[:—–]|-{1,2})\s*\S"
)
_CAPS_ONLY = re.compile(
    r"^(?P<head>[A-Z][A-Z .'’-]{1,40}?(?:,\s*[A-Z][A-Za-z .'’-]{1,30})?)\s*(?:—|–|-{1,2}|:)\s+\S"
)
_PARTICLES = frozenset("de del la le les es el al am an der of on upon sur du da dos das".split())
_NOT_PLACES = frozenset(
    "BREAKING UPDATE UPDATED EXCLUSIVE ANALYSIS OPINION WATCH LIVE FACTBOX EDITORIAL CORRECTION NOTE "
    "PHOTO VIDEO EXPLAINER REVIEW INTERVIEW COMMENT FEATURE ALERT URGENT FLASH".split()
)


def _place(head: str) -> str | None:
    parts = [p.strip() for p in head.split(",")]
    kept = [p for p in parts if p and not _DATE_PART.match(p)]
    if not kept or len(kept) > 2:
        return None
    for part in kept:
        words = part.split()
        if not 1 <= len(words) <= 5:
            return None
        if not all(w[0].isupper() or w.lower() in _PARTICLES for w in words):
            return None
    place = ", ".join(kept)
    return None if place.upper() in _NOT_PLACES else place


def parse_dateline(body: str) -> tuple[str | None, str | None]:
    """(place, agency) of a wire dateline opening the body, else (None, None).

    "BEIJING (Agencies): ..." -> ("BEIJING", "Agencies"); "LONDON, May 16 (Reuters) - ..." ->
    ("LONDON", "Reuters"); "KYIV, Ukraine (AP) — ..." -> ("KYIV, Ukraine", "AP");
    "NEW DELHI: ..." -> ("NEW DELHI", None). A mixed-case opening without an agency is prose.
    """
    first = body.lstrip()[:200]
    m = _WITH_AGENCY.match(first)
    if m:
        place = _place(m.group("head"))
        if place:
            return place, m.group("agency").strip()
    m = _CAPS_ONLY.match(first)
    if m:
        place = _place(m.group("head"))
        if place and place.split(",")[0].isupper():
            return place, None
    return None, None


# ----------------------------------------------------------------------------- language

_MIN_LANGUAGE_CHARS = 40
_LANGUAGE_SAMPLE = 200  # title + lead: enough to tell; the cost grows faster than the length
_NOT_LETTERS = re.compile(r"[\W\d_]+")


def detect_language(text: str) -> str | None:
    """ISO 639-1 code from py3langid, or None when there is too little text to tell."""
    sample = text[:_LANGUAGE_SAMPLE]
    if len(_NOT_LETTERS.sub("", sample)) < _MIN_LANGUAGE_CHARS:
        return None
    import py3langid  # numpy-backed model, loaded on first use

    code, _score = py3langid.classify(sample)
    return str(code)


def language_tag(value: str) -> str:
    """'en-US', 'EN_gb' -> 'en'."""
    return re.split(r"[-_]", value.strip())[0].lower()


# ----------------------------------------------------------------------------- time


def to_utc(value: Any) -> datetime:
    """datetime | ISO 8601 / RFC 2822 string | time.struct_time (UTC, as feedparser gives) -> aware UTC.

    A time without an offset is taken as UTC. Raises ValueError when the value is not a time.
    """
    if isinstance(value, time.struct_time):
        return datetime(*value[:6], tzinfo=UTC)
    if isinstance(value, str):
        text = value.strip()
        try:
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            try:
                value = dateparser.parse(text)
            except (ValueError, OverflowError) as e:
                raise ValueError(f"not a date: {text[:60]!r}") from e
    if not isinstance(value, datetime):
        raise ValueError(f"not a date: {type(value).__name__}")
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


# ----------------------------------------------------------------------------- article


def normalise(fields: Mapping[str, Any], *, language: str | None = None) -> dict[str, Any]:
    """Cleaned copy of RawArticle fields. Unknown keys pass through (the contract rejects them).

    `language` is the door's hint (a feed's configured language); an explicit `language` field
    wins over detection, detection wins over the hint.
    """
    out = dict(fields)
    if isinstance(out.get("title"), str):
        out["title"] = one_line(html_to_text(out["title"]))
    if isinstance(out.get("body"), str):
        out["body"] = html_to_text(out["body"])
    if isinstance(out.get("url"), str):
        out["url"] = out["url"].strip() or None
    if isinstance(out.get("source"), str):
        out["source"] = one_line(out["source"]) or "unknown"
    if out.get("published_at") not in (None, ""):
        try:
            out["published_at"] = to_utc(out["published_at"])
        except ValueError:
            pass  # left as is: the contract reports it against the field
    body = out.get("body")
    if isinstance(body, str) and not (out.get("dateline") or out.get("agency")):
        place, agency = parse_dateline(body)
        if place:
            out["dateline"], out["agency"] = place, agency
    if isinstance(out.get("language"), str) and out["language"].strip():
        out["language"] = language_tag(out["language"])
    else:
        text = f"{out.get('title') or ''}\n{body if isinstance(body, str) else ''}"
        detected = detect_language(text)
        out["language"] = detected or (language_tag(language) if language else "en")
    return out
