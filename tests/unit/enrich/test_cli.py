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
    src = io.StringIO("not json\n" + MINIMAL + "\n" + json.dumps({"body": "no date"}) + "\n")
    out = io.StringIO()
    bad = extract_lines(Settings(), src, out, enricher=enricher)
    assert bad == 2
    assert len(out.getvalue().splitlines()) == 1
    err = capsys.readouterr().err
    assert "line 1:" in err and "line 3:" in err and "published_at" in err
