"""Probe sets in the dev-gold format, scored by the same evaluator as `newswire evaluate`: longer
wire/readout/Kremlin/Wikinews-style texts written for these tests by helpers who had not read the
extraction rules, about leader pairs the dev set does not have, with its traps (historical mentions
with explicit dates, side clauses naming other leaders, party officials, summits, calls,
postponements). docs/extraction.md has the numbers and what each set changed:

- probe_wire.jsonl (30 texts): first run in-person P 0.64 with 5 false in-person alerts; the general
  fixes it prompted brought it to P 1.00 R 0.95, no false alert.
- probe_wire2.jsonl (20 texts, written after those fixes): first run in-person P 0.68 R 0.93 with
  4 false in-person alerts (the honest unseen number); after five more general fixes ("last week",
  where/and-clauses taking their main clause's time, a group meeting's host, two conjoined meetings,
  titles used as address) P 1.00 R 1.00, 1 false alert (a four-minister meeting).

Real texts, annotated by helpers from reading alone, never run before annotation:

- probe_kremlin_a/b.jsonl (16 + 16 en.kremlin.ru items, CC BY 4.0, from the public scrape the dev set
  also drew on, none of its items): first run in-person P 0.80/0.89 R 0.89/0.80, all kinds F1
  0.87/0.77, location 0.54/0.77, 2 + 2 false in-person alerts.
- probe_usgov.jsonl (16 White House, State Department, VOA and Wikinews texts, public domain): first
  run in-person P 0.40 R 0.17, all kinds F1 0.46 (readout and transcript styles the rules had barely
  seen: "his Chinese counterpart", "has met ... in Beijing", "SECRETARY KERRY: ... welcome him").

The thresholds sit just under the current numbers: they catch a regression, they are not a target."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from newswire.enrich.evaluate import Report, score
from newswire.enrich.pipeline import Enricher
from newswire.gold import raw_article

CORPUS = Path(__file__).resolve().parents[3] / "corpus"


@dataclass(frozen=True)
class Floor:
    in_person_precision: float
    in_person_recall: float
    false_alerts: int
    f1: float
    date: float
    location: float


FLOORS = {
    "wire.jsonl": Floor(0.95, 0.9, 0, 0.8, 0.9, 0.75),
    "wire2.jsonl": Floor(0.95, 0.95, 0, 0.8, 0.9, 0.75),
    "kremlin_a.jsonl": Floor(0.95, 0.95, 0, 0.93, 0.95, 0.68),
    "kremlin_b.jsonl": Floor(0.95, 0.75, 0, 0.88, 0.95, 0.82),
    "usgov.jsonl": Floor(0.5, 0.4, 0, 0.66, 0.85, 0.82),
    # Sets annotated for training and cross-validation (corpus/README.md): floors on the shipped
    # model, which was fitted on them; `newswire evaluate --cv corpus/` gives the held-out numbers.
    "devgold.jsonl": Floor(0.95, 0.95, 0, 0.95, 0.95, 0.95),
    "govreadouts.jsonl": Floor(0.8, 0.68, 2, 0.66, 0.78, 0.68),
    "kremlin_c.jsonl": Floor(0.88, 0.64, 2, 0.76, 0.95, 0.68),
    "wikinews_c.jsonl": Floor(0.4, 0.45, 2, 0.4, 0.4, 0.5),
}


@pytest.fixture(scope="module", params=sorted(FLOORS))
def scored(request: pytest.FixtureRequest, enricher: Enricher) -> tuple[Report, Floor]:
    path = CORPUS / request.param
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    result = score(records, enricher.enrich([raw_article(r) for r in records]))
    print(request.param, json.dumps({k: v for k, v in result.as_dict().items() if k != "errors"}))
    return result, FLOORS[request.param]


def test_in_person_meetings(scored: tuple[Report, Floor]) -> None:
    report, floor = scored
    in_person = report.as_dict()["per_kind"]["in_person_meeting"]
    assert in_person["precision"] >= floor.in_person_precision, in_person
    assert in_person["recall"] >= floor.in_person_recall, in_person


def test_false_in_person_alerts(scored: tuple[Report, Floor]) -> None:
    report, floor = scored
    assert report.false_alerts <= floor.false_alerts, report.as_dict()["errors"]


def test_all_kinds_and_attributes(scored: tuple[Report, Floor]) -> None:
    report, floor = scored
    d = report.as_dict()
    assert d["meetings_all_kinds"]["f1"] >= floor.f1, d["meetings_all_kinds"]
    assert d["date_accuracy"] >= floor.date and d["location_accuracy"] >= floor.location, d
