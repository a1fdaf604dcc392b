"""Knowledge-base audit: every head of state and of government listed in heads_since_2000.yaml (the
G20, the permanent Security Council members and the 27 EU members) is a KB leader holding
that office, in that country, on their first day. A role phrase ("the Prime Minister of Italy" in a
2011 article) can only resolve to someone the KB holds with these dates.

    .venv/bin/python -m pytest -q tests/unit/enrich/test_kb_coverage.py   # lists every gap"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from newswire.enrich.knowledge import KnowledgeBase, Role, load_knowledge
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
