"""Second probe set, in the dev-gold format and scored by the same evaluator (`newswire evaluate`):
30 longer wire/readout/Kremlin/Wikinews-style texts written for these tests by someone who had not
read the extraction rules, about leader pairs the dev set does not have, with its traps (historical
mentions with explicit dates, side clauses naming other leaders, party officials, summits, calls,
postponements). First run: in-person P 0.64, 5 false in-person alerts; after the general fixes it
prompted (README): in-person P 1.00 R 0.95, no false in-person alert, all kinds F1 0.79.

The thresholds sit just under those numbers: they catch a regression, they are not a target."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newswire.enrich.evaluate import Report, _article, score
from newswire.enrich.pipeline import Enricher

PROBES = Path(__file__).with_name("probe_wire.jsonl")


@pytest.fixture(scope="module")
def report(enricher: Enricher) -> Report:
    records = [json.loads(line) for line in PROBES.read_text(encoding="utf-8").splitlines() if line.strip()]
    result = score(records, enricher.enrich([_article(r) for r in records]))
    print(json.dumps(result.as_dict(), indent=1)[:3000])
    return result


def test_in_person_meetings_are_precise(report: Report) -> None:
    in_person = report.as_dict()["per_kind"]["in_person_meeting"]
    assert in_person["precision"] >= 0.9 and in_person["recall"] >= 0.85, in_person


def test_no_false_in_person_alert(report: Report) -> None:
    assert report.false_alerts == 0, report.as_dict()["errors"]


def test_all_kinds_and_attributes(report: Report) -> None:
    d = report.as_dict()
    assert d["meetings_all_kinds"]["f1"] >= 0.7, d["meetings_all_kinds"]
    assert d["date_accuracy"] >= 0.85 and d["location_accuracy"] >= 0.65
