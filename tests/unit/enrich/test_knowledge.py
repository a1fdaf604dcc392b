"""The knowledge base loads, validates, names file and entry on errors, and takes user additions."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from newswire.enrich.knowledge import Role, build_knowledge, load_knowledge
from newswire.enrich.knowledge.base import DATA
from newswire.errors import ConfigError


def test_builtin_knowledge_resolves_offices_by_date() -> None:
    kb = load_knowledge()
    assert [p.name for p in kb.holders([Role.PRESIDENT], "US", dt.date(2016, 9, 3))] == ["Barack Obama"]
    assert [p.name for p in kb.paramount("DE", dt.date(2011, 8, 27))] == ["Angela Merkel"]
    assert kb.by_alias["Aleksandar Vucic"] == ["nw:aleksandar-vucic"]  # ASCII alias of Vučić


def test_bad_office_names_file_and_entry(tmp_path: Path) -> None:
    bad = tmp_path / "extra.yaml"
    bad.write_text("- {id: 'nw:jan-novak', name: Jan Novak, offices: [[emperor, CZ, 2020-01-01]]}\n")
    with pytest.raises(ConfigError) as err:
        build_knowledge(DATA, bad)
    assert "extra.yaml" in str(err.value) and "Jan Novak" in str(err.value) and "role" in str(err.value)


def test_unknown_country_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "extra.yaml"
    bad.write_text("- {id: 'nw:jan-novak', name: Jan Novak, offices: [[president, ZZ, 2020-01-01]]}\n")
    with pytest.raises(ConfigError, match="ZZ"):
        build_knowledge(DATA, bad)


def test_invented_looking_ids_are_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "extra.yaml"
    bad.write_text("- {id: 'Jan Novak', name: Jan Novak, offices: [[president, CZ, 2020-01-01]]}\n")
    with pytest.raises(ConfigError, match="entry 0"):
        build_knowledge(DATA, bad)


def test_user_file_extends_the_knowledge(tmp_path: Path) -> None:
    extra = tmp_path / "extra.yaml"
    entry = "{id: 'nw:jan-novak', name: Jan Novak, offices: [[foreign_minister, CZ, 2030-01-01]]}"
    extra.write_text(f"leaders:\n- {entry}\n")
    kb = build_knowledge(DATA, extra)
    assert [p.id for p in kb.holders([Role.FOREIGN_MINISTER], "CZ", dt.date(2031, 1, 1))] == ["nw:jan-novak"]
    assert kb.by_alias["Jan Novak"] == ["nw:jan-novak"]


def test_one_id_given_twice_in_the_builtin_files_is_an_error(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    entry = "- {id: 'nw:jan-novak', name: Jan Novak, offices: [[president, CZ, 2030-01-01]]}\n"
    (data / "leaders" / "a.yaml").write_text(entry)
    (data / "leaders" / "b.yaml").write_text(entry.replace("president", "prime_minister"))
    with pytest.raises(ConfigError, match="nw:jan-novak"):
        build_knowledge(data)


def test_the_common_day_of_leaders_is_inside_the_time_they_shared() -> None:
    kb = load_knowledge()
    today = dt.date(2026, 12, 7)
    day = kb.common_day(["Q76", "Q567"], today)  # Obama and Merkel: 2009-2017 inside 2005-2021
    assert day is not None and dt.date(2009, 1, 20) < day < dt.date(2017, 1, 20)
    assert kb.common_day(["Q3052772"], today) == today  # still in office: today
    assert kb.common_day([], today) is None and kb.common_day(["nw:nobody"], today) is None
