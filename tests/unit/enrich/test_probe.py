"""Probe set: short wire/readout texts written for these tests (tests/unit/enrich/probe_articles.jsonl),
about leaders and constructions the dev set does not cover (previews, postponements, trilaterals,
venues, calls, criticism without a meeting). Each record lists the events it should yield, for the
event types named in its `scored_types`.

What is asserted is what an alert consumer feels: no false in-person meeting, every matched event
with the right status, and the set as a whole found."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from newswire.contracts import EnrichedArticle, RawArticle
from newswire.enrich.pipeline import Enricher

PROBES = Path(__file__).with_name("probe_articles.jsonl")


@dataclass
class ProbeScore:
    texts: int = 0
    expected: int = 0
    predicted: int = 0
    matched: int = 0
    false_in_person: list[str] = field(default_factory=list)
    status_errors: list[str] = field(default_factory=list)
    attribute_errors: list[str] = field(default_factory=list)  # location, date, medium
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    def report(self) -> str:
        p = self.matched / self.predicted if self.predicted else 1.0
        r = self.matched / self.expected if self.expected else 1.0
        lines = [f"probe texts {self.texts}, expected events {self.expected}, predicted {self.predicted}, "
                 f"matched {self.matched} (P {p:.3f} R {r:.3f}), false in-person alerts "
                 f"{len(self.false_in_person)}, status errors {len(self.status_errors)}, "
                 f"attribute errors {len(self.attribute_errors)}"]
        for name in ("false_in_person", "status_errors", "attribute_errors", "missed", "spurious"):
            lines += [f"  {name}: {x}" for x in getattr(self, name)]
        return "\n".join(lines)


def _key(e: dict[str, Any]) -> tuple[str, frozenset[str]]:
    return e["type"], frozenset(e["participants"])


def score(records: list[dict[str, Any]], results: list[EnrichedArticle]) -> ProbeScore:
    s = ProbeScore(texts=len(records))
    for rec, res in zip(records, results, strict=True):
        scored = set(rec["scored_types"])
        got = [{"type": e.type.value, "status": e.status.value, "medium": e.medium.value if e.medium else "",
                "participants": [p.name for p in e.participants],
                "location": e.location.name if e.location else None,
                "date": e.date.isoformat() if e.date else None}
               for e in res.events if e.type.value in scored]
        want = rec["expected"]
        s.expected += len(want)
        s.predicted += len(got)
        unmatched = list(got)
        for w in want:
            g = next((g for g in unmatched if _key(g) == _key(w)), None)
            if g is None:
                s.missed.append(f"{rec['id']} {w}")
                continue
            unmatched.remove(g)
            if g["status"] != w["status"]:
                s.status_errors.append(f"{rec['id']} {w['type']} want {w['status']} got {g['status']}")
            else:
                s.matched += 1
            for attr in ("location", "date", "medium"):
                if attr in w and (w[attr] or "") != (g[attr] or ""):
                    s.attribute_errors.append(f"{rec['id']} {attr} want {w[attr]!r} got {g[attr]!r}")
            if (g["type"], g["status"], g["medium"]) == ("MEET", "occurred", "in_person") and (
                    w["status"] != "occurred"):
                s.false_in_person.append(f"{rec['id']} {sorted(g['participants'])}")
        for g in unmatched:
            s.spurious.append(f"{rec['id']} {g}")
            if (g["type"], g["status"], g["medium"]) == ("MEET", "occurred", "in_person"):
                s.false_in_person.append(f"{rec['id']} {sorted(g['participants'])}")
    return s


def load_probes() -> list[dict[str, Any]]:
    return [json.loads(line) for line in PROBES.read_text(encoding="utf-8").splitlines() if line.strip()]


def run_probes(enricher: Enricher) -> ProbeScore:
    records = load_probes()
    articles = [RawArticle(title=r["title"], body=r["body"], url=r.get("url"), source=r["source"],
                           published_at=dt.datetime.fromisoformat(r["published_at"].replace("Z", "+00:00")))
                for r in records]
    return score(records, enricher.enrich(articles))


@pytest.fixture(scope="module")
def probe_score(enricher: Enricher) -> ProbeScore:
    result = run_probes(enricher)
    print("\n" + result.report())
    return result


def test_probe_set_is_well_formed() -> None:
    records = load_probes()
    assert len(records) >= 25
    assert len({r["id"] for r in records}) == len(records)
    for r in records:
        assert all(e["type"] in r["scored_types"] for e in r["expected"]), r["id"]


def test_no_false_in_person_alerts(probe_score: ProbeScore) -> None:
    assert probe_score.false_in_person == [], probe_score.report()


def test_statuses_are_right(probe_score: ProbeScore) -> None:
    assert probe_score.status_errors == [], probe_score.report()


def test_probe_events_found(probe_score: ProbeScore) -> None:
    precision = probe_score.matched / max(probe_score.predicted, 1)
    recall = probe_score.matched / max(probe_score.expected, 1)
    assert precision >= 0.9 and recall >= 0.85, probe_score.report()


def test_probe_locations_and_dates(probe_score: ProbeScore) -> None:
    assert len(probe_score.attribute_errors) <= 2, probe_score.report()
