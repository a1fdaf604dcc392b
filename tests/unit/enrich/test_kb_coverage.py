"""Knowledge-base audit: every head of state and of government listed in heads_since_2000.yaml (the
G20, the permanent Security Council members and the 27 EU members) is a KB leader holding
that office, in that country, on their first day. A role phrase ("the Prime Minister of Italy" in a
2011 article) can only resolve to someone the KB holds with these dates.

    .venv/bin/python -m pytest -q tests/unit/enrich/test_kb_coverage.py   # lists every gap"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from newswire.enrich.knowledge import KnowledgeBase, Role, build_knowledge, load_knowledge
from newswire.enrich.knowledge.base import DATA
from newswire.enrich.knowledge.names import name_index, name_parts

LIST = Path(__file__).with_name("heads_since_2000.yaml")
_SLACK = dt.timedelta(days=3)  # sources differ by a day or two on when a term begins


def _holders(kb: KnowledgeBase, name: str) -> list[str]:
    if name in kb.by_alias:
        return kb.by_alias[name]
    index = name_index(kb)
    return index.lookup(name_parts(name.split(), index.rules))


def gaps(kb: KnowledgeBase, listed: dict[str, dict[str, list[list[object]]]]) -> list[str]:
    out: list[str] = []
    for country, roles in listed.items():
        for role, people in roles.items():
            for name, start in people:
                assert isinstance(name, str) and isinstance(start, dt.date), (country, role, name)
                ids = _holders(kb, name)
                if not ids:
                    out.append(f"{country} {role} {name} {start}: not in the KB")
                    continue
                held = any(o.role is Role(role) and o.where == country
                           and o.start <= start + _SLACK and (o.end is None or start <= o.end)
                           for i in ids for o in kb.by_id[i].offices)
                if not held:
                    out.append(f"{country} {role} {name} {start}: in the KB without this office")
    return out


def test_every_listed_head_holds_their_office_in_the_kb() -> None:
    listed = yaml.safe_load(LIST.read_text(encoding="utf-8"))
    missing = gaps(load_knowledge(), listed)
    assert not missing, f"{len(missing)} gaps:\n" + "\n".join(missing)


def test_the_audit_reports_a_missing_office() -> None:
    fake = {"US": {"prime_minister": [["Joe Biden", dt.date(2021, 1, 20)]]},
            "FR": {"president": [["Jeanne Nobody", dt.date(2030, 1, 1)]]}}
    assert gaps(load_knowledge(), fake) == [
        "US prime_minister Joe Biden 2021-01-20: in the KB without this office",
        "FR president Jeanne Nobody 2030-01-01: not in the KB"]


def overlaps(kb: KnowledgeBase, listed: dict[str, dict[str, list[list[object]]]]) -> list[str]:
    """Days a listed office has not exactly one holder in the KB: 'the Prime Minister of X' then
    resolves to no one. Checked a week into each listed term, past hand-over days."""
    out: list[str] = []
    for country, roles in listed.items():
        for role, people in roles.items():
            for name, start in people:
                assert isinstance(start, dt.date)
                day = start + dt.timedelta(days=7)
                found = sorted(leader.name for leader in kb.holders([Role(role)], country, day))
                if len(found) != 1:
                    out.append(f"{country} {role} {day} ({name}'s term): {found}")
    return out


def test_every_listed_office_has_one_holder_a_week_into_each_term() -> None:
    listed = yaml.safe_load(LIST.read_text(encoding="utf-8"))
    found = overlaps(load_knowledge(), listed)
    assert not found, f"{len(found)} days without exactly one holder:\n" + "\n".join(found)


G20 = ("AR", "AU", "BR", "CA", "CN", "FR", "DE", "IN", "ID", "IT", "JP", "KR", "MX", "RU", "SA", "ZA", "TR",
       "GB", "US")


def minister_gaps(kb: KnowledgeBase, countries: tuple[str, ...], first: dt.date, last: dt.date) -> list[str]:
    """Quarter days on which a country's foreign or defence ministry has not exactly one holder in
    the KB: 'the Japanese defence minister' then resolves to no one, or to two people."""
    out: list[str] = []
    for country in countries:
        for role in (Role.FOREIGN_MINISTER, Role.DEFENCE_MINISTER):
            for year in range(first.year, last.year + 1):
                for month in (2, 5, 8, 11):
                    day = dt.date(year, month, 15)
                    if first <= day <= last and len(found := kb.holders([role], country, day)) != 1:
                        out.append(f"{country} {role.value} {day}: {[f.name for f in found]}")
    return out


# Offices that really stood empty, or had only an acting holder whom the KB leaves out.
_VACANT = {
    "CN defence_minister 2023-11-15: []",  # Li Shangfu removed in October, Dong Jun named in December
    "KR foreign_minister 2006-11-15: []",  # Ban Ki-moon left for the UN; Song Min-soon from December
    "KR defence_minister 2025-02-15: []",  # vice-ministers acting after Kim Yong-hyun resigned
    "KR defence_minister 2025-05-15: []",
}


def test_the_g20s_foreign_and_defence_ministers_since_2000_are_known() -> None:
    found = [f for f in minister_gaps(load_knowledge(), G20, dt.date(2001, 1, 1), dt.date(2026, 11, 1))
             if f not in _VACANT]
    assert not found, f"{len(found)} quarter days without exactly one minister:\n" + "\n".join(found)


def test_the_minister_audit_reports_a_gap(tmp_path: Path) -> None:
    extra = tmp_path / "extra.yaml"  # a second Japanese foreign minister beside the real one
    extra.write_text("- {id: 'nw:jan-novak', name: Jan Novak, "
                     "offices: [[foreign_minister, JP, 2010-01-01, 2010-12-31]]}\n")
    found = minister_gaps(build_knowledge(DATA, extra), ("JP",), dt.date(2010, 1, 1), dt.date(2010, 12, 31))
    assert len(found) == 4 and all("Jan Novak" in f for f in found)
