"""extract_lines: JSON lines in and out; a bad line is reported and skipped, never a crash."""

from __future__ import annotations

import io
import json

import pytest

from newswire.contracts import EnrichedArticle
from newswire.enrich.cli import extract_lines
from newswire.enrich.pipeline import Enricher
from newswire.settings import Settings

MINIMAL = json.dumps({"title": "Leaders meet", "body": "Emmanuel Macron met Olaf Scholz in Berlin.",
                      "published_at": "2023-01-22T10:00:00+00:00"})


def test_minimal_line(enricher: Enricher) -> None:
    out = io.StringIO()
    bad = extract_lines(Settings(), io.StringIO(MINIMAL + "\n"), out, enricher=enricher)
    assert bad == 0
    [line] = out.getvalue().splitlines()
    enriched = EnrichedArticle.model_validate_json(line)
    assert enriched.article.id.startswith("a-")
    assert [e.location.name for e in enriched.events if e.location] == ["Berlin"]


def test_bad_lines_are_reported_and_skipped(enricher: Enricher, capsys: pytest.CaptureFixture[str]) -> None:
    # An undated article is not bad input: it is extracted, with no day guessed.
    lines = ["not json", MINIMAL, json.dumps({"body": "no date"}), json.dumps({"title": "no body"})]
    out = io.StringIO()
    bad = extract_lines(Settings(), io.StringIO("\n".join(lines) + "\n"), out, enricher=enricher)
    assert bad == 2
    assert len(out.getvalue().splitlines()) == 2
    err = capsys.readouterr().err
    assert "line 1:" in err and "line 4:" in err and "body" in err and "line 3:" not in err
