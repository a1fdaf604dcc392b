"""How a leader's name is written, and how a written name finds its leader.

Wires and government readouts write one person many ways: "Fumio Kishida", "KISHIDA Fumio",
"Prime Minister Kishida", "H.E. Mr. YOON Suk Yeol", "the Honorable Joseph R. Biden, Jr.",
"Erdogan" for "Erdoğan", "Moon Jae In" for "Moon Jae-in". A name is compared as its *parts*: the
words left once the honorifics, titles and suffixes around it (names.yaml, roles.yaml, the lexicon's
name_titles, country words) are stripped, each folded to ASCII lower case, hyphenated words split,
initials dropped. Two spellings are the same name when their parts are the same set, whatever the
order; a span whose parts contain a leader's surname and are all words of that leader's names
("Tayyip Erdogan", "Joseph Biden") is that leader."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from .base import DATA, KnowledgeBase, _read_yaml, ascii_fold
from .schema import Leader

__all__ = ["NameIndex", "NameWords", "name_index", "name_parts", "written_forms"]

_PUNCT = re.compile(r"^[\W_]+$")
_MAX_COUNTRY_WORDS = 5  # "the Democratic Republic of the Congo" before a name


def _norm(word: str) -> str:
    """'Erdoğan' -> 'erdogan', 'H.E.' -> 'he', 'Jr.' -> 'jr'."""
    return ascii_fold(word).casefold().replace(".", "").replace("'", "").replace("’", "")


@dataclass(frozen=True)
class NameWords:
    """The words around a name (names.yaml plus role phrases and title words), as normalised token
    tuples, longest first."""

    strip: tuple[tuple[str, ...], ...]
    suffixes: frozenset[str]
    kept: frozenset[str]  # honorifics some names include ("Sheikh Hasina"): stripped only on a miss

    @classmethod
    def from_lists(cls, phrases: Iterable[str], suffixes: Iterable[str], kept: Iterable[str]) -> NameWords:
        tuples = {tuple(p for p in (_norm(w) for w in phrase.split()) if p) for phrase in phrases}
        ordered = tuple(sorted((t for t in tuples if t), key=len, reverse=True))
        ends = frozenset(_norm(s).lstrip("-") for s in suffixes)
        return cls(ordered, ends, frozenset(_norm(k) for k in kept))


def name_parts(words: Sequence[str], rules: NameWords, is_country: Callable[[str], bool] | None = None, *,
               keep_name_honorifics: bool = True) -> tuple[str, ...]:
    """The parts of a written name, in text order: titles, honorifics and country words stripped from
    the left, everything from the first comma on and suffixes stripped from the right.
    `is_country(text) -> bool` recognises country words ("Prime Minister of Japan KISHIDA Fumio")."""
    toks: list[str] = []
    for w in words:
        if w in (",", ";", "(", ":"):
            break  # "Yoon Suk Yeol, President of ...", "Biden, Jr.", "Lula (Brazil)"
        if w.endswith(("'s", "’s")) and len(w) > 2:
            w = w[:-2]
        if w in ("'s", "’s") or _PUNCT.match(w):
            continue
        toks.extend(p for p in (_norm(x) for x in w.split("-")) if p)
    i = 0
    while i < len(toks):
        step = next((len(p) for p in rules.strip if tuple(toks[i:i + len(p)]) == p
                     and (keep_name_honorifics is False or p[0] not in rules.kept or len(p) > 1)), 0)
        if not step and is_country is not None:
            step = next((n for n in range(min(_MAX_COUNTRY_WORDS, len(toks) - i - 1), 0, -1)
                         if is_country(" ".join(toks[i:i + n]))), 0)
        if not step and toks[i] == "of":
            step = 1
        if not step or i + step >= len(toks):
            break
        i += step
    if not keep_name_honorifics:
        while i < len(toks) - 1 and toks[i] in rules.kept:
            i += 1
    rest = _transliterated(toks[i:])
    while len(rest) > 1 and rest[-1] in rules.suffixes:
        rest.pop()
    named = [t for t in rest if len(t) > 1]  # initials ("Joseph R. Biden") say little
    return tuple(named or rest)


# Arabic names come transliterated many ways: "Abdul Aziz" / "Abdulaziz" / "Abd al-Aziz",
# "bin" / "ibn", "Al Saud" / "al-Saud". Their parts compare without the particles, and "abdul"
# joined to the word after it.
_PARTICLES = frozenset({"bin", "ibn", "bint", "al", "el"})
_JOINED = frozenset({"abdul", "abdel", "abd", "abu"})


def _transliterated(parts: list[str]) -> list[str]:
    out: list[str] = []
    for part in parts:
        if part in _PARTICLES and len(parts) > 2:
            continue
        if out and out[-1] in _JOINED:
            out[-1] = ("abu" if out[-1] == "abu" else "abdul") + part
        else:
            out.append(part)
    return out


@dataclass(frozen=True, eq=False)
class NameIndex:
    """Every leader's names as part sets: exact set lookups, and the 'parts within one leader's names,
    including the surname' rule."""

    rules: NameWords
    by_key: dict[frozenset[str], list[str]] = field(default_factory=dict)
    words_of: dict[str, frozenset[str]] = field(default_factory=dict)
    surnames_of: dict[str, tuple[frozenset[str], ...]] = field(default_factory=dict)
    by_surname_word: dict[str, list[str]] = field(default_factory=dict)
    by_skeleton: dict[frozenset[str], list[str]] = field(default_factory=dict)

    def exact(self, parts: Sequence[str]) -> list[str]:
        return self.by_key.get(frozenset(parts), []) if parts else []

    def within(self, parts: Sequence[str]) -> list[str]:
        """Leaders one of whose surnames is among `parts` and all of whose names hold every part."""
        if len(parts) < 2:
            return []
        have = frozenset(parts)
        pool = {i for p in have for i in self.by_surname_word.get(p, [])}
        return sorted(i for i in pool if have <= self.words_of[i]
                      and any(s <= have for s in self.surnames_of[i]))

    def surname(self, parts: Sequence[str]) -> list[str]:
        """Leaders of whom this one word (or multi-word surname) is a short form."""
        if not parts:
            return []
        key = frozenset(parts)
        return [i for i in self.by_surname_word.get(parts[0], []) if key in self.surnames_of[i]]

    def lookup(self, parts: Sequence[str]) -> list[str]:
        return self.exact(parts) or self.within(parts)

    def spelled_otherwise(self, parts: Sequence[str]) -> list[str]:
        """Leaders whose name has these parts in another transliteration: each part with the same
        consonants in the same order ("Bismullah Khan Muhammadi" for "Bismillah Khan Mohammadi",
        "Vladimir Zelensky" for "Volodymyr Zelenskyy"). Only for names of two or more parts of three
        consonants or more."""
        key = skeleton_key(parts)
        return self.by_skeleton.get(key, []) if key is not None else []


_VOWELS = re.compile(r"[aeiouy]+")
_DOUBLED = re.compile(r"(.)\1+")
_MIN_CONSONANTS = 3


def skeleton_key(parts: Sequence[str]) -> frozenset[str] | None:
    """The consonants of each part, doubled letters once ('muhammadi' -> 'mhmd'); None when the name
    is too short to say much (fewer than two parts, or a part of fewer than 3 consonants)."""
    if len(parts) < 2:
        return None
    keys = [_DOUBLED.sub(r"\1", _VOWELS.sub("", p)) for p in parts]
    if any(len(k) < _MIN_CONSONANTS for k in keys):
        return None
    return frozenset(keys)


def written_forms(name: str, surnames: Sequence[str]) -> list[str]:
    """The family name in capitals, as Japanese, Korean, Chinese, Hungarian and Vietnamese readouts
    print it, before or after the given names ("Fumio Kishida" -> "KISHIDA Fumio", "Fumio KISHIDA";
    "Nguyen Xuan Phuc" -> "NGUYEN Xuan Phuc"). The family name is the KB surname when it stands at one
    end of a 2-4 word name, and the first word in any case (family-name-first aliases, and names
    whose short form is the given name). The surname also moves to the other end in title case
    ("Kishida Fumio", "Suk Yeol Yoon"): else the gazetteer tags the bare surname inside it and NER
    cannot grow it into the full name. Other orders are left to NER and the linker's parts."""
    words = name.split()
    if not 2 <= len(words) <= 4:
        return []
    out = [" ".join([words[0].upper(), *words[1:]])]
    # A name kept from bare-surname linking ("Katalin Novák", surnames: []) is still written "NOVÁK
    # Katalin" in full: the family name is then its last word.
    plain = len(words) <= 3 and all(w[:1].isupper() for w in words)
    for s in surnames or ([words[-1]] if plain else []):
        sw = s.split()
        if len(sw) >= len(words):
            continue
        if words[-len(sw):] == sw:
            rest = words[:-len(sw)]
        elif words[:len(sw)] == sw:
            rest = words[len(sw):]
        else:
            continue
        upper = [w.upper() for w in sw]
        moved = [*rest, *sw] if words[:len(sw)] == sw else [*sw, *rest]
        out += [" ".join([*upper, *rest]), " ".join([*rest, *upper]), " ".join(moved)]
    return [f for f in dict.fromkeys(out) if f != name]


def _rules(kb: KnowledgeBase) -> NameWords:
    raw = _read_yaml(DATA / "names.yaml") or {}
    role_words = [r.phrase for r in kb.role_phrases]
    phrases = [*raw.get("honorifics", []), *raw.get("name_honorifics", []), *role_words,
               *kb.lexicon.name_titles]
    return NameWords.from_lists(phrases, raw.get("suffixes", []), raw.get("name_honorifics", []))


def _surname_list(leader: Leader) -> list[str]:
    return leader.surnames if leader.surnames is not None else [leader.name.split()[-1]]


@lru_cache(maxsize=4)
def name_index(kb: KnowledgeBase) -> NameIndex:
    rules = _rules(kb)
    by_key: dict[frozenset[str], list[str]] = defaultdict(list)
    words_of: dict[str, frozenset[str]] = {}
    surnames_of: dict[str, tuple[frozenset[str], ...]] = {}
    by_surname_word: dict[str, list[str]] = defaultdict(list)
    by_skeleton: dict[frozenset[str], list[str]] = defaultdict(list)
    for leader in kb.by_id.values():
        words: set[str] = set()
        for alias in kb.aliases_of(leader):
            parts = name_parts(alias.split(), rules, keep_name_honorifics=True)
            key = frozenset(parts)
            if key and leader.id not in by_key[key]:
                by_key[key].append(leader.id)
            skeleton = skeleton_key(parts)
            if skeleton is not None and leader.id not in by_skeleton[skeleton]:
                by_skeleton[skeleton].append(leader.id)
            words |= key
        shorts = tuple(dict.fromkeys(
            frozenset(p) for s in _surname_list(leader) if (p := name_parts(s.split(), rules))))
        surnames_of[leader.id] = shorts
        words_of[leader.id] = frozenset(words | {w for s in shorts for w in s})
        for s in shorts:
            for w in s:
                if leader.id not in by_surname_word[w]:
                    by_surname_word[w].append(leader.id)
    return NameIndex(rules, dict(by_key), words_of, surnames_of, dict(by_surname_word), dict(by_skeleton))
