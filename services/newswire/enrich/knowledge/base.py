"""The knowledge base: leaders, offices, places and words, loaded from the YAML files next to this
module (plus an optional user file of extra leaders) and indexed for the pipeline components."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from newswire.errors import ConfigError

from .schema import City, Country, Leader, Lexicon, Organisation, Role, RolePhrase, Source, Venue

__all__ = ["KnowledgeBase", "ascii_fold", "load_knowledge"]

DATA = Path(__file__).with_name("data")
_M = TypeVar("_M", bound=BaseModel)


def ascii_fold(text: str) -> str:
    """'Vučić' -> 'Vucic': wires often drop diacritics, so every alias also matches folded."""
    text = text.replace("’", "'").replace("ı", "i").replace("ð", "d").replace("ø", "o").replace("ł", "l")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as f:
            # libyaml when PyYAML has it: 5x faster on the leader files, which a starting worker waits for.
            return yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as e:
        raise ConfigError(f"{path}: cannot read knowledge file: {e}") from e


def _validate_list(path: Path, model: type[_M], key: str | None = None) -> list[_M]:
    """Validate every entry and name the file and the entry in the error (an analyst edits these)."""
    raw = _read_yaml(path)
    if key is not None:
        raw = (raw or {}).get(key, [])
    if not isinstance(raw, list):
        raise ConfigError(f"{path}: expected a list of entries{f' under {key!r}' if key else ''}")
    out: list[_M] = []
    for i, entry in enumerate(raw):
        try:
            out.append(model.model_validate(entry))
        except ValidationError as e:
            label = entry.get("name") or entry.get("id") if isinstance(entry, dict) else None
            where = f"entry {i}" + (f" ({label})" if label else "")
            reasons = "; ".join(f"{'.'.join(map(str, er['loc'])) or '-'}: {er['msg']}" for er in e.errors())
            raise ConfigError(f"{path}: {where}: {reasons}") from e
    return out


# Offices several people hold at once: no handover between two of their holders.
_SHARED_OFFICES = frozenset({Role.MINISTER, Role.PRESIDENCY_MEMBER})


@dataclass(frozen=True, eq=False)  # identity hash: cached per instance
class KnowledgeBase:
    leaders: tuple[Leader, ...]
    countries: tuple[Country, ...]
    organisations: tuple[Organisation, ...]
    venues: tuple[Venue, ...]
    cities: tuple[City, ...]
    role_phrases: tuple[RolePhrase, ...]
    sources: tuple[Source, ...]
    lexicon: Lexicon
    by_id: dict[str, Leader] = field(init=False, repr=False)
    by_alias: dict[str, list[str]] = field(init=False, repr=False)
    by_surname: dict[str, list[str]] = field(init=False, repr=False)
    demonyms: dict[str, str] = field(init=False, repr=False)
    by_where: dict[str, list[Leader]] = field(init=False, repr=False)
    country_by_code: dict[str, Country] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        by_id: dict[str, Leader] = {}
        by_alias: dict[str, list[str]] = defaultdict(list)
        by_surname: dict[str, list[str]] = defaultdict(list)
        for leader in self.leaders:
            if leader.id in by_id:  # a user file may override a built-in entry
                pass
            by_id[leader.id] = leader
        for leader in by_id.values():
            for alias in self.aliases_of(leader):
                if leader.id not in by_alias[alias]:
                    by_alias[alias].append(leader.id)
            for short in self.surnames_of(leader):
                if leader.id not in by_surname[short]:
                    by_surname[short].append(leader.id)
        demonyms: dict[str, str] = {}
        for c in self.countries:
            for word in (*c.names, *c.demonyms):
                demonyms[word.lower()] = c.code
        for o in self.organisations:
            for word in o.names:
                demonyms[word.lower()] = o.key
        object.__setattr__(self, "by_id", by_id)
        object.__setattr__(self, "by_alias", dict(by_alias))
        object.__setattr__(self, "by_surname", dict(by_surname))
        object.__setattr__(self, "demonyms", demonyms)
        by_where: dict[str, list[Leader]] = defaultdict(list)
        for leader in by_id.values():  # role lookups run per mention: scan one country, not the world
            for where in dict.fromkeys(o.where for o in leader.offices):
                by_where[where].append(leader)
        object.__setattr__(self, "by_where", dict(by_where))
        object.__setattr__(self, "country_by_code", {c.code: c for c in self.countries})

    # -------------------------------------------------------------- leaders

    @staticmethod
    def aliases_of(leader: Leader) -> list[str]:
        names = [leader.name, *leader.aliases]
        return list(dict.fromkeys([*names, *(ascii_fold(n) for n in names)]))

    @staticmethod
    def surnames_of(leader: Leader) -> list[str]:
        shorts = leader.surnames if leader.surnames is not None else [leader.name.split()[-1]]
        return list(dict.fromkeys([*shorts, *(ascii_fold(s) for s in shorts)]))

    def holders(self, roles: Iterable[Role], where: str | None, day: dt.date) -> list[Leader]:
        """Who held one of `roles` in `where` (any country when None) on `day`."""
        wanted = set(roles)
        pool = self.by_id.values() if where is None else self.by_where.get(where, [])
        found = [
            leader
            for leader in pool
            if any(o.role in wanted and (where is None or o.where == where) and o.holds_on(day)
                   for o in leader.offices)
        ]
        # On a handover day both terms include the day; the office is the newcomer's from then on.
        starting = {(o.role, o.where) for f in found for o in f.offices
                    if o.start == day and o.role in wanted}
        return [f for f in found if not any(
            o.end == day and (o.role, o.where) in starting and o.role not in _SHARED_OFFICES
            for o in f.offices)] if starting else found

    def paramount(self, where: str, day: dt.date) -> list[Leader]:
        """'The Chinese leader': the holder of the country's leading office (president, prime minister
        or monarch, per places.yaml)."""
        country = self.country_by_code.get(where)
        role = country.leader_role if country else Role.PRESIDENT
        return self.holders([role], where, day) or self.holders([Role.PRESIDENT, Role.MONARCH], where, day)

    def office_on(self, leader_id: str, day: dt.date | None) -> tuple[str | None, str | None]:
        """(role, country) of a leader on a day: the current office, else the latest one."""
        leader = self.by_id.get(leader_id)
        if leader is None:
            return None, None
        offices = sorted(leader.offices, key=lambda o: o.start)
        current = [o for o in offices if day is not None and o.holds_on(day)]
        office = (current or offices)[-1]
        country = office.where if len(office.where) == 2 else None
        return office.role.value, country

    def common_day(self, leader_ids: Iterable[str], today: dt.date) -> dt.date | None:
        """A day on which most of these leaders held office together: the middle of the longest
        stretch that the most of them share, or `today` when that stretch lasts until now. For an
        article without any date ("the Maltese Prime Minister" beside William Hague and Mustafa
        Abdul Jalil is Gonzi's time, not today's). None without a known leader."""
        terms = [(o.start, min(o.end or today, today)) for i in dict.fromkeys(leader_ids)
                 if (leader := self.by_id.get(i)) is not None for o in leader.offices if o.start <= today]
        if not terms:
            return None
        bounds = sorted({d for t in terms for d in t})
        stretches = list(zip(bounds, [*bounds[1:], bounds[-1]], strict=True))  # between term edges

        def shared(stretch: tuple[dt.date, dt.date]) -> tuple[int, int]:
            lo, hi = stretch
            mid = lo + (hi - lo) / 2
            return sum(start <= mid <= end for start, end in terms), (hi - lo).days

        lo, hi = max(stretches, key=shared)
        return today if hi >= today else lo + (hi - lo) / 2

    def in_office(self, leader_id: str, day: dt.date) -> bool:
        leader = self.by_id.get(leader_id)
        return leader is not None and any(o.holds_on(day) for o in leader.offices)

    # -------------------------------------------------------------- places and words

    def country_of_word(self, word: str) -> str | None:
        """'Russian' / 'Russia' / 'U.S.' -> 'RU' / 'RU' / 'US'; organisations -> their key."""
        return self.demonyms.get(word.lower().strip())

    def home_country(self, url: str | None, source: str | None) -> str | None:
        found = self._source(url, source)
        return found.country if found else None

    def publisher_voice(self, url: str | None, source: str | None) -> Role | None:
        """The office whose holder speaks as 'I' in the publisher's statements (None: no one's)."""
        found = self._source(url, source)
        return found.first_person if found else None

    def _source(self, url: str | None, source: str | None) -> Source | None:
        hay = f"{url or ''} {source or ''}".lower()
        return next((s for s in self.sources if s.match.lower() in hay), None)


def _user_leaders(path: Path) -> list[Leader]:
    if not path.exists():
        raise ConfigError(f"{path}: leaders file not found")
    return _validate_list(path, Leader, key="leaders" if isinstance(_read_yaml(path), dict) else None)


def build_knowledge(data_dir: Path = DATA, extra_leaders: Path | None = None) -> KnowledgeBase:
    leaders = [
        leader for path in sorted((data_dir / "leaders").glob("*.yaml"))
        for leader in _validate_list(path, Leader)
    ]
    twice = sorted(i for i, n in Counter(leader.id for leader in leaders).items() if n > 1)
    if twice:  # two built-in entries for one person: one of them would be silently lost
        raise ConfigError(f"{data_dir / 'leaders'}: ids given twice: {', '.join(twice)}")
    if extra_leaders is not None:
        leaders += _user_leaders(extra_leaders)  # later entries win on the same id
    places = _read_yaml(data_dir / "places.yaml")
    if not isinstance(places, dict):
        raise ConfigError(f"{data_dir / 'places.yaml'}: expected a mapping")
    lexicon_path = data_dir / "lexicon.yaml"
    try:
        lexicon = TypeAdapter(Lexicon).validate_python(_read_yaml(lexicon_path))
    except ValidationError as e:
        raise ConfigError(f"{lexicon_path}: {e}") from e
    kb = KnowledgeBase(
        leaders=tuple(leaders),
        countries=tuple(_validate_list(data_dir / "places.yaml", Country, key="countries")),
        organisations=tuple(_validate_list(data_dir / "places.yaml", Organisation, key="organisations")),
        venues=tuple(_validate_list(data_dir / "places.yaml", Venue, key="venues")),
        cities=tuple(_validate_list(data_dir / "places.yaml", City, key="cities")),
        role_phrases=tuple(_validate_list(data_dir / "roles.yaml", RolePhrase, key="roles")),
        sources=tuple(_validate_list(data_dir / "roles.yaml", Source, key="sources")),
        lexicon=lexicon,
    )
    _check_places(kb, leaders, data_dir / "leaders" if extra_leaders is None else extra_leaders)
    return kb


def _check_places(kb: KnowledgeBase, leaders: list[Leader], path: Path) -> None:
    known = {c.code for c in kb.countries} | {o.key for o in kb.organisations}
    for leader in leaders:
        for office in leader.offices:
            if office.where not in known:
                raise ConfigError(f"{path}: {leader.name} ({leader.id}): unknown country/organisation "
                                  f"{office.where!r} (add it to places.yaml)")


@lru_cache(maxsize=4)
def load_knowledge(extra_leaders: str | None = None) -> KnowledgeBase:
    """Cached: every component of one pipeline (and every Enricher in a process) shares one KB."""
    return build_knowledge(DATA, Path(extra_leaders) if extra_leaders else None)
