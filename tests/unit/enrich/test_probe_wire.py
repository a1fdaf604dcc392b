"""The annotated sets of corpus/ (dev-gold format, corpus/README.md), scored by the same evaluator as
`newswire evaluate`, with the shipped status model. These numbers are on data the model was fitted
on and that the rules were partly written against; `newswire evaluate --cv corpus/` gives the
held-out ones. docs/extraction.md has the first-run numbers of each set.

- wire.jsonl, wire2.jsonl (30 + 20 texts written for the tests in the style of wire copy).
- kremlin_a/b/c.jsonl (16 + 16 + 40 en.kremlin.ru items, CC BY 4.0).
- usgov.jsonl (11 White House, State Department and Wikinews texts, public domain).
- devgold.jsonl (the shared dev set less its Voice of America texts), govreadouts.jsonl and
  readouts_b.jsonl (gov.uk, pm.gov.au, U.S. government readouts), wikinews_c.jsonl (English Wikinews,
  CC BY 2.5), kremlin_wiki_d.jsonl (en.kremlin.ru 2000-2020, one Wikinews text).

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
    # Date and location under the earlier 0.78 and 0.72: more of its meetings are found (43 matched,
    # was 34), some dated a day off ("Late Saturday morning ..." in a Sunday readout), some placed in
    # a country the gold leaves out ("while I am in the United States"). 46 matched since the base
    # knows more ministers; the new matches are calls and unplaced talks, so location 0.674.
    "govreadouts.jsonl": Floor(0.92, 0.82, 0, 0.75, 0.75, 0.65),
    # Location under the earlier 0.68: the Kremlin's working meetings with ministers, found since
    # titled ministers are participants, carry a gold place the texts do not state (Novo-Ogaryovo).
    "kremlin_c.jsonl": Floor(0.9, 0.8, 2, 0.82, 0.95, 0.6),
    "wikinews_c.jsonl": Floor(0.65, 0.6, 1, 0.5, 0.45, 0.45),
    # Annotated later, from reading alone; their first-run (unseen) scores are in docs/extraction.md.
    "readouts_b.jsonl": Floor(0.85, 0.55, 0, 0.62, 0.85, 0.68),
    "kremlin_wiki_d.jsonl": Floor(0.85, 0.7, 0, 0.75, 0.95, 0.6),
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
