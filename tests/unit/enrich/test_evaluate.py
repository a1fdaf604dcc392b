"""`newswire evaluate`'s own rules, with no model: gold files and folders, bad gold input, and a
person named in the gold by another of the knowledge base's spellings of them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from newswire.contracts import (
    EnrichedArticle,
    Event,
    EventType,
    Evidence,
    Medium,
    Participant,
    Processing,
    RawArticle,
)
from newswire.enrich.evaluate import gold_files, read_gold, score
from newswire.errors import ConfigError


def _enriched(*names: str) -> EnrichedArticle:
    article = RawArticle(title="T", body="B met C.", published_at=dt.datetime(2008, 2, 18, 12, tzinfo=dt.UTC))
    event = Event(
        id="ev-1", type=EventType.MEET, medium=Medium.IN_PERSON,
        participants=[Participant(id=f"name:{n}", name=n) for n in names],
        date=dt.date(2008, 2, 17), confidence=0.9,
        evidence=[Evidence(article_id=article.id, sentence="B met C.", start=0, end=8)],
    )
    processing = Processing(model="none", model_version="0", pipeline_version="0", took_ms=0)
    return EnrichedArticle(article=article, events=[event], processing=processing)


def _gold(*names: str) -> dict[str, object]:
    return {"id": "g1", "meetings": [{"participants": list(names), "location": None, "date": None,
                                     "kind": "in_person_meeting"}], "persons": list(names)}


def test_a_gold_name_that_is_the_bases_other_spelling_matches() -> None:
    report = score([_gold("George W. Bush", "Thomas Boni Yayi")], [_enriched("George W. Bush", "Boni Yayi")])
    assert report.as_dict()["per_kind"]["in_person_meeting"]["tp"] == 1


def test_a_different_person_still_does_not_match() -> None:
    report = score([_gold("George W. Bush", "Mathieu Kerekou")], [_enriched("George W. Bush", "Boni Yayi")])
    assert report.as_dict()["per_kind"]["in_person_meeting"]["tp"] == 0


def test_a_folder_is_its_gold_files_and_a_missing_path_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "b.jsonl").write_text(json.dumps(_gold("A B", "C D")) + "\n")
    (tmp_path / "a.jsonl").write_text(json.dumps(_gold("A B", "C D")) + "\n")
    (tmp_path / "notes.txt").write_text("not gold")
    assert [f.name for f in gold_files([tmp_path])] == ["a.jsonl", "b.jsonl"]
    with pytest.raises(ConfigError, match="no such gold file or folder"):
        gold_files([tmp_path / "missing.jsonl"])


@pytest.mark.parametrize("line, reason", [("{not json", "not JSON"), ('{"id": "x"}', "not a gold record")])
def test_a_bad_gold_line_is_named(tmp_path: Path, line: str, reason: str) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps(_gold("A B", "C D")) + "\n" + line + "\n")
    with pytest.raises(ConfigError, match=f"set.jsonl: line 2: {reason}"):
        read_gold(path)
