"""Dry-run over EnrichedArticle lines: grouped across the input, one alert per real event."""

from __future__ import annotations

from typing import Any

from newswire.alert.dryrun import dry_run
from newswire.alert.rules import load_rules
from newswire.contracts import EnrichedArticle, Processing, RawArticle


def line(art: str, *events: object) -> str:
    raw = RawArticle(id=art, body="x", title="t", published_at="2024-05-16T08:00:00Z")  # type: ignore[arg-type]
    proc = Processing(model="m", model_version="1", pipeline_version="1", took_ms=1)
    return EnrichedArticle(article=raw, events=list(events), processing=proc).model_dump_json()  # type: ignore[arg-type]


def test_dry_run_groups_across_the_whole_input(engine_kit: Any) -> None:
    ev, kb = engine_kit.ev, engine_kit.KB
    lines = [
        line("a1", ev("met", art="a1")),
        line("a2", ev("met", art="a2", outlet="Reuters"), ev("call", art="a2", type_="CALL")),
        line("a3", ev("plan", art="a3", status="planned")),
        line("a4", ev("met", art="a1")),  # a replayed article
        "not json",
    ]
    errors: list[str] = []
    alerts = dry_run(load_rules(None, kb), lines, errors=errors)
    assert [(a.event_id, a.source_count, [s.article_id for s in a.sources]) for a in alerts] == [
        ("met", 2, ["a1", "a2"])
    ]
    assert len(errors) == 1 and errors[0].startswith("line 5:")


def test_gold_lines_take_the_url_host_as_source_and_bad_lines_name_their_field() -> None:
    import json

    from newswire.alert.dryrun import _events, parse_line

    url = "https://www.whitehouse.gov/briefing-room/statements-releases/" + "x" * 250
    gold = {"id": "g1", "source": url, "published": "2023-08-18", "title": "T", "text": "b"}
    raw = parse_line(json.dumps(gold))
    assert isinstance(raw, RawArticle) and raw.source == "www.whitehouse.gov" and raw.url == url
    errors: list[str] = []
    bad = json.dumps({"id": "g2", "title": "t" * 2_001, "text": "b", "published": "2023-08-18"})
    assert list(_events([bad], None, errors)) == []
    assert errors == ["line 1: invalid RawArticle: title: String should have at most 2000 characters"]
