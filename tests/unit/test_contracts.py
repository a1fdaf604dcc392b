"""Contracts: ids, validation, and the schemas/ files they generate."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from newswire.contracts import Event, EventType, Evidence, Participant, RawArticle
from newswire.schemas import render, stale

ROOT = Path(__file__).resolve().parents[2]


def test_raw_article_id_is_stable_hash_of_url() -> None:
    a = RawArticle(url="https://example.org/a", title="T", body="B", published_at="2024-05-16T09:00:00Z")
    b = RawArticle(
        url="https://example.org/a", title="Other", body="Other", published_at="2024-05-17T09:00:00Z"
    )
    assert a.id == b.id and a.id.startswith("a-")


def test_raw_article_id_without_url_hashes_source_title_body() -> None:
    a = RawArticle(title="T", body="B", published_at="2024-05-16T09:00:00Z")
    assert a.id == RawArticle(title="T", body="B", published_at="2024-05-16T10:00:00Z").id
    assert a.id != RawArticle(title="T", body="B2", published_at="2024-05-16T09:00:00Z").id
    # the separator keeps field boundaries: ("ab","c") != ("a","bc")
    assert (
        RawArticle(title="ab", body="c", published_at=datetime.now(UTC)).id
        != RawArticle(title="a", body="bc", published_at=datetime.now(UTC)).id
    )


def test_explicit_id_is_kept() -> None:
    assert RawArticle(id="x1", body="B", published_at="2024-05-16T09:00:00Z").id == "x1"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"body": "B", "published_at": "2024-05-16T09:00:00"}, "published_at"),  # naive time
        ({"body": "   ", "published_at": "2024-05-16T09:00:00Z"}, "body"),
        ({"published_at": "2024-05-16T09:00:00Z"}, "body"),
        ({"body": "B", "published_at": "2024-05-16T09:00:00Z", "bogus": 1}, "bogus"),
    ],
)
def test_raw_article_rejects(data: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as err:
        RawArticle.model_validate(data)
    assert field in str(err.value)


def test_event_needs_participants_and_evidence() -> None:
    ev = Evidence(article_id="a", sentence="s", start=0, end=1)
    with pytest.raises(ValidationError):
        Event(id="e", type=EventType.MEET, participants=[], evidence=[ev], confidence=0.5)
    ok = Event(
        id="e", type="MEET", participants=[Participant(id="Q1", name="X")], evidence=[ev], confidence=1
    )
    assert ok.status == "occurred" and ok.date is None


def test_checked_in_schemas_match_contracts() -> None:
    assert stale(ROOT / "schemas") == [], "schemas/ is stale: run `newswire schemas export`"
    assert set(render()) == {p.name for p in (ROOT / "schemas").glob("*.schema.json")}


def test_stale_detects_drift(tmp_path: Path) -> None:
    (tmp_path / "events.schema.json").write_text("{}")
    assert "events.schema.json" in stale(tmp_path)
